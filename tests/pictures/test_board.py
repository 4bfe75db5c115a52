"""The leaderboard card: the caller's row is highlighted where it belongs, and nowhere else."""

from __future__ import annotations

import pytest
from support.pictures import bands, decode, require, save_screenshot

from bot.pictures import BoardCard, BoardRow, default_fonts, leaderboard_png
from bot.pictures import canvas as palette
from bot.pictures.board import ACCURACY_LEFT, BAR_WIDTH, PAD, ROW_GAP, ROW_HEIGHT, WIDTH

#: A column inside every row, right of the accuracy figures: only the row fill is there.
PROBE_X = WIDTH - PAD - 6
NAMES = (
    "Јована Ђурђевић",
    "Gülşən Əliyeva",
    "Marko",
    "Ağa İsmayıl",
    "Nina",
    "Đorđe Petrović",
    "Aysel",
    "Zoë",
    "Milica",
    "Elnur",
)


def _rows(count: int = 10, you: int | None = None, start: int = 1) -> list[BoardRow]:
    return [
        BoardRow(start + i, NAMES[i % len(NAMES)], 5000 - 300 * i, (i % 5) / 4, you=i == you)
        for i in range(count)
    ]


def _row_bands(png: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return every row's band (top to bottom) and the highlighted bands, in the probe column."""
    image = decode(png)
    rows = sorted(
        bands(image, PROBE_X, palette.ROW_EVEN)
        + bands(image, PROBE_X, palette.ROW_ODD)
        + bands(image, PROBE_X, palette.HIGHLIGHT)
    )
    return rows, bands(image, PROBE_X, palette.HIGHLIGHT)


@pytest.mark.parametrize("you", [0, 4, 9])
def test_the_callers_row_on_the_page_is_the_highlighted_one(you: int) -> None:
    png = leaderboard_png(BoardCard("Leaderboard · all time", _rows(you=you), pages=3))
    rows, highlighted = _row_bands(png)
    assert len(rows) == 10
    assert all(last - first + 1 == ROW_HEIGHT - ROW_GAP for first, last in rows)
    assert highlighted == [rows[you]]
    # The accent bar marks the row at its left edge too.
    first, last = highlighted[0]
    image = decode(png)
    assert image.getpixel((PAD + 2, (first + last) // 2)) == palette.ACCENT
    assert image.getpixel((PAD + 2, rows[you - 1 if you else 1][0] + 5)) != palette.ACCENT


def test_a_caller_below_the_page_is_shown_highlighted_under_it() -> None:
    caller = BoardRow(42, "Me", 120, 0.25)
    png = leaderboard_png(BoardCard("Leaderboard", _rows(), caller=caller, pages=5, players=48))
    rows, highlighted = _row_bands(png)
    assert len(rows) == 11
    assert highlighted == [rows[-1]]
    # A gap (the "⋯" line) separates the page from the caller's own line.
    assert rows[-1][0] - rows[-2][1] > ROW_GAP + 20


def test_no_caller_on_the_board_means_no_highlight() -> None:
    rows, highlighted = _row_bands(leaderboard_png(BoardCard("Leaderboard", _rows())))
    assert len(rows) == 10
    assert highlighted == []


def test_the_accuracy_bar_fills_with_the_share() -> None:
    card = BoardCard("Leaderboard", [BoardRow(1, "Full", 10, 1.0), BoardRow(2, "None", 5, 0.0)])
    image = decode(leaderboard_png(card))
    rows, _ = _row_bands(leaderboard_png(card))
    (full_top, full_bottom), (none_top, none_bottom) = rows
    full_y, none_y = (full_top + full_bottom) // 2, (none_top + none_bottom) // 2
    assert image.getpixel((ACCURACY_LEFT + BAR_WIDTH - 6, full_y)) == palette.MASTERED
    assert image.getpixel((ACCURACY_LEFT + 6, none_y)) == palette.TRACK


def test_the_picture_grows_with_the_page_and_stays_small() -> None:
    short = decode(leaderboard_png(BoardCard("Leaderboard", _rows(3))))
    full = decode(leaderboard_png(BoardCard("Leaderboard", _rows(10), scope="Topic: Energy")))
    assert short.width == full.width == WIDTH
    assert full.height - short.height >= 7 * ROW_HEIGHT
    long_names = [BoardRow(i, "Ђурђевић Əliyeva " * 8, 10**12, 0.5) for i in range(1, 11)]
    png = leaderboard_png(BoardCard("L" * 500, long_names, scope="S" * 500, players=10**7))
    assert len(png) < 1024 * 1024


def test_an_empty_page_says_so_instead_of_failing() -> None:
    rows, _ = _row_bands(leaderboard_png(BoardCard("Leaderboard", [])))
    assert rows == []


def test_bad_cards_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"page 4 is outside 1\.\.3"):
        BoardCard("Leaderboard", _rows(), page=4, pages=3)
    with pytest.raises(ValueError, match="accuracy"):
        BoardRow(1, "Ana", 10, 1.5)


def test_the_readme_leaderboard() -> None:
    fonts = default_fonts()
    require(fonts.has_emoji, "no colour emoji font (apt-get install fonts-noto-color-emoji)")
    shares = (0.92, 0.88, 0.75, 0.81, 0.7, 0.66, 0.72, 0.6, 0.58, 0.5)
    rows = [
        BoardRow(r.rank, r.name, r.points, share, you=r.you)
        for r, share in zip(_rows(you=3), shares, strict=True)
    ]
    rows[2] = BoardRow(3, "Marko 🇷🇸", rows[2].points, 0.75)
    card = BoardCard(
        "Leaderboard · all time", rows, scope="Topic: Diplomacy and the visit", pages=3, players=27
    )
    png = leaderboard_png(card, fonts)
    _, highlighted = _row_bands(png)
    assert len(highlighted) == 1
    save_screenshot("leaderboard.png", png)
