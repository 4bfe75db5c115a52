"""Pictures drawn with Pillow: the podium, a leaderboard card and the `/stats` progress chart.

Pure drawing: no Discord, no store, no asyncio. Each function takes plain dataclasses and
returns PNG bytes; callers run them through `asyncio.to_thread`, which is safe because nothing
mutable is shared between calls (fonts are opened per thread).
"""

from bot.pictures.board import leaderboard_png
from bot.pictures.fonts import FontSet, build_font_set, default_fonts
from bot.pictures.models import (
    BoardCard,
    BoardRow,
    Podium,
    PodiumPlace,
    Progress,
    TopicProgress,
    WeekReviews,
)
from bot.pictures.podium import podium_png
from bot.pictures.progress import progress_png

__all__ = [
    "BoardCard",
    "BoardRow",
    "FontSet",
    "Podium",
    "PodiumPlace",
    "Progress",
    "TopicProgress",
    "WeekReviews",
    "build_font_set",
    "default_fonts",
    "leaderboard_png",
    "podium_png",
    "progress_png",
]
