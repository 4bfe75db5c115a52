"""Embeds of `/quiz settings`: a server's game defaults and where games may run."""

from __future__ import annotations

import discord

from bot.kit import limits
from bot.store.records import GuildSettings

COLOUR_SETTINGS = discord.Colour.blurple()


def settings_embed(
    settings: GuildSettings, changed: list[str], *, web_link: str | None = None
) -> discord.Embed:
    """Return the server's current game defaults, where games may run, and the web page."""
    mode = settings.mode if settings.mode in ("buttons", "classic") else "buttons"
    embed = discord.Embed(title="Quiz settings", colour=COLOUR_SETTINGS)
    embed.add_field(name="Seconds per question", value=str(settings.seconds))
    embed.add_field(name="Questions per game", value=str(settings.questions))
    embed.add_field(name="Mode", value=mode)
    channels = settings.allowed_channel_ids
    where = ", ".join(f"<#{c}>" for c in channels) if channels else "Every channel"
    embed.add_field(name="Games allowed in", value=limits.cut(where, 1000), inline=False)
    if not settings.web_page:
        page = "Off: `/quiz settings web_page:true` shows the leaderboards on the web"
    elif web_link:
        page = f"On: {web_link}"
    else:
        page = "On, but this bot has no web address set (its owner sets `QUIZBOT_WEB_URL`)"
    embed.add_field(name="Leaderboard web page", value=page, inline=False)
    if changed:
        embed.description = "Changed: " + ", ".join(changed)
    return limits.fit_embed(embed)
