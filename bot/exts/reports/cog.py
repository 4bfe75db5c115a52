"""Question reports: the 🚩 Report button's modal, and `/quiz reports` for server managers."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QuizBot, quiz_bot
from bot.core.models import Bank
from bot.exts.reports import embeds as ui
from bot.kit import limits
from bot.kit.checks import is_manager
from bot.kit.errors import UserError
from bot.kit.groups import add_quiz_commands
from bot.kit.modals import GuardedModal, track_modal
from bot.kit.refs import digest
from bot.kit.replies import reply
from bot.kit.report import REPORT_EVENT, ReportButton, ReportRef

log = logging.getLogger(__name__)

REPORTS_READ = 200
REPORT_REASON_MIN = 3
REPORT_REASON_MAX = 300
REPORT_THANKS = "Thanks: your report was saved. Server managers see it in `/quiz reports`."
GONE = "That question is no longer in any bank here, so it cannot be reported."


def find_question(banks: Mapping[str, Bank], key: str) -> tuple[str, str] | None:
    """Return the (bank, question id) whose Report digest is `key`, searching `banks`."""
    for slug, bank in banks.items():
        for q in bank.questions:
            if digest(slug, q.id) == key:
                return slug, q.id
    return None


class ReportModal(GuardedModal):
    """Ask why a question is wrong, then store the report."""

    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What is wrong with this question?",
        style=discord.TextStyle.paragraph,
        custom_id="reason",
        placeholder="e.g. the answer is wrong, two options are right, a typo…",
        min_length=REPORT_REASON_MIN,
        max_length=REPORT_REASON_MAX,
    )

    def __init__(self, bank: str, question_id: str) -> None:
        super().__init__(title=limits.modal_title("Report this question"), timeout=None)
        self.bank = bank
        self.question_id = question_id
        track_modal(self)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Store the report and confirm it privately."""
        reason = self.reason.value.strip()
        # The modal's limits are the client's; a crafted submit is checked here too.
        if not REPORT_REASON_MIN <= len(reason) <= REPORT_REASON_MAX:
            await reply(
                interaction,
                f"A reason needs {REPORT_REASON_MIN} to {REPORT_REASON_MAX} characters; "
                "nothing was saved.",
            )
            return
        await quiz_bot(interaction).store.reports.add(
            interaction.guild_id or 0, interaction.user.id, self.question_id, self.bank, reason
        )
        log.info("question %s/%s reported by %s", self.bank, self.question_id, interaction.user.id)
        await interaction.response.send_message(REPORT_THANKS, ephemeral=True)


class ReportsCog(commands.Cog, name="Reports"):
    """Answers 🚩 Report clicks (the button itself is part of every reveal)."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot

    @commands.Cog.listener(f"on_{REPORT_EVENT}")
    async def on_question_report(self, interaction: discord.Interaction, ref: ReportRef) -> None:
        """Open the reason modal for the question a Report button points at."""
        bank, question_id = ref.bank, ref.question_id
        if ref.digest:
            # A long bank or question id was hashed into the custom_id: find it again.
            banks = await self.bot.catalog.ready(interaction.guild_id)
            bank, question_id = find_question(banks, ref.digest) or ("", "")
        if not bank or not question_id:
            await reply(interaction, GONE)
            return
        await interaction.response.send_modal(ReportModal(bank, question_id))


@app_commands.command(name="reports", description="List reported questions (Manage Server)")
async def quiz_reports(interaction: discord.Interaction[QuizBot]) -> None:
    """Show this server's reports grouped by question: count, reasons and reporters."""
    if not is_manager(interaction):
        raise UserError("You need the Manage Server permission to see question reports.")
    bot = interaction.client
    rows = await bot.store.reports.recent(interaction.guild_id or 0, limit=REPORTS_READ)
    if not rows:
        await reply(
            interaction,
            "No reports yet. Players can press 🚩 **Report** under a revealed question.",
        )
        return
    groups = ui.group_reports(rows)
    await reply(
        interaction, embed=ui.reports_embed(groups, bot.catalog.banks_for(interaction.guild_id))
    )


async def setup(bot: QuizBot) -> None:
    """Answer Report clicks (also on messages sent before a restart); add `/quiz reports`."""
    await bot.add_cog(ReportsCog(bot))
    add_quiz_commands(bot, quiz_reports)
    bot.add_dynamic_items(ReportButton)
