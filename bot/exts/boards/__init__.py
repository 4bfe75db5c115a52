"""Leaderboards and player statistics: `/leaderboard` with its pages, and `/stats`."""

from bot.exts.boards.cog import setup

__all__ = ["setup"]
