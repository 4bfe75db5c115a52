"""What every picture shares: the palette, backgrounds, round avatars and PNG encoding."""

from __future__ import annotations

import hashlib
import io
import logging

from PIL import Image, ImageDraw, ImageOps

from bot.pictures import text
from bot.pictures.fonts import FontSet

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]

# A dark palette close to Discord's own, so the pictures sit well in a channel.
BG_TOP: RGB = (49, 51, 66)
BG_BOTTOM: RGB = (28, 29, 34)
PANEL: RGB = (43, 45, 49)
ROW_EVEN: RGB = (43, 45, 49)
ROW_ODD: RGB = (50, 52, 58)
TRACK: RGB = (66, 69, 77)
TEXT: RGB = (242, 243, 245)
MUTED: RGB = (181, 186, 193)
FAINT: RGB = (128, 132, 142)
INK: RGB = (30, 31, 34)
GOLD: RGB = (240, 185, 40)
SILVER: RGB = (190, 198, 210)
BRONZE: RGB = (205, 127, 50)
MEDALS: tuple[RGB, RGB, RGB] = (GOLD, SILVER, BRONZE)
ACCENT: RGB = (88, 101, 242)
#: The caller's own row on a leaderboard card.
HIGHLIGHT: RGB = (62, 70, 150)
MASTERED: RGB = (67, 181, 129)
SEEN: RGB = (45, 99, 77)
AVATAR_COLOURS: tuple[RGB, ...] = (
    (88, 101, 242),
    (235, 69, 158),
    (67, 181, 129),
    (250, 166, 26),
    (237, 66, 69),
    (52, 152, 219),
    (155, 89, 182),
    (26, 188, 156),
)

#: Avatars larger than this (bytes or pixels a side) are not decoded: initials instead.
MAX_AVATAR_BYTES = 8 * 1024 * 1024
MAX_AVATAR_SIDE = 2048
#: Circles are drawn this many times larger and scaled down, for smooth edges.
SUPERSAMPLE = 4


def background(width: int, height: int, top: RGB = BG_TOP, bottom: RGB = BG_BOTTOM) -> Image.Image:
    """Return an RGB canvas with a vertical gradient from `top` to `bottom`."""
    mask = Image.linear_gradient("L").resize((width, height))
    return Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), mask
    )


def medal(rank: int) -> RGB | None:
    """Return the medal colour of ranks 1-3, None below."""
    return MEDALS[rank - 1] if 1 <= rank <= len(MEDALS) else None


def colour_of(name: str) -> RGB:
    """Return a stable colour for a name (the same name always gets the same colour)."""
    digest = hashlib.blake2s(name.encode("utf-8"), digest_size=2).digest()
    return AVATAR_COLOURS[int.from_bytes(digest, "big") % len(AVATAR_COLOURS)]


def disc_mask(diameter: int) -> Image.Image:
    """Return a smooth-edged circular mask of `diameter` pixels."""
    big = Image.new("L", (diameter * SUPERSAMPLE, diameter * SUPERSAMPLE), 0)
    ImageDraw.Draw(big).ellipse((0, 0, big.width - 1, big.height - 1), fill=255)
    return big.resize((diameter, diameter), Image.Resampling.LANCZOS)


def paste_disc(
    canvas: Image.Image, centre: tuple[int, int], fill: RGB | Image.Image, diameter: int
) -> None:
    """Paste a filled circle (a colour or a square image) centred on `centre`."""
    tile = fill if isinstance(fill, Image.Image) else Image.new("RGB", (diameter, diameter), fill)
    if tile.size != (diameter, diameter):
        tile = tile.resize((diameter, diameter), Image.Resampling.LANCZOS)
    x, y = centre[0] - diameter // 2, centre[1] - diameter // 2
    canvas.paste(tile.convert("RGB"), (x, y), disc_mask(diameter))


def decode_avatar(data: bytes | None, side: int) -> Image.Image | None:
    """Return an avatar as a `side`-pixel RGB square, or None if it cannot be used.

    Avatars are untrusted bytes: too large, not an image, or broken means initials instead.
    """
    if not data or len(data) > MAX_AVATAR_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG", "GIF", "WEBP")) as image:
            if not (0 < image.width <= MAX_AVATAR_SIDE and 0 < image.height <= MAX_AVATAR_SIDE):
                return None
            image.draft("RGB", (side * 2, side * 2))  # JPEG: decode at a reduced size
            rgba = image.convert("RGBA")  # the first frame of an animated avatar
    except Exception as exc:  # Pillow reports broken images with many exception types
        log.debug("avatar not decodable: %r", exc)
        return None
    square = ImageOps.fit(rgba, (side, side), Image.Resampling.LANCZOS)
    # Transparent parts show a dark backdrop, as Discord draws them.
    backdrop = Image.new("RGBA", square.size, (*PANEL, 255))
    return Image.alpha_composite(backdrop, square).convert("RGB")


def initials_tile(name: str, side: int, fonts: FontSet) -> Image.Image:
    """Return a `side`-pixel square with a name's initials on the name's colour."""
    tile = Image.new("RGB", (side, side), colour_of(name))
    letters = text.initials(name, fonts)
    size = int(side * (0.42 if len(letters) <= 1 else 0.36))
    line = text.layout(letters, fonts, size, bold=True, max_width=side * 0.8)
    baseline = text.cap_baseline(side / 2, size, fonts, bold=True)
    text.draw(tile, (side / 2, baseline), line, TEXT, align="center")
    return tile


def avatar(
    canvas: Image.Image,
    centre: tuple[int, int],
    diameter: int,
    *,
    name: str,
    data: bytes | None,
    fonts: FontSet,
    ring: RGB | None = None,
) -> None:
    """Draw a round avatar (the picture, else initials), with a coloured ring if given."""
    inner = diameter
    if ring is not None:
        paste_disc(canvas, centre, ring, diameter)
        inner = diameter - 2 * max(3, diameter // 20)
    picture = decode_avatar(data, inner) or initials_tile(name, inner, fonts)
    paste_disc(canvas, centre, picture, inner)


def to_png(image: Image.Image) -> bytes:
    """Return the picture as PNG bytes."""
    buffer = io.BytesIO()
    # zlib level 6: optimize=True costs three times the time for 2 % fewer bytes.
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def plural(count: int, word: str) -> str:
    """Return '1 player', '2 players'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
