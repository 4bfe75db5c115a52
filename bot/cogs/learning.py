"""Bank and topic helpers shared by the quiz, leaderboard, stats, practice, review and ask commands.

This module defines no `setup`, so cog discovery imports it without loading it as a cog.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.cogs._common import UserError, quiz_bot, sentence
from bot.core.models import Bank
from bot.core.selection import GameError
from bot.services.catalog import bank_choices, resolve, topic_choices
from bot.ui import limits


def pick_bank(
    banks: dict[str, Bank], bank: str | None, topic: str | None
) -> tuple[Bank, str | None]:
    """Return the bank and topic slug a player named; raise UserError listing the options."""
    try:
        return resolve(banks, bank, topic)
    except GameError as exc:
        raise UserError(sentence(str(exc))) from exc


def board_scope(
    banks: dict[str, Bank], bank: str | None, topic: str | None
) -> tuple[str | None, str | None]:
    """Return the (bank slug, topic slug) filters of a board a player named."""
    if not bank and not topic:
        return None, None
    chosen, topic_slug = pick_bank(banks, bank, topic)
    return (chosen.slug if bank else None), topic_slug


async def topic_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the topics of the banks available here."""
    banks = quiz_bot(interaction).banks_for(interaction.guild_id)
    bank = getattr(interaction.namespace, "bank", None)
    return [
        app_commands.Choice(name=limits.choice_name(name), value=value[: limits.CHOICE_VALUE])
        for name, value in topic_choices(banks, current, bank)
    ]


async def bank_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the banks available here."""
    banks = quiz_bot(interaction).banks_for(interaction.guild_id)
    return [
        app_commands.Choice(name=limits.choice_name(name), value=value[: limits.CHOICE_VALUE])
        for name, value in bank_choices(banks, current)
    ]
