"""Helpers every cog shares: user-facing errors, safe replies and permission checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.ui.replies import SOMETHING_WRONG, reply

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "SERVER_ONLY",
    "SOMETHING_WRONG",
    "UserError",
    "is_manager",
    "missing_bot_permissions",
    "quiz_bot",
    "reply",
    "sentence",
]

SERVER_ONLY = "Use this in a server channel."


class UserError(app_commands.AppCommandError):
    """A problem caused by the input or situation; its message is shown to the user as is."""


def quiz_bot(interaction: discord.Interaction) -> QuizBot:
    """Return the bot behind an interaction."""
    return interaction.client  # type: ignore[return-value]


def sentence(text: str) -> str:
    """Return text starting with a capital and ending with a full stop."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def is_manager(interaction: discord.Interaction) -> bool:
    """Return whether the user may manage the server (Manage Server or Administrator)."""
    perms = interaction.permissions
    return perms.manage_guild or perms.administrator


def missing_bot_permissions(interaction: discord.Interaction) -> str | None:
    """Return a message naming what the bot lacks to post in this channel, or None."""
    perms = interaction.app_permissions
    missing = [
        label
        for label, ok in (
            ("View Channel", perms.view_channel),
            ("Send Messages", perms.send_messages),
            ("Embed Links", perms.embed_links),
        )
        if not ok
    ]
    if not missing:
        return None
    names = ", ".join(f"**{m}**" for m in missing)
    return f"I need the {names} permission in this channel. Ask a server manager to grant it."
