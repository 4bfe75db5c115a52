"""The `/stats` chart: mastery per topic as bars, and reviews per week as columns."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from bot.pictures import canvas, text
from bot.pictures.fonts import FontSet, default_fonts
from bot.pictures.models import Progress, TopicProgress, WeekReviews

WIDTH = 900
PAD = 32
HEADER = 80
SECTION_HEAD = 44
TOPIC_ROW = 44
#: Topics drawn at most; the rest are counted in a "+N more" line.
MAX_TOPICS = 10
#: Weeks drawn at most (the latest ones).
MAX_WEEKS = 12
CHART_HEIGHT = 190
WEEK_LABELS = 34
BOTTOM = 24
LABEL_WIDTH = 290
BAR_LEFT = PAD + LABEL_WIDTH + 20
BAR_RIGHT = WIDTH - PAD - 130
BAR_THICKNESS = 14
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NAMELESS = "Player"


def _topic_rows(progress: Progress) -> int:
    shown = min(len(progress.topics), MAX_TOPICS)
    more = 1 if len(progress.topics) > MAX_TOPICS else 0
    return max(1, shown + more)


def chart_height(progress: Progress) -> int:
    """Return the picture's height for `progress`."""
    topics = SECTION_HEAD + _topic_rows(progress) * TOPIC_ROW
    weeks = SECTION_HEAD + 16 + CHART_HEIGHT + WEEK_LABELS
    return HEADER + topics + 16 + weeks + BOTTOM


def _legend(image: Image.Image, right: int, baseline: float, fonts: FontSet) -> None:
    pen = ImageDraw.Draw(image)
    x = right
    for label, colour in (("seen", canvas.SEEN), ("mastered", canvas.MASTERED)):
        line = text.layout(label, fonts, 16)
        text.draw(image, (x, baseline), line, canvas.MUTED, align="right")
        x -= round(line.width) + 20
        pen.rounded_rectangle((x, baseline - 12, x + 12, baseline), radius=3, fill=colour)
        x -= 22


def _topic(image: Image.Image, top: int, topic: TopicProgress, fonts: FontSet) -> None:
    pen = ImageDraw.Draw(image)
    middle = top + TOPIC_ROW / 2
    label = text.fit(topic.name, fonts, (20, 18, 16), LABEL_WIDTH, fallback="Topic")
    text.draw(image, (PAD, text.cap_baseline(middle, 20, fonts)), label, canvas.TEXT)
    bar_top = round(middle - BAR_THICKNESS / 2)
    box = (BAR_LEFT, bar_top, BAR_RIGHT, bar_top + BAR_THICKNESS)
    pen.rounded_rectangle(box, radius=BAR_THICKNESS // 2, fill=canvas.TRACK)
    span = BAR_RIGHT - BAR_LEFT
    facts = max(topic.facts, 1)
    seen = min(max(topic.seen, topic.mastered), topic.facts)
    mastered = min(topic.mastered, topic.facts)
    for count, colour in ((seen, canvas.SEEN), (mastered, canvas.MASTERED)):
        width = round(span * count / facts)
        if width >= BAR_THICKNESS:
            right = BAR_LEFT + width
            pen.rounded_rectangle(
                (BAR_LEFT, bar_top, right, bar_top + BAR_THICKNESS),
                radius=BAR_THICKNESS // 2,
                fill=colour,
            )
        elif width > 0:
            pen.ellipse(
                (BAR_LEFT, bar_top, BAR_LEFT + BAR_THICKNESS, bar_top + BAR_THICKNESS), fill=colour
            )
    share = mastered / topic.facts if topic.facts else 0.0
    figures = text.layout(f"{share:.0%} · {mastered}/{topic.facts}", fonts, 18)
    text.draw(
        image,
        (WIDTH - PAD, text.cap_baseline(middle, 18, fonts)),
        figures,
        canvas.MUTED,
        align="right",
    )


def _nice_top(value: int) -> int:
    """Return a round, even number at or above `value` for the chart's top gridline."""
    if value <= 4:
        return 4
    if value <= 10:
        return 10
    magnitude = 10 ** int(math.log10(value))
    return next(s * magnitude for s in (1, 2, 4, 5, 10) if s * magnitude >= value)


def _weeks(image: Image.Image, top: int, weeks: tuple[WeekReviews, ...], fonts: FontSet) -> None:
    pen = ImageDraw.Draw(image)
    left, right = PAD + 48, WIDTH - PAD
    floor = top + CHART_HEIGHT
    peak = _nice_top(max((w.reviews for w in weeks), default=0))
    for fraction in (0.0, 0.5, 1.0):
        y = round(floor - CHART_HEIGHT * fraction)
        pen.line((left, y, right, y), fill=canvas.TRACK if fraction else canvas.FAINT, width=1)
        value = text.layout(f"{round(peak * fraction):,}", fonts, 14)
        text.draw(
            image, (left - 10, text.cap_baseline(y, 14, fonts)), value, canvas.FAINT, align="right"
        )
    if not weeks or all(w.reviews == 0 for w in weeks):
        note = text.layout("No reviews in these weeks yet", fonts, 20, bold=True)
        text.draw(
            image,
            ((left + right) / 2, floor - CHART_HEIGHT * 0.7),
            note,
            canvas.MUTED,
            align="center",
        )
    slot = (right - left) / max(1, len(weeks))
    bar = min(56.0, slot * 0.62)
    for index, week in enumerate(weeks):
        centre = left + slot * (index + 0.5)
        height = round(CHART_HEIGHT * week.reviews / peak)
        latest = index == len(weeks) - 1
        colour = canvas.ACCENT if latest else (72, 82, 170)
        if height > 0:
            box = (round(centre - bar / 2), floor - height, round(centre + bar / 2), floor - 1)
            pen.rounded_rectangle(
                box, radius=min(6, height // 2), fill=colour, corners=(True, True, False, False)
            )
            count = text.layout(f"{week.reviews:,}", fonts, 15, bold=True)
            text.draw(image, (centre, floor - height - 8), count, canvas.TEXT, align="center")
        day = week.start
        label = text.layout(f"{MONTHS[day.month - 1]} {day.day}", fonts, 14)
        text.draw(
            image,
            (centre, floor + 22),
            label,
            canvas.TEXT if latest else canvas.MUTED,
            align="center",
        )


def draw_progress(progress: Progress, fonts: FontSet | None = None) -> Image.Image:
    """Return the progress chart as an RGB image."""
    fonts = fonts or default_fonts()
    image = canvas.background(WIDTH, chart_height(progress))
    title = text.fit(
        f"Progress · {text.drawable(progress.name, fonts) or NAMELESS}",
        fonts,
        (30, 26, 22),
        WIDTH - 2 * PAD,
        bold=True,
    )
    text.draw(image, (PAD, 52), title, canvas.TEXT)
    top = HEADER
    head = text.layout("Mastery by topic", fonts, 20, bold=True)
    text.draw(image, (PAD, top + 26), head, canvas.MUTED)
    _legend(image, WIDTH - PAD, top + 26, fonts)
    top += SECTION_HEAD
    shown = progress.topics[:MAX_TOPICS]
    for index, topic in enumerate(shown):
        _topic(image, top + index * TOPIC_ROW, topic, fonts)
    if not shown:
        none = text.layout("No facts reviewed yet: /review to start", fonts, 20)
        text.draw(image, (PAD, top + TOPIC_ROW / 2 + 7), none, canvas.MUTED)
    hidden = len(progress.topics) - len(shown)
    if hidden > 0:
        more = text.layout(f"+{canvas.plural(hidden, 'more topic')}", fonts, 18)
        text.draw(image, (PAD, top + len(shown) * TOPIC_ROW + 27), more, canvas.FAINT)
    top += _topic_rows(progress) * TOPIC_ROW + 16
    weeks = tuple(progress.weeks[-MAX_WEEKS:])
    head = text.layout("Reviews per week", fonts, 20, bold=True)
    text.draw(image, (PAD, top + 26), head, canvas.MUTED)
    top += SECTION_HEAD + 16
    _weeks(image, top, weeks, fonts)
    return image


def progress_png(progress: Progress, fonts: FontSet | None = None) -> bytes:
    """Return the progress chart as PNG bytes (safe to call from several threads at once)."""
    return canvas.to_png(draw_progress(progress, fonts))
