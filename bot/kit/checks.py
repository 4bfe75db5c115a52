"""Permission checks on an interaction: the user's, and the bot's own in the channel."""

from __future__ import annotations

import discord
from discord import ChannelType


def is_manager(interaction: discord.Interaction) -> bool:
    """Return whether the user may manage the server (Manage Server or Administrator)."""
    perms = interaction.permissions
    return perms.manage_guild or perms.administrator


NOT_IN_PRIVATE_THREAD = (
    "I can't post in this private thread. Add me to it (mention me in the thread, or invite me "
    "from its member list) and start the game again."
)


def is_thread(interaction: discord.Interaction) -> bool:
    """Tell whether the interaction comes from a thread (a forum post is one too)."""
    return isinstance(interaction.channel, discord.Thread)


def missing_bot_permissions(interaction: discord.Interaction) -> str | None:
    """Return a message naming what the bot lacks to post in this channel, or None.

    In a thread (or a forum post) posting takes Send Messages in Threads, not Send Messages;
    a private thread is hidden from the bot until someone adds it, which no permission fixes.
    """
    perms = interaction.app_permissions
    channel = interaction.channel
    private = isinstance(channel, discord.Thread) and channel.type is ChannelType.private_thread
    if private and not perms.view_channel:
        return NOT_IN_PRIVATE_THREAD
    send = (
        ("Send Messages in Threads", perms.send_messages_in_threads)
        if is_thread(interaction)
        else ("Send Messages", perms.send_messages)
    )
    missing = [
        label
        for label, ok in (
            ("View Channel", perms.view_channel),
            send,
            ("Embed Links", perms.embed_links),
        )
        if not ok
    ]
    if not missing:
        return None
    names = ", ".join(f"**{m}**" for m in missing)
    return f"I need the {names} permission in this channel. Ask a server manager to grant it."
