"""`/practice` and `/review`: private sessions, one question at a time, that train review cards.

Both work in servers and in DMs (in DMs with the built-in banks); every reply is ephemeral.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QuizBot
from bot.core.selection import GameError
from bot.exts.learning import embeds as ui
from bot.exts.learning.views import LearnButton, show_question
from bot.kit.choices import bank_autocomplete, pick_here, topic_autocomplete
from bot.kit.errors import UserError, sentence
from bot.kit.replies import reply
from bot.services.sessions import PRACTICE_COUNT, REVIEW_COUNT, LearnSession

log = logging.getLogger(__name__)


class LearningCog(commands.Cog, name="Learning"):
    """Personal practice and spaced review."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        bot.sessions.on_expire = self._expired

    async def cog_unload(self) -> None:
        """Forget the sessions and stop their idle timer."""
        self.bot.sessions.on_expire = None
        await self.bot.sessions.close()

    @app_commands.command(name="practice", description="Practise privately, one question at a time")
    @app_commands.describe(
        topic="Only questions of this topic (default: all)",
        count=f"How many questions (default {PRACTICE_COUNT})",
        bank="Which question bank (default: the first one)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
    async def practice(
        self,
        interaction: discord.Interaction[QuizBot],
        topic: str | None = None,
        count: app_commands.Range[int, 1, 20] | None = None,
        bank: str | None = None,
    ) -> None:
        """Start a private practice session of fresh questions."""
        chosen, topic_slug = pick_here(interaction, bank, topic)
        try:
            session = await self.bot.sessions.start_practice(
                interaction.user.id, interaction.guild_id or 0, chosen, topic_slug,
                count or PRACTICE_COUNT,
            )  # fmt: skip
        except GameError as exc:
            raise UserError(sentence(str(exc))) from exc
        await self._remember_name(interaction)
        await show_question(interaction, session, first=True)

    @app_commands.command(name="review", description="Review the facts that are due, privately")
    @app_commands.describe(
        topic="Only facts of this topic (default: all)",
        count=f"How many questions at most (default {REVIEW_COUNT})",
        bank="Which question bank (default: the one with the most facts due)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
    async def review(
        self,
        interaction: discord.Interaction[QuizBot],
        topic: str | None = None,
        count: app_commands.Range[int, 1, 25] | None = None,
        bank: str | None = None,
    ) -> None:
        """Ask the due facts first, then unseen ones, in the format each card has reached."""
        user_id = interaction.user.id
        banks = self.bot.catalog.banks_for(interaction.guild_id)
        if bank or topic:
            chosen, topic_slug = pick_here(interaction, bank, topic)
        else:
            most_due = await self.bot.cards.bank_to_review(user_id, banks)
            if most_due is None:
                raise UserError("No question banks are loaded, so there is nothing to review.")
            chosen, topic_slug = most_due, None
        session = await self.bot.sessions.start_review(
            user_id, interaction.guild_id or 0, chosen, topic_slug, count or REVIEW_COUNT
        )
        if session is None:
            scope = chosen.slug if (bank or topic) else None
            next_due = await self.bot.cards.next_due(user_id, scope)
            await reply(interaction, ui.caught_up_text(next_due))
            return
        await self._remember_name(interaction)
        await show_question(interaction, session, first=True)

    async def _remember_name(self, interaction: discord.Interaction) -> None:
        """Store the player's name so boards can show it even if they never played a game."""
        await self.bot.store.players.upsert(interaction.user.id, interaction.user.display_name)

    async def _expired(self, session: LearnSession) -> None:
        """Replace an idle session's message with a note that it ended."""
        interaction = session.handle
        if not isinstance(interaction, discord.Interaction):
            return
        minutes = max(1, round(self.bot.sessions.idle / 60))
        try:
            await interaction.edit_original_response(
                embed=ui.expired_embed(session.kind, minutes), view=None
            )
        except discord.HTTPException as exc:
            log.info("could not mark the idle session of %s as ended: %s", session.user_id, exc)


async def setup(bot: QuizBot) -> None:
    """Add the practice and review commands and their restart-proof session buttons."""
    await bot.add_cog(LearningCog(bot))
    bot.add_dynamic_items(LearnButton)
