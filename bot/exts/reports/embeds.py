"""Embeds of question reports: `/quiz reports` grouped by question, most reported first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from bot.core.models import Bank
from bot.kit import limits
from bot.store.records import ReportRow

COLOUR_REPORTS = discord.Colour.red()
REPORTS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ReportGroup:
    """Every report about one question, newest first."""

    bank: str
    question_id: str
    reports: list[ReportRow]


def group_reports(rows: Sequence[ReportRow]) -> list[ReportGroup]:
    """Group reports by question: most reported first, then most recent."""
    groups: dict[tuple[str, str], list[ReportRow]] = {}
    for row in rows:
        groups.setdefault((row.bank, row.question_id), []).append(row)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), -max(r.report_id for r in kv[1])))
    return [ReportGroup(bank, qid, reports) for (bank, qid), reports in ordered]


def reports_embed(groups: Sequence[ReportGroup], banks: Mapping[str, Bank]) -> discord.Embed:
    """Return the `/quiz reports` list: question, count, and each reason with its reporter."""
    total = sum(len(g.reports) for g in groups)
    embed = discord.Embed(
        title="🚩 Question reports",
        description=f"{total} report(s) about {len(groups)} question(s), most reported first.",
        colour=COLOUR_REPORTS,
    )
    for group in groups[:REPORTS_SHOWN]:
        bank = banks.get(group.bank)
        question = bank.question(group.question_id) if bank else None
        prompt = question.prompt if question else "(no longer in the bank)"
        lines = [f"*{limits.bank_text(prompt, 200)}*"]
        lines += [
            f"• {limits.quoted(r.reason, 200)} — <@{r.user_id}>"
            f" <t:{int(r.created_at.timestamp())}:R>"
            for r in group.reports
        ]
        count = len(group.reports)
        embed.add_field(
            name=f"{group.bank} / {group.question_id} — {count} report{'s' if count != 1 else ''}",
            value=limits.lines_within(lines, limits.FIELD_VALUE),
            inline=False,
        )
    if len(groups) > REPORTS_SHOWN:
        embed.set_footer(text=f"…and {len(groups) - REPORTS_SHOWN} more question(s)")
    return limits.fit_embed(embed)
