"""A server's quiz settings: defaults, allowed channels and the leaderboard reset."""

from bot.exts.settings.cog import setup

__all__ = ["setup"]
