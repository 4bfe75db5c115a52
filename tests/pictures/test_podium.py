"""The end-of-game podium: steps in medal colours, avatars or initials, size and robustness."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageOps
from support.pictures import decode, require, save_screenshot

from bot.pictures import Podium, PodiumPlace, default_fonts, podium_png
from bot.pictures import canvas as palette
from bot.pictures.fonts import shipped_only
from bot.pictures.podium import FLOOR, HEIGHT, STEP_GAP, STEP_HEIGHT, STEP_WIDTH, WIDTH

#: Discord's attachment limit for a server without boosts (bytes); "well within" is a tenth.
DISCORD_LIMIT = 10 * 1024 * 1024
WELL_WITHIN = DISCORD_LIMIT // 10


def _png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _solid(colour: tuple[int, int, int], side: int = 64, fmt: str = "PNG") -> bytes:
    return _png(Image.new("RGB", (side, side), colour), fmt)


def _noise(side: int = 256, seed: int = 1) -> bytes:
    """Return a photo-like avatar that compresses badly (the worst case for size)."""
    rng = random.Random(seed)
    return _png(Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)))


def _avatar(side: int = 128) -> bytes:
    """Return an avatar-like picture: a two-colour glow with a light disc in the middle."""
    glow = ImageOps.colorize(
        Image.radial_gradient("L").resize((side, side)), black=(235, 69, 158), white=(88, 101, 242)
    )
    ImageDraw.Draw(glow).ellipse(
        (side * 0.3, side * 0.3, side * 0.7, side * 0.7), fill=(250, 240, 230)
    )
    return _png(glow)


def _step_left(position: int) -> int:
    """Return the left edge of a step: 0 the centre (first), 1 the left, 2 the right."""
    left = (WIDTH - 3 * STEP_WIDTH - 2 * STEP_GAP) // 2
    return [left + STEP_WIDTH + STEP_GAP, left, left + 2 * (STEP_WIDTH + STEP_GAP)][position]


def _step_colour(image: Image.Image, position: int) -> tuple[int, int, int]:
    """Return the colour of a step just above the floor, near its left edge (no text there)."""
    return image.getpixel((_step_left(position) + 8, FLOOR - 6))  # type: ignore[return-value]


def _step_top(image: Image.Image, position: int) -> int:
    """Return the first row, from the top, where the step's colour starts at its edge."""
    x = _step_left(position) + STEP_WIDTH // 2 - 100
    colour = _step_colour(image, position)
    return next(y for y in range(HEIGHT) if image.getpixel((x, y)) == colour)


def _avatar_centre(position: int, rank: int) -> tuple[int, int]:
    diameter = 136 if rank == 1 else 112
    top = FLOOR - STEP_HEIGHT[rank]
    return _step_left(position) + STEP_WIDTH // 2, top - 56 - diameter // 2


PLACES = (
    PodiumPlace(1, "Јована Ђурђевић", 4210),
    PodiumPlace(2, "Gülşən Əliyeva", 3980),
    PodiumPlace(3, "Nina", 2500),
)


def test_the_podium_is_a_png_of_the_agreed_size_with_steps_in_medal_colours() -> None:
    image = decode(podium_png(Podium("Balkan partnership", PLACES, topic="Diplomacy")))
    assert image.size == (WIDTH, HEIGHT)
    assert [_step_colour(image, p) for p in range(3)] == [
        palette.GOLD,
        palette.SILVER,
        palette.BRONZE,
    ]
    # The winner's step is the tallest, then second, then third.
    tops = [_step_top(image, p) for p in range(3)]
    assert tops[0] < tops[1] < tops[2]
    assert tops[0] == pytest.approx(FLOOR - STEP_HEIGHT[1], abs=12)


def test_avatars_are_drawn_and_initials_stand_in_for_missing_ones() -> None:
    red, blue = (220, 30, 30), (30, 60, 220)
    places = (
        PodiumPlace(1, "Ana", 300, _solid(red)),
        PodiumPlace(2, "Bo", 200, _solid(blue, fmt="JPEG")),
        PodiumPlace(3, "Cy", 100, None),
    )
    image = decode(podium_png(Podium("Quiz", places), fonts=shipped_only()))
    assert image.getpixel(_avatar_centre(0, 1)) == red
    r, g, b = image.getpixel(_avatar_centre(1, 2))  # type: ignore[misc]
    assert abs(r - blue[0]) + abs(g - blue[1]) + abs(b - blue[2]) < 30  # JPEG is lossy
    # No avatar: a disc in the name's own colour (the initials sit in its middle).
    x, y = _avatar_centre(2, 3)
    assert image.getpixel((x - 40, y)) == palette.colour_of("Cy")


@pytest.mark.parametrize(
    "avatar",
    [
        b"",
        b"not an image",
        _solid((1, 2, 3))[:60],  # truncated
        _png(Image.new("RGB", (4000, 10))),  # wider than any avatar
        b"GIF89a" + b"\x00" * 50,
    ],
    ids=["empty", "garbage", "truncated", "too-large", "broken-gif"],
)
def test_an_unusable_avatar_falls_back_to_initials(avatar: bytes) -> None:
    image = decode(podium_png(Podium("Quiz", [PodiumPlace(1, "Ana", 10, avatar)])))
    x, y = _avatar_centre(0, 1)
    assert image.getpixel((x - 50, y)) == palette.colour_of("Ana")


def test_tied_players_share_a_step_height_and_colour() -> None:
    places = (PodiumPlace(1, "Ana", 500), PodiumPlace(1, "Bo", 500), PodiumPlace(3, "Cy", 100))
    image = decode(podium_png(Podium("Quiz", places)))
    assert _step_colour(image, 0) == _step_colour(image, 1) == palette.GOLD
    assert _step_top(image, 0) == _step_top(image, 1)


def test_an_empty_podium_shows_grey_steps_and_no_medals() -> None:
    image = decode(podium_png(Podium("Quiz", [])))
    assert {_step_colour(image, p) for p in range(3)} == {palette.TRACK}
    colours = {c for _, c in image.getcolors(WIDTH * HEIGHT) or []}
    assert not colours & {palette.GOLD, palette.SILVER, palette.BRONZE}


def test_only_the_first_three_places_are_drawn() -> None:
    four = (*PLACES, PodiumPlace(4, "Dana", 10))
    assert podium_png(Podium("Quiz", four)) == podium_png(Podium("Quiz", PLACES))


def test_the_worst_case_stays_well_within_discords_attachment_limit() -> None:
    # Three full-size noisy avatars and long names in every script: the largest podium there is.
    places = [
        PodiumPlace(rank, "Ђурђевић Əliyeva İsmayılqızı 🦄🇷🇸" * 2, 10**9, _noise(1024, rank))
        for rank in (1, 2, 3)
    ]
    png = podium_png(Podium("A" * 300, places, topic="T" * 300, players=10**6))
    assert len(png) < WELL_WITHIN
    assert decode(png).size == (WIDTH, HEIGHT)


def test_the_readme_podium() -> None:
    fonts = default_fonts()
    require(fonts.has_emoji, "no colour emoji font (apt-get install fonts-noto-color-emoji)")
    places = (
        PodiumPlace(1, "Јована Ђурђевић", 7420),
        PodiumPlace(2, "Gülşən Əliyeva 🌟", 6980, _avatar()),
        PodiumPlace(3, "Marko 🇷🇸", 5210),
    )
    podium = Podium(
        "Azerbaijan and Serbia: a Balkan partnership",
        places,
        topic="Diplomacy and the visit",
        players=9,
    )
    png = podium_png(podium, fonts)
    image = decode(png)
    assert [_step_colour(image, p) for p in range(3)] == list(palette.MEDALS)
    save_screenshot("podium.png", png)
