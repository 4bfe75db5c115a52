"""Banks and topics as players name them: autocomplete, and reading what they chose.

Shared by the game, learning, boards and ask features. Autocomplete answers at once with the
banks loaded so far; it never waits for a server's imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.core.models import Bank
from bot.core.selection import GameError
from bot.kit import limits
from bot.kit.errors import UserError, sentence
from bot.services.catalog import bank_choices, resolve, topic_choices

if TYPE_CHECKING:
    from bot.client import QuizBot


STILL_LOADING = "This server's own question banks are still loading: try again in a few seconds."


def pick_bank(
    banks: Mapping[str, Bank], bank: str | None, topic: str | None, *, loading: bool = False
) -> tuple[Bank, str | None]:
    """Return the bank and topic slug a player named; raise UserError listing the options.

    `loading`: the server's imported banks are still being read, so a name not found yet may
    well be one of them.
    """
    try:
        return resolve(banks, bank, topic)
    except GameError as exc:
        if loading and (bank or topic):
            raise UserError(STILL_LOADING) from exc
        raise UserError(sentence(str(exc))) from exc


def pick_here(
    interaction: discord.Interaction[QuizBot], bank: str | None, topic: str | None
) -> tuple[Bank, str | None]:
    """Return the bank and topic a player named, among the banks of where they asked."""
    catalog = interaction.client.catalog
    banks = catalog.banks_for(interaction.guild_id)
    return pick_bank(banks, bank, topic, loading=catalog.loading(interaction.guild_id))


def board_scope(
    banks: Mapping[str, Bank], bank: str | None, topic: str | None
) -> tuple[str | None, str | None]:
    """Return the (bank slug, topic slug) filters of a board a player named."""
    if not bank and not topic:
        return None, None
    chosen, topic_slug = pick_bank(banks, bank, topic)
    return (chosen.slug if bank else None), topic_slug


async def topic_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    """Offer the topics of the banks available here."""
    banks = interaction.client.catalog.banks_for(interaction.guild_id)
    bank = getattr(interaction.namespace, "bank", None)
    return [
        app_commands.Choice(name=limits.choice_name(name), value=value[: limits.CHOICE_VALUE])
        for name, value in topic_choices(banks, current, bank)
    ]


async def bank_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    """Offer the banks available here."""
    banks = interaction.client.catalog.banks_for(interaction.guild_id)
    return [
        app_commands.Choice(name=limits.choice_name(name), value=value[: limits.CHOICE_VALUE])
        for name, value in bank_choices(banks, current)
    ]
