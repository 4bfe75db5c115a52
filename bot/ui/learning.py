"""The question-quality loop (🚩 Report button, its modal, `/quiz reports`) and `/ask` answers.

The Report button is a restart-proof `DynamicItem` whose custom_id names the bank and question
(`quiz:report:<bank>:<question_id>`); when that would pass Discord's 100 characters, a short hash
stands in and is resolved against the guild's banks on click.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.core.models import Bank
from bot.store.records import ReportRow
from bot.ui import limits
from bot.ui.replies import apologise

log = logging.getLogger(__name__)

COLOUR_ASK = discord.Colour.teal()
COLOUR_REPORTS = discord.Colour.red()
NOT_IN_ARTICLE = "The article does not say."
REPORT_REASON_MAX = 300
REPORT_PREFIX = "quiz:report:"
REPORT_TEMPLATE = r"quiz:report:(?:#(?P<digest>[0-9a-f]{16})|(?P<bank>[^:#][^:]*):(?P<qid>.+))"
REPORT_THANKS = "Thanks: your report was saved. Server managers see it in `/quiz reports`."
REPORTS_SHOWN = 10
_MAX_OPEN_MODALS = 200

ReportSaver = Callable[[discord.Interaction, str, str, str], Awaitable[None]]


_open_modals: deque[discord.ui.Modal] = deque()


def track_modal(modal: discord.ui.Modal) -> None:
    """Remember an open modal; stop the oldest ones so dismissed modals cannot pile up."""
    _open_modals.append(modal)
    while len(_open_modals) > _MAX_OPEN_MODALS:
        _open_modals.popleft().stop()


class GuardedModal(discord.ui.Modal):
    """A modal that answers a failed submit with a short apology instead of silence."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        """Log the failure and tell the user."""
        log.error("modal %s failed", type(self).__name__, exc_info=error)
        await apologise(interaction)


async def guild_banks(interaction: discord.Interaction) -> Mapping[str, Bank]:
    """Return the banks playable where a click came from, once that server's imports loaded."""
    bot: Any = interaction.client
    if interaction.guild_id is not None:
        # A click just after start-up may come before the server's imported banks were read.
        await bot.ensure_guild_banks(interaction.guild_id)
    return bot.banks_for(interaction.guild_id)


# -- short references inside custom ids ---------------------------------------------------
def digest(*parts: str, size: int = 16) -> str:
    """Return a short, stable hex digest of some text parts."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:size]


def short_ref(value: str | None, limit: int = 20) -> str:
    """Return a value to embed in a custom_id: itself when short and plain, else '#<hash>'."""
    if not value:
        return ""
    if len(value) <= limit and ":" not in value and not value.startswith("#"):
        return value
    return "#" + digest(value, size=10)


def match_ref(token: str, candidates: Iterable[str]) -> str | None:
    """Return the value a `short_ref` token stands for among candidates (None if unknown)."""
    if not token:
        return None
    if not token.startswith("#"):
        return token
    return next((c for c in candidates if short_ref(c) == token), None)


# -- the 🚩 Report button --------------------------------------------------------------------
def report_custom_id(bank: str, question_id: str) -> str:
    """Return the Report button's custom_id for a question (hashed when too long)."""
    plain = f"{REPORT_PREFIX}{bank}:{question_id}"
    if len(plain) <= limits.CUSTOM_ID and ":" not in bank and not bank.startswith("#"):
        return plain
    return f"{REPORT_PREFIX}#{digest(bank, question_id)}"


def find_question(banks: Mapping[str, Bank], key: str) -> tuple[str, str] | None:
    """Return the (bank, question id) whose Report digest is `key`, searching `banks`."""
    for slug, bank in banks.items():
        for q in bank.questions:
            if digest(slug, q.id) == key:
                return slug, q.id
    return None


class ReportModal(GuardedModal):
    """Ask why a question is wrong; the saver stores it."""

    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What is wrong with this question?",
        style=discord.TextStyle.paragraph,
        custom_id="reason",
        placeholder="e.g. the answer is wrong, two options are right, a typo…",
        min_length=3,
        max_length=REPORT_REASON_MAX,
    )

    def __init__(self, bank: str, question_id: str, save: ReportSaver) -> None:
        super().__init__(title=limits.modal_title("Report this question"), timeout=None)
        self.bank = bank
        self.question_id = question_id
        self.save = save
        track_modal(self)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Store the report."""
        await self.save(interaction, self.bank, self.question_id, self.reason.value.strip())


async def save_report(
    interaction: discord.Interaction, bank: str, question_id: str, reason: str
) -> None:
    """Store a report with the bot's store and confirm it privately."""
    store = interaction.client.store  # type: ignore[attr-defined]
    await store.reports.add(
        interaction.guild_id or 0, interaction.user.id, question_id, bank, reason
    )
    log.info("question %s/%s reported by %s", bank, question_id, interaction.user.id)
    await interaction.response.send_message(REPORT_THANKS, ephemeral=True)


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REPORT_TEMPLATE):
    """🚩 Report under a revealed question; anyone may press it, on any message, any time."""

    def __init__(self, bank: str, question_id: str, *, custom_id: str | None = None) -> None:
        self.bank = bank
        self.question_id = question_id
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Report",
            emoji="🚩",
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id or report_custom_id(bank, question_id),
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ReportButton:
        """Rebuild the button from a click; a hashed id is looked up in the guild's banks."""
        if match["digest"]:
            found = find_question(await guild_banks(interaction), match["digest"]) or ("", "")
            return cls(found[0], found[1], custom_id=match.group(0))
        return cls(match["bank"], match["qid"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the reason modal."""
        if not self.bank or not self.question_id:
            await interaction.response.send_message(
                "That question is no longer in any bank here, so it cannot be reported.",
                ephemeral=True,
            )
            return
        await interaction.response.send_modal(ReportModal(self.bank, self.question_id, save_report))


def report_button(bank: str, question_id: str) -> discord.ui.Item[Any]:
    """Return the 🚩 Report button for a question, to add to the reveal message's view."""
    return ReportButton(bank, question_id)


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
        lines = [f"*{limits.cut(prompt, 200)}*"]
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


# -- /ask -------------------------------------------------------------------------------------
def ask_embed(question: str, answers: Sequence[Any]) -> discord.Embed:
    """Return the facts that answer a question, each with its paragraph and bank title."""
    embed = discord.Embed(
        title="What the article says",
        description=f"You asked: *{limits.quoted(question, 300)}*",
        colour=COLOUR_ASK,
    )
    for answer in answers:
        fact = answer.fact
        value = fact.statement
        if fact.explanation and fact.explanation != fact.statement:
            value += f"\n-# {fact.explanation}"
        embed.add_field(
            name=f"Paragraph {fact.paragraph} · {answer.bank.title}",
            value=limits.cut(value, limits.FIELD_VALUE),
            inline=False,
        )
    return limits.fit_embed(embed)


def too_long_question(length: int, limit: int) -> str:
    """Return the message for a question over the length limit."""
    return (
        f"Please keep questions to {limit} characters (yours has {length}). Ask something shorter."
    )
