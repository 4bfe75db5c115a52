"""Helpers shared by the leaderboard, stats, practice, review, ask and report commands.

This module defines no `setup`, so cog discovery imports it without loading it as a cog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs._common import UserError
from bot.core.models import Bank
from bot.core.selection import GameError
from bot.services.catalog import bank_choices, resolve, topic_choices
from bot.ui import limits

if TYPE_CHECKING:
    from bot.client import QuizBot


def quiz_bot(interaction: discord.Interaction) -> QuizBot:
    """Return the bot behind an interaction."""
    return interaction.client  # type: ignore[return-value]


def sentence(text: str) -> str:
    """Return text starting with a capital and ending with a full stop."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


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
) -> tuple[str | None, str | None, str]:
    """Return the (bank slug, topic slug) filters of a board and a readable label of them."""
    if not bank and not topic:
        return None, None, ""
    chosen, topic_slug = pick_bank(banks, bank, topic)
    parts: list[str] = []
    if topic_slug is not None:
        parts.append(f"Topic: {chosen.topics.get(topic_slug, topic_slug)}")
    if bank:
        parts.append(f"Bank: {chosen.title}")
    return (chosen.slug if bank else None), topic_slug, " · ".join(parts)


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
