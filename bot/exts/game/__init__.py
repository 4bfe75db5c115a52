"""Channel games: `/quiz start | stop | skip | topics`, answer buttons, chat answers, reveals."""

from bot.exts.game.cog import setup

__all__ = ["setup"]
