"""Personal learning: `/practice` and `/review` sessions that train each player's review cards."""

from bot.exts.learning.cog import setup

__all__ = ["setup"]
