"""Permission checks on an interaction: the user's, and the bot's own in the channel."""

from __future__ import annotations

import discord


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
