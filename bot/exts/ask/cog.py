"""`/ask question:<text>`: answer from the article's own facts, with paragraph and bank.

Works in servers and in DMs (in DMs with the built-in banks); replies are ephemeral.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QuizBot
from bot.exts.ask import embeds as ui
from bot.kit.choices import bank_autocomplete, pick_here
from bot.kit.errors import UserError
from bot.kit.replies import reply
from bot.services.ask import MAX_QUESTION_CHARS

log = logging.getLogger(__name__)


class AskCog(commands.Cog, name="Ask"):
    """Questions about the article, answered with its facts."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Build the built-in banks' indexes once, at load."""
        self.bot.asker.warm(self.bot.catalog.banks.values())

    @app_commands.command(name="ask", description="Ask what the article says about something")
    @app_commands.describe(
        question=f"Your question (up to {MAX_QUESTION_CHARS} characters)",
        bank="Only this question bank's article (default: every bank)",
    )
    @app_commands.autocomplete(bank=bank_autocomplete)
    async def ask(
        self, interaction: discord.Interaction[QuizBot], question: str, bank: str | None = None
    ) -> None:
        """Reply with the one or two facts that answer the question best, or say there are none."""
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(ui.too_long_question(len(question), MAX_QUESTION_CHARS))
        if not question.strip():
            raise UserError("Ask a question in words, e.g. `/ask question: who visited whom?`")
        banks = self.bot.catalog.banks_for(interaction.guild_id)
        if bank:
            candidates = [pick_here(interaction, bank, None)[0]]
        else:
            candidates = [banks[slug] for slug in sorted(banks)]
        # Searching many banks (and indexing a new one) takes time: answer Discord first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        answers = await self.bot.asker.answer(candidates, question, self.bot.games.open_facts())
        if not answers:
            await reply(interaction, ui.NOT_IN_ARTICLE)
            return
        await reply(interaction, embed=ui.ask_embed(question, answers))


async def setup(bot: QuizBot) -> None:
    """Add the ask command."""
    await bot.add_cog(AskCog(bot))
