"""The leaderboard web page (`quizbot web`): aiohttp, server-rendered HTML, display names only."""

from bot.services.boards import page_path
from bot.web.app import BankSource, create_app

__all__ = ["BankSource", "create_app", "page_path"]
