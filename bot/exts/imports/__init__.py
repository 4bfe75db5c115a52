"""A server's own question banks: `/quiz import` and `/quiz banks`."""

from bot.exts.imports.cog import setup

__all__ = ["setup"]
