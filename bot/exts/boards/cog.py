"""`/leaderboard` (points or facts learned, all time or this week, pages) and `/stats`."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QuizBot
from bot.exts.boards import embeds as ui
from bot.exts.boards.views import PageButton, board_message, board_view
from bot.kit import limits, pictures
from bot.kit.choices import bank_autocomplete, board_scope, topic_autocomplete
from bot.kit.replies import reply
from bot.pictures import progress_png
from bot.services.boards import BoardQuery

log = logging.getLogger(__name__)

STATS_FILE = "progress.png"


class BoardsCog(commands.Cog, name="Boards"):
    """Server leaderboards and player statistics."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot

    @app_commands.command(name="leaderboard", description="Show this server's leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(
        period="all: every game so far; week: this ISO week (UTC)",
        topic="Only points scored in this topic",
        bank="Only points scored in this question bank",
        rank_by="points: game points; facts: facts learned (moved to free-text recall)",
        picture="Show the board as a picture (points boards)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
    async def leaderboard(  # noqa: PLR0917  (slash options are positional)
        self,
        interaction: discord.Interaction[QuizBot],
        period: Literal["all", "week"] = "all",
        topic: str | None = None,
        bank: str | None = None,
        rank_by: Literal["points", "facts"] = "points",
        picture: bool = False,
    ) -> None:
        """Show page 1 of the board, with the caller's own rank under it when further down."""
        guild_id = interaction.guild_id or 0
        banks = self.bot.catalog.banks_for(guild_id)
        bank_slug, topic_slug = board_scope(banks, bank, topic)
        picture = picture and rank_by == "points"  # a facts board is a list of counts: text
        query = BoardQuery(
            interaction.user.id, period, rank_by, topic_slug, bank_slug, picture=picture
        )
        if picture:
            await interaction.response.defer()  # drawing takes a moment: answer Discord first
        scope = ui.scope_label(banks, query)
        if rank_by == "facts" and scope:
            # Facts are learned across banks and topics; the board cannot split them.
            scope = "every topic and bank (facts boards are not split)"
            query = replace(query, topic=None, bank=None)
        page = await self.bot.boards.page(guild_id, query)
        if page.empty:
            await reply(interaction, ui.empty_board_text(query, scope), ephemeral=False)
            return
        view = board_view(page)
        embed, file = await board_message(page, scope)
        if interaction.response.is_done():
            await interaction.followup.send(
                embed=embed, view=view or discord.utils.MISSING,
                file=file or discord.utils.MISSING,
            )  # fmt: skip
        elif view is None:
            await interaction.response.send_message(embed=embed)
        else:
            await interaction.response.send_message(embed=embed, view=view)

    @app_commands.command(name="stats", description="Show a player's results and learning progress")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(
        self,
        interaction: discord.Interaction[QuizBot],
        member: discord.Member | discord.User | None = None,
    ) -> None:
        """Show points, games, accuracy, streaks by topic, mastery, due reviews and day streak."""
        target = member or interaction.user
        guild_id = interaction.guild_id or 0
        # Reading the progress and drawing its chart takes a moment: answer Discord first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        banks = self.bot.catalog.banks_for(guild_id)
        overview = await self.bot.boards.overview(guild_id, target.id, banks)
        name = target.display_name
        if overview.empty:
            who = "You have" if target.id == interaction.user.id else f"{limits.name(name)} has"
            await reply(
                interaction,
                f"{who} not played or reviewed anything here yet. "
                "Try `/quiz start` for a game or `/practice` on your own.",
            )
            return
        embed = ui.stats_embed(name, overview, banks)
        png = None
        if overview.reviewed_facts:
            png = await pictures.draw(progress_png, ui.progress(name, overview, banks))
        if png is None:
            await reply(interaction, embed=embed)
            return
        embed.set_image(url=f"attachment://{STATS_FILE}")
        await interaction.followup.send(
            embed=limits.fit_embed(embed), file=pictures.png_file(png, STATS_FILE), ephemeral=True
        )


async def setup(bot: QuizBot) -> None:
    """Add the leaderboard and stats commands and the restart-proof page buttons."""
    await bot.add_cog(BoardsCog(bot))
    bot.add_dynamic_items(PageButton)
