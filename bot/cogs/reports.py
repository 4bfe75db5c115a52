"""The 🚩 Report button under revealed questions, and `/quiz reports` for server managers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._common import UserError, is_manager, quiz_bot, reply
from bot.cogs._groups import add_quiz_commands
from bot.ui import learning as ui

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

REPORTS_READ = 200


@app_commands.command(name="reports", description="List reported questions (Manage Server)")
async def quiz_reports(interaction: discord.Interaction) -> None:
    """Show this server's reports grouped by question: count, reasons and reporters."""
    if not is_manager(interaction):
        raise UserError("You need the Manage Server permission to see question reports.")
    bot = quiz_bot(interaction)
    rows = await bot.store.reports.list(interaction.guild_id or 0, limit=REPORTS_READ)
    if not rows:
        await reply(
            interaction,
            "No reports yet. Players can press 🚩 **Report** under a revealed question.",
        )
        return
    groups = ui.group_reports(rows)
    await reply(interaction, embed=ui.reports_embed(groups, bot.banks_for(interaction.guild_id)))


class ReportsCog(commands.Cog, name="Reports"):
    """Question reports (the command lives in the /quiz group)."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot


async def setup(bot: QuizBot) -> None:
    """Register the restart-proof Report button and make sure /quiz is in the tree."""
    await bot.add_cog(ReportsCog(bot))
    add_quiz_commands(bot, quiz_reports)
    bot.add_dynamic_items(ui.ReportButton)
