"""The `/stats` chart: mastery bars fill with the share, week columns grow with the reviews."""

from __future__ import annotations

from datetime import date, timedelta

from PIL import Image
from support.pictures import decode, require, save_screenshot

from bot.pictures import Progress, TopicProgress, WeekReviews, default_fonts, progress_png
from bot.pictures import canvas as palette
from bot.pictures.progress import (
    BAR_LEFT,
    BAR_RIGHT,
    BAR_THICKNESS,
    CHART_HEIGHT,
    MAX_TOPICS,
    MAX_WEEKS,
    PAD,
    WIDTH,
    chart_height,
)

MONDAY = date(2026, 1, 5)
LATEST = palette.ACCENT
EARLIER = (72, 82, 170)


def _weeks(*counts: int) -> list[WeekReviews]:
    return [WeekReviews(MONDAY + timedelta(weeks=i), n) for i, n in enumerate(counts)]


def _bar_colours(image: Image.Image, y: int) -> list[tuple[int, int, int]]:
    """Return the colour at each tenth of a mastery bar's length, on row y."""
    span = BAR_RIGHT - BAR_LEFT
    return [image.getpixel((BAR_LEFT + round(span * (i + 0.5) / 10), y)) for i in range(10)]  # type: ignore[misc]


def _bar_rows(image: Image.Image) -> list[int]:
    """Return the middle row of each mastery bar: runs of bar colours as thick as a bar."""
    x = BAR_LEFT + 20
    colours = {palette.TRACK, palette.SEEN, palette.MASTERED}
    middles, start = [], None
    for y in range(image.height + 1):
        hit = y < image.height and image.getpixel((x, y)) in colours
        if hit and start is None:
            start = y
        elif not hit and start is not None:
            if y - start >= BAR_THICKNESS - 2:  # not a one-pixel gridline of the week chart
                middles.append((start + y - 1) // 2)
            start = None
    return middles


def _column_heights(image: Image.Image, count: int) -> list[int]:
    """Return the height in pixels of each week's column, measured at the slot centres."""
    left, right = PAD + 48, WIDTH - PAD
    slot = (right - left) / count
    heights = []
    for i in range(count):
        x = round(left + slot * (i + 0.5))
        heights.append(
            sum(1 for y in range(image.height) if image.getpixel((x, y)) in (LATEST, EARLIER))
        )
    return heights


def test_mastery_bars_show_mastered_then_seen_then_the_rest() -> None:
    topics = [
        TopicProgress("All mastered", 8, mastered=8, seen=8),
        TopicProgress("Half seen, a fifth mastered", 10, mastered=2, seen=5),
        TopicProgress("Untouched", 5, mastered=0, seen=0),
    ]
    image = decode(progress_png(Progress("Ana", topics, _weeks(1, 2))))
    rows = _bar_rows(image)
    assert len(rows) == 3
    full, partial, none = (_bar_colours(image, y) for y in rows)
    assert full == [palette.MASTERED] * 10
    assert partial == [palette.MASTERED] * 2 + [palette.SEEN] * 3 + [palette.TRACK] * 5
    assert none == [palette.TRACK] * 10


def test_week_columns_grow_with_the_reviews_and_the_latest_stands_out() -> None:
    counts = (0, 5, 10, 20, 40)
    image = decode(progress_png(Progress("Ana", [], _weeks(*counts))))
    heights = _column_heights(image, len(counts))
    assert heights[0] == 0
    assert heights[1] < heights[2] < heights[3] < heights[4] <= CHART_HEIGHT
    assert abs(heights[3] * 2 - heights[4]) <= 3  # proportional to the count
    colours = {c for _, c in image.getcolors(image.width * image.height) or []}
    assert LATEST in colours and EARLIER in colours


def test_only_the_latest_weeks_and_the_first_topics_are_drawn() -> None:
    many = Progress(
        "Ana", [TopicProgress(f"T{i}", 4, 1, 2) for i in range(25)], _weeks(*range(1, 30))
    )
    image = decode(progress_png(many))
    assert len(_bar_rows(image)) == MAX_TOPICS
    assert image.height == chart_height(many)
    heights = _column_heights(image, MAX_WEEKS)
    assert all(h > 0 for h in heights)
    assert heights == sorted(heights)


def test_an_empty_chart_draws_without_bars() -> None:
    image = decode(progress_png(Progress("Нови играч")))
    assert _bar_rows(image) == []
    assert _column_heights(image, 1) == [0]


def test_the_readme_stats_chart() -> None:
    fonts = default_fonts()
    require(fonts.has_emoji, "no colour emoji font (apt-get install fonts-noto-color-emoji)")
    topics = [
        TopicProgress("Diplomacy and the visit", 12, 7, 10),
        TopicProgress("Economy and travel", 9, 3, 6),
        TopicProgress("Energy and transport", 6, 1, 3),
        TopicProgress("Culture and people", 8, 8, 8),
        TopicProgress("History", 5, 0, 0),
    ]
    progress = Progress("Gülşən Əliyeva 🌟", topics, _weeks(0, 4, 12, 7, 0, 23, 18, 31))
    png = progress_png(progress, fonts)
    assert len(_bar_rows(decode(png))) == len(topics)
    save_screenshot("stats.png", png)
