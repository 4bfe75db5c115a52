"""A leaderboard page as a picture: rank, name, points and accuracy, the caller highlighted."""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.pictures import canvas, text
from bot.pictures.fonts import FontSet, default_fonts
from bot.pictures.models import BoardCard, BoardRow

WIDTH = 900
PAD = 32
HEADER = 84
SCOPE_LINE = 30
COLUMNS_HEAD = 36
ROW_HEIGHT = 60
ROW_GAP = 4
#: The band between the page and the caller's own line when they are further down.
CALLER_GAP = 40
BOTTOM = 28
#: Width of the accent bar at the left edge of the caller's row.
ACCENT_WIDTH = 6
NAMELESS = "Player"

RANK_X = PAD + 18
NAME_X = PAD + 84
POINTS_RIGHT = WIDTH - PAD - 230
ACCURACY_LEFT = WIDTH - PAD - 196
ACCURACY_RIGHT = WIDTH - PAD - 20
BAR_WIDTH = 96


def card_height(card: BoardCard) -> int:
    """Return the picture's height for a page of `card`."""
    rows = max(1, len(card.rows))
    extra = CALLER_GAP + ROW_HEIGHT if card.caller is not None else 0
    scope = SCOPE_LINE if card.scope else 0
    return HEADER + scope + COLUMNS_HEAD + rows * ROW_HEIGHT + extra + BOTTOM


def _rank(image: Image.Image, top: int, rank: int, fonts: FontSet) -> None:
    middle = top + (ROW_HEIGHT - ROW_GAP) // 2
    centre_x = RANK_X + 22
    colour = canvas.medal(rank)
    if colour is not None:
        canvas.paste_disc(image, (centre_x, middle), colour, 38)
        number = text.layout(str(rank), fonts, 19, bold=True)
        baseline = text.cap_baseline(middle, 19, fonts, bold=True)
        text.draw(image, (centre_x, baseline), number, canvas.INK, align="center")
        return
    label = text.fit(f"#{rank:,}", fonts, (20, 17, 14), 62, bold=True)
    baseline = text.cap_baseline(middle, label.size, fonts, bold=True)
    text.draw(image, (centre_x, baseline), label, canvas.MUTED, align="center")


def _row(image: Image.Image, top: int, row: BoardRow, index: int, fonts: FontSet) -> None:
    pen = ImageDraw.Draw(image)
    bottom = top + ROW_HEIGHT - ROW_GAP
    zebra = canvas.ROW_EVEN if index % 2 == 0 else canvas.ROW_ODD
    fill = canvas.HIGHLIGHT if row.you else zebra
    pen.rectangle((PAD, top, WIDTH - PAD - 1, bottom - 1), fill=fill)
    if row.you:
        pen.rectangle((PAD, top, PAD + ACCENT_WIDTH - 1, bottom - 1), fill=canvas.ACCENT)
    middle = (top + bottom) / 2
    _rank(image, top, row.rank, fonts)
    baseline = text.cap_baseline(middle, 24, fonts, bold=True)
    room = POINTS_RIGHT - 150 - NAME_X - (56 if row.you else 0)
    name = text.fit(row.name, fonts, (24, 21, 18), room, bold=True, fallback=NAMELESS)
    text.draw(image, (NAME_X, baseline), name, canvas.TEXT)
    if row.you:
        left = NAME_X + name.width + 12
        pen.rounded_rectangle(
            (left, middle - 12, left + 44, middle + 12), radius=12, fill=canvas.ACCENT
        )
        you = text.layout("you", fonts, 15, bold=True)
        text.draw(
            image,
            (left + 22, text.cap_baseline(middle, 15, fonts, bold=True)),
            you,
            canvas.TEXT,
            align="center",
        )
    points = text.fit(f"{row.points:,}", fonts, (24, 20, 17), 150, bold=True)
    text.draw(image, (POINTS_RIGHT, baseline), points, canvas.TEXT, align="right")
    # Accuracy: a small bar and the share.
    bar_top = round(middle) - 4
    pen.rounded_rectangle(
        (ACCURACY_LEFT, bar_top, ACCURACY_LEFT + BAR_WIDTH, bar_top + 8),
        radius=4,
        fill=canvas.TRACK,
    )
    filled = round(BAR_WIDTH * row.accuracy)
    if filled >= 8:
        pen.rounded_rectangle(
            (ACCURACY_LEFT, bar_top, ACCURACY_LEFT + filled, bar_top + 8),
            radius=4,
            fill=canvas.MASTERED,
        )
    share = text.layout(f"{row.accuracy:.0%}", fonts, 20)
    text.draw(
        image,
        (ACCURACY_RIGHT, text.cap_baseline(middle, 20, fonts)),
        share,
        canvas.MUTED,
        align="right",
    )


def draw_board(card: BoardCard, fonts: FontSet | None = None) -> Image.Image:
    """Return a leaderboard page as an RGB image."""
    fonts = fonts or default_fonts()
    height = card_height(card)
    image = canvas.background(WIDTH, height)
    right = f"Page {card.page}/{max(1, card.pages)}"
    if card.players:
        right += f" · {canvas.plural(card.players, 'player')}"
    corner = text.layout(right, fonts, 19)
    text.draw(image, (WIDTH - PAD, 52), corner, canvas.MUTED, align="right")
    title = text.fit(
        card.title,
        fonts,
        (30, 26, 22),
        WIDTH - 2 * PAD - corner.width - 24,
        bold=True,
        fallback="Leaderboard",
    )
    text.draw(image, (PAD, 52), title, canvas.TEXT)
    top = HEADER
    if card.scope:
        scope = text.layout(card.scope, fonts, 20, max_width=WIDTH - 2 * PAD)
        text.draw(image, (PAD, top - 8), scope, canvas.MUTED)
        top += SCOPE_LINE
    heads = (
        ("#", RANK_X + 22, "center"),
        ("PLAYER", NAME_X, "left"),
        ("POINTS", POINTS_RIGHT, "right"),
        ("ACCURACY", ACCURACY_RIGHT, "right"),
    )
    for label, x, align in heads:
        head = text.layout(label, fonts, 15, bold=True)
        text.draw(image, (x, top + 22), head, canvas.FAINT, align=align)
    top += COLUMNS_HEAD
    if not card.rows:
        empty = text.layout("No scores yet", fonts, 22, bold=True)
        text.draw(image, (WIDTH / 2, top + ROW_HEIGHT / 2 + 8), empty, canvas.MUTED, "center")
    for index, row in enumerate(card.rows):
        _row(image, top + index * ROW_HEIGHT, row, index, fonts)
    top += max(1, len(card.rows)) * ROW_HEIGHT
    if card.caller is not None:
        dots = text.layout("⋯", fonts, 26, bold=True)
        text.draw(image, (WIDTH / 2, top + CALLER_GAP / 2 + 6), dots, canvas.FAINT, "center")
        you = card.caller if card.caller.you else _as_you(card.caller)
        _row(image, top + CALLER_GAP, you, 0, fonts)
    return image


def _as_you(row: BoardRow) -> BoardRow:
    return BoardRow(row.rank, row.name, row.points, row.accuracy, you=True)


def leaderboard_png(card: BoardCard, fonts: FontSet | None = None) -> bytes:
    """Return a leaderboard page as PNG bytes (safe to call from several threads at once)."""
    return canvas.to_png(draw_board(card, fonts))
