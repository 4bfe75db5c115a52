"""Asking the article: `/ask` answers with the facts that fit, citing their paragraphs."""

from bot.exts.ask.cog import setup

__all__ = ["setup"]
