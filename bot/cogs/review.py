"""`/practice` and `/review`: private sessions, one question at a time, that train review cards.

Both work in servers and in DMs (in DMs with the global banks); every reply is ephemeral.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._common import UserError, reply, sentence
from bot.cogs.learning import bank_autocomplete, pick_bank, topic_autocomplete
from bot.core.practice import PracticeOutcome
from bot.core.selection import GameError
from bot.services.learning import (
    PRACTICE_COUNT,
    REVIEW_COUNT,
    LearnSession,
    SessionKind,
    service_for,
)
from bot.ui import learning_session as ui

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

UNREADABLE = "I couldn't read that answer. Type a word or a number and try again."
STALE = "That question has moved on; use the buttons on the latest message."


class ReviewCog(commands.Cog, name=ui.SESSION_COG):
    """Personal practice and spaced review."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.service = service_for(bot)
        self.service.on_expire = self._expired

    async def cog_unload(self) -> None:
        """Forget the sessions and stop their idle timer."""
        await self.service.close()

    # -- commands ---------------------------------------------------------------------------
    @app_commands.command(name="practice", description="Practise privately, one question at a time")
    @app_commands.describe(
        topic="Only questions of this topic (default: all)",
        count=f"How many questions (default {PRACTICE_COUNT})",
        bank="Which question bank (default: the first one)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
    async def practice(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        count: app_commands.Range[int, 1, 20] | None = None,
        bank: str | None = None,
    ) -> None:
        """Start a private practice session of fresh questions."""
        chosen, topic_slug = pick_bank(self.bot.banks_for(interaction.guild_id), bank, topic)
        try:
            session = await self.service.start_practice(
                interaction.user.id, interaction.guild_id or 0, chosen, topic_slug,
                count or PRACTICE_COUNT,
            )  # fmt: skip
        except GameError as exc:
            raise UserError(sentence(str(exc))) from exc
        await self._remember_name(interaction)
        await self._show_question(interaction, session, first=True)

    @app_commands.command(name="review", description="Review the facts that are due, privately")
    @app_commands.describe(
        topic="Only facts of this topic (default: all)",
        count=f"How many questions at most (default {REVIEW_COUNT})",
        bank="Which question bank (default: the one with the most facts due)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
    async def review(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        count: app_commands.Range[int, 1, 25] | None = None,
        bank: str | None = None,
    ) -> None:
        """Ask the due facts first, then unseen ones, in the format each card has reached."""
        user_id = interaction.user.id
        banks = self.bot.banks_for(interaction.guild_id)
        if bank or topic:
            chosen, topic_slug = pick_bank(banks, bank, topic)
        else:
            most_due = await self.service.review_bank(user_id, banks)
            if most_due is None:
                raise UserError("No question banks are loaded, so there is nothing to review.")
            chosen, topic_slug = most_due, None
        session = await self.service.start_review(
            user_id, interaction.guild_id or 0, chosen, topic_slug, count or REVIEW_COUNT
        )
        if session is None:
            scope = chosen.slug if (bank or topic) else None
            next_due = await self.service.next_due(user_id, scope)
            await reply(interaction, ui.caught_up_text(next_due))
            return
        await self._remember_name(interaction)
        await self._show_question(interaction, session, first=True)

    async def _remember_name(self, interaction: discord.Interaction) -> None:
        """Store the player's name so boards can show it even if they never played a game."""
        await self.bot.store.players.upsert(interaction.user.id, interaction.user.display_name)

    # -- clicks -----------------------------------------------------------------------------
    async def on_session_action(
        self, interaction: discord.Interaction, session_id: str, number: int, action: str
    ) -> None:
        """Answer, skip, open the text box, go on, or end, for the clicking player's session."""
        session = self.service.session(interaction.user.id, session_id)
        current = session.current if session else None
        if session is None or (current is None and action != "next"):
            await reply(interaction, ui.ENDED)
            return
        if current is not None and current.number != number:
            await reply(interaction, STALE)
            return
        if action == "end":
            self.service.end(session.user_id)
            await self._show_summary(interaction, session, ended_early=True)
        elif action == "next":
            if self.service.advance(session) is None:
                await self._show_summary(interaction, session)
            else:
                await self._show_question(interaction, session)
        elif session.core.answered:
            await reply(interaction, "You already answered this one: press **Next**.")
        elif action == "type":
            assert current is not None
            on_text = functools.partial(self._on_text, session_id, number)
            await interaction.response.send_modal(ui.AnswerModal(current.question.prompt, on_text))
        elif action == "skip":
            await self._show_outcome(interaction, session, await self.service.answer(session))
        else:
            outcome = await self.service.answer(session, choice=int(action[1:]))
            if not outcome.recorded:
                await reply(interaction, "That is not an option of this question.")
                return
            await self._show_outcome(interaction, session, outcome)

    async def _on_text(
        self, session_id: str, number: int, interaction: discord.Interaction, text: str
    ) -> None:
        """Judge a typed answer from the modal."""
        session = self.service.session(interaction.user.id, session_id)
        current = session.current if session else None
        if session is None or current is None:
            await reply(interaction, ui.ENDED)
            return
        if current.number != number:
            await reply(interaction, STALE)
            return
        if session.core.answered:
            await reply(interaction, "You already answered this one: press **Next**.")
            return
        outcome = await self.service.answer(session, text=text)
        if not outcome.recorded:
            await reply(interaction, UNREADABLE)
            return
        await self._show_outcome(interaction, session, outcome, typed=text)

    # -- rendering --------------------------------------------------------------------------
    async def _show_question(
        self, interaction: discord.Interaction, session: LearnSession, *, first: bool = False
    ) -> None:
        current = session.current
        assert current is not None
        embed = ui.question_embed(session.kind, current, session.bank, session.summary())
        view = ui.question_view(session.user_id, session.session_id, current)
        if first:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.response.edit_message(embed=embed, view=view)
        session.handle = interaction

    async def _show_outcome(
        self,
        interaction: discord.Interaction,
        session: LearnSession,
        outcome: PracticeOutcome,
        *,
        typed: str | None = None,
    ) -> None:
        current = session.current
        assert current is not None
        scheduled = session.scheduled.get(outcome.question.fact_id)
        next_review = scheduled.due if scheduled and session.kind is SessionKind.REVIEW else None
        embed = ui.outcome_embed(
            session.kind, outcome, session.bank, typed=typed, next_review=next_review,
            number=current.number, total=current.total,
        )  # fmt: skip
        last = current.number >= current.total
        view = ui.outcome_view(session.user_id, session.session_id, current.number, last=last)
        await interaction.response.edit_message(embed=embed, view=view)
        session.handle = interaction

    async def _show_summary(
        self, interaction: discord.Interaction, session: LearnSession, *, ended_early: bool = False
    ) -> None:
        next_review = await self.service.next_due(session.user_id, session.bank.slug)
        embed = ui.summary_embed(
            session.kind, session.summary(), session.bank, next_review=next_review,
            ended_early=ended_early,
        )  # fmt: skip
        await interaction.response.edit_message(embed=embed, view=None)

    async def _expired(self, session: LearnSession) -> None:
        """Replace an idle session's message with a note that it ended."""
        interaction = session.handle
        if not isinstance(interaction, discord.Interaction):
            return
        minutes = max(1, round(self.service.idle / 60))
        try:
            await interaction.edit_original_response(
                embed=ui.expired_embed(session.kind, minutes), view=None
            )
        except discord.HTTPException as exc:
            log.info("could not mark the idle session of %s as ended: %s", session.user_id, exc)


async def setup(bot: QuizBot) -> None:
    """Add the practice and review commands and their restart-proof session buttons."""
    await bot.add_cog(ReviewCog(bot))
    bot.add_dynamic_items(ui.LearnButton)
