"""Helpers every cog shares: user-facing errors, safe replies and permission checks."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.ui import limits

log = logging.getLogger(__name__)

SERVER_ONLY = "Use this in a server channel."
SOMETHING_WRONG = "Something went wrong. Please try again."


class UserError(app_commands.AppCommandError):
    """A problem caused by the input or situation; its message is shown to the user as is."""


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


async def reply(
    interaction: discord.Interaction,
    text: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction, or follow it up when it was already answered; never raise."""
    kwargs: dict[str, object] = {"ephemeral": ephemeral}
    if text is not None:
        kwargs["content"] = limits.content(text)
    if embed is not None:
        kwargs["embed"] = limits.fit_embed(embed)
    if view is not None:
        kwargs["view"] = view
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)  # type: ignore[arg-type]
        else:
            await interaction.response.send_message(**kwargs)  # type: ignore[arg-type]
    except discord.HTTPException as exc:
        # The interaction may have expired (10062); there is nobody left to tell.
        log.warning("could not answer interaction %s: %s", interaction.id, exc)
