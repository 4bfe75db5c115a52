"""The 🚩 Report button every reveal carries; the reports feature answers its clicks.

The button is a restart-proof `DynamicItem` whose custom_id names the bank and question
(`quiz:report:<bank>:<question_id>`); when that would pass Discord's 100 characters, a short
hash stands in. A click is handed on as the `question_report` event
(`on_question_report(interaction, ref)`), so the feature that shows the button (the game) and
the one that stores reports never import each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.kit import limits
from bot.kit.refs import digest

REPORT_EVENT = "question_report"
REPORT_PREFIX = "quiz:report:"
REPORT_TEMPLATE = r"quiz:report:(?:#(?P<digest>[0-9a-f]{16})|(?P<bank>[^:#][^:]*):(?P<qid>.+))"


@dataclass(frozen=True, slots=True)
class ReportRef:
    """The question a Report button points at: by bank and id, or by their digest."""

    bank: str = ""
    question_id: str = ""
    digest: str = ""


def report_custom_id(bank: str, question_id: str) -> str:
    """Return the Report button's custom_id for a question (hashed when too long)."""
    plain = f"{REPORT_PREFIX}{bank}:{question_id}"
    if len(plain) <= limits.CUSTOM_ID and ":" not in bank and not bank.startswith("#"):
        return plain
    return f"{REPORT_PREFIX}#{digest(bank, question_id)}"


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REPORT_TEMPLATE):
    """🚩 Report under a revealed question; anyone may press it, on any message, any time."""

    def __init__(self, ref: ReportRef, *, custom_id: str | None = None) -> None:
        self.ref = ref
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Report",
            emoji="🚩",
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id or report_custom_id(ref.bank, ref.question_id),
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
        """Rebuild the button from a click (a hashed reference is resolved by the handler)."""
        if match["digest"]:
            return cls(ReportRef(digest=match["digest"]), custom_id=match.group(0))
        return cls(ReportRef(match["bank"], match["qid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the click to whoever listens for `question_report`."""
        interaction.client.dispatch(REPORT_EVENT, interaction, self.ref)


def report_button(bank: str, question_id: str) -> ReportButton:
    """Return the 🚩 Report button for a question, to add to a reveal's view."""
    return ReportButton(ReportRef(bank, question_id))
