"""Embeds of bank imports: results, located problems, bank lists and removal prompts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import discord

from bot.core.models import Problem
from bot.kit import limits
from bot.services.imports import BankInfo, Imported, Refused, UploadKind

COLOUR_OK = discord.Colour.green()
COLOUR_REFUSED = discord.Colour.red()
COLOUR_LIST = discord.Colour.blurple()
COLOUR_DONE = discord.Colour.dark_grey()
CONFIRM_SECONDS = 60
_FENCE = "```"
# A code block costs its fences and newlines; keep them out of the problems' budget.
_FENCE_COST = len(_FENCE) * 2 + 2
_WARNINGS_SHOWN = 5


def bank_title(title: str, limit: int = 100) -> str:
    """Return a bank title from an upload, cut and made unable to ping or format."""
    return limits.name(title, limit)


def code_line(text: str) -> str:
    """Return a line that cannot end the code block it is shown in."""
    return text.replace(_FENCE, "`\u200b`\u200b`")


def problems_block(problems: Sequence[Problem], budget: int) -> str:
    """Return located problems as one code block within `budget` characters ('… and N more')."""
    lines = [code_line(limits.cut(str(p), 400)) for p in problems]
    body = limits.lines_within(lines, max(1, budget - _FENCE_COST))
    return f"{_FENCE}\n{body}\n{_FENCE}"


def refused_embed(refused: Refused) -> discord.Embed:
    """Return why an import was refused, with its located problems in one page."""
    reason = limits.cut(refused.reason, 1000)
    description = reason
    if refused.problems:
        count = len(refused.problems)
        head = f"{reason}\n\n**{count} problem{'s' if count != 1 else ''}:**\n"
        description = head + problems_block(refused.problems, limits.EMBED_DESCRIPTION - len(head))
    embed = discord.Embed(title="Nothing was imported", description=description)
    embed.colour = COLOUR_REFUSED
    embed.set_footer(text="Fix the file (quizbot check shows the same messages) and try again.")
    return limits.fit_embed(embed)


def imported_embed(imported: Imported) -> discord.Embed:
    """Return the summary of a bank that was imported."""
    prepared = imported.prepared
    bank = prepared.bank
    kinds = Counter(q.kind.value for q in bank.questions)
    by_kind = ", ".join(f"{k.replace('_', '/')} {n}" for k, n in sorted(kinds.items()))
    embed = discord.Embed(
        title=f"Bank imported: {bank_title(bank.title, 200)}",
        description=(
            f"Play it with `/quiz start bank:{bank.slug}`. "
            f"Only this server can see it; `/quiz banks` lists it."
        ),
        colour=COLOUR_OK,
    )
    embed.add_field(name="Name", value=f"`{bank.slug}`")
    embed.add_field(name="Questions", value=f"{len(bank.questions)} ({by_kind})")
    embed.add_field(name="Topics", value=_topics(bank.topics.values()), inline=False)
    if prepared.kind is UploadKind.FACTS:
        made = f"Generated from {prepared.facts} reviewed fact{'s' if prepared.facts != 1 else ''}"
        if prepared.drafts_skipped:
            made += (
                f"; {prepared.drafts_skipped} draft fact(s) left out "
                "(set `reviewed: true` once checked, then import again)"
            )
        embed.add_field(name="Source", value=made + ".", inline=False)
    if prepared.warnings:
        shown = prepared.warnings[:_WARNINGS_SHOWN]
        block = problems_block(shown, limits.FIELD_VALUE - 40)
        more = len(prepared.warnings) - len(shown)
        tail = f"\n… and {more} more" if more else ""
        embed.add_field(
            name=f"Warnings ({len(prepared.warnings)})", value=block + tail, inline=False
        )
    return limits.fit_embed(embed)


def _topics(names: Iterable[str]) -> str:
    items = [limits.escape(limits.cut(n, 60)) for n in names]
    return limits.cut(", ".join(items), 1000) or "—"


def bank_line(info: BankInfo) -> str:
    """Return one bank of the list: title, name, size, topics and origin."""
    title = f"**{bank_title(info.title)}** · `{info.slug}`"
    if info.bank is None:
        return f"{title}\n  ⚠️ could not be loaded; remove it and import it again"
    size = f"{info.questions} question{'s' if info.questions != 1 else ''}"
    topics = ", ".join(
        limits.escape(limits.cut(info.bank.topics.get(t, t), 40)) for t in info.topics
    )
    if info.imported:
        when = f" <t:{int(info.added_at.timestamp())}:d>" if info.added_at else ""
        who = f"<@{info.added_by}>" if info.added_by else "someone"
        origin = f"imported by {who}{when}"
    else:
        origin = "built-in"
    return f"{title}\n  {size} · {limits.cut(topics, 300) or 'no topics'} · {origin}"


def banks_embed(infos: Sequence[BankInfo], *, can_remove: bool) -> discord.Embed:
    """Return the list of banks this server can play."""
    if infos:
        description = limits.lines_within([bank_line(i) for i in infos], limits.EMBED_DESCRIPTION)
    else:
        description = "No banks yet."
    embed = discord.Embed(title="Question banks", description=description, colour=COLOUR_LIST)
    imported = sum(i.imported for i in infos)
    if can_remove and imported:
        footer = "Remove an imported bank with /quiz banks remove:<name>."
    else:
        footer = "Server managers add banks with /quiz import."
    embed.set_footer(text=f"{len(infos)} bank(s), {imported} imported · {footer}")
    return limits.fit_embed(embed)


def confirm_remove_embed(info: BankInfo) -> discord.Embed:
    """Return the question asked before an imported bank is removed."""
    embed = discord.Embed(
        title="Remove this bank?",
        description=(
            f"{bank_line(info)}\n\nIts questions can no longer be played here. "
            "Scores already earned stay on the leaderboards."
        ),
        colour=discord.Colour.orange(),
    )
    embed.set_footer(text=f"Confirm within {CONFIRM_SECONDS} s.")
    return limits.fit_embed(embed)


def removal_done_embed(title: str, slug: str, removed: bool) -> discord.Embed:
    """Return the outcome of a confirmed removal."""
    if removed:
        text = f"Removed **{bank_title(title)}** (`{slug}`)."
    else:
        text = f"`{slug}` was already gone; nothing to remove."
    return discord.Embed(title="Bank removed", description=text, colour=COLOUR_DONE)


def status_embed(title: str, text: str) -> discord.Embed:
    """Return a short grey embed (cancelled, expired)."""
    return discord.Embed(title=title, description=text, colour=COLOUR_DONE)
