"""Question reports: the 🚩 Report button's modal and `/quiz reports`."""

from bot.exts.reports.cog import setup

__all__ = ["setup"]
