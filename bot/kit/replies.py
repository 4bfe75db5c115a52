"""Answer interactions safely: within Discord's limits, followed up if need be, never raising."""

from __future__ import annotations

import logging

import discord

from bot.kit import limits

log = logging.getLogger(__name__)

SOMETHING_WRONG = "Something went wrong. Please try again."


async def reply(
    interaction: discord.Interaction,
    text: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction, or follow it up when it was already answered; never raise."""
    content = limits.content(text) if text is not None else None
    fitted = limits.fit_embed(embed) if embed is not None else None
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                content=content or discord.utils.MISSING,
                embed=fitted or discord.utils.MISSING,
                view=view or discord.utils.MISSING,
                ephemeral=ephemeral,
            )
        else:
            await interaction.response.send_message(
                content=content,
                embed=fitted or discord.utils.MISSING,
                view=view or discord.utils.MISSING,
                ephemeral=ephemeral,
            )
    except discord.HTTPException as exc:
        # The interaction may have expired (10062); there is nobody left to tell.
        log.warning("could not answer interaction %s: %s", interaction.id, exc)


async def apologise(interaction: discord.Interaction) -> None:
    """Tell the user privately that their action failed; never raise."""
    await reply(interaction, SOMETHING_WRONG)
