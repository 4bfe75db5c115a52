"""The podium at the end of a server game: the top three on their steps, with avatars."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from bot.pictures import canvas, text
from bot.pictures.fonts import FontSet, default_fonts
from bot.pictures.models import Podium, PodiumPlace

WIDTH, HEIGHT = 1000, 560
STEP_WIDTH, STEP_GAP, FLOOR = 250, 24, 540
#: Step heights by rank: a tie shares its step's height.
STEP_HEIGHT = {1: 200, 2: 150, 3: 118}
NAMELESS = "Player"


def _columns() -> list[int]:
    """Return the left edge of the steps in drawing order: centre (1st), left, right."""
    left = (WIDTH - 3 * STEP_WIDTH - 2 * STEP_GAP) // 2
    return [left + STEP_WIDTH + STEP_GAP, left, left + 2 * (STEP_WIDTH + STEP_GAP)]


def _glow(image: Image.Image, centre: tuple[int, int], radius: int) -> None:
    """Lay a soft golden light behind the winner (blurred small, then scaled up: cheap)."""
    scale = 4
    layer = Image.new("L", (WIDTH // scale, HEIGHT // scale), 0)
    cx, cy, r = centre[0] // scale, centre[1] // scale, radius // scale
    ImageDraw.Draw(layer).ellipse((cx - r, cy - r, cx + r, cy + r), fill=70)
    mask = layer.filter(ImageFilter.GaussianBlur(r / 2)).resize((WIDTH, HEIGHT))
    image.paste(Image.new("RGB", (WIDTH, HEIGHT), canvas.GOLD), (0, 0), mask)


def _step(
    image: Image.Image, left: int, place: PodiumPlace | None, nominal: int, fonts: FontSet
) -> None:
    """Draw one step; `nominal` is the rank its position stands for when nobody is on it."""
    rank = place.rank if place is not None else nominal
    height = STEP_HEIGHT.get(rank, STEP_HEIGHT[3])
    top = FLOOR - height
    colour = canvas.medal(rank) if place is not None else canvas.TRACK
    fill = colour or canvas.TRACK
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle(
        (left, top, left + STEP_WIDTH, FLOOR),
        radius=14,
        fill=fill,
        corners=(True, True, False, False),
    )
    # A lighter lip along the top edge gives the step some depth.
    lip = tuple(min(255, c + 30) for c in fill)
    pen.rounded_rectangle(
        (left, top, left + STEP_WIDTH, top + 10),
        radius=14,
        fill=lip,
        corners=(True, True, False, False),
    )
    if place is None:
        return
    middle = left + STEP_WIDTH / 2
    number = text.layout(str(place.rank), fonts, 56, bold=True)
    text.draw(image, (middle, top + 66), number, canvas.INK, align="center")
    points = text.layout(f"{place.points:,} pts", fonts, 24, bold=True, max_width=STEP_WIDTH - 20)
    text.draw(image, (middle, top + 100), points, canvas.INK, align="center")
    diameter = 136 if rank == 1 else 112
    name = text.fit(
        place.name, fonts, (26, 23, 20), STEP_WIDTH + STEP_GAP - 6, bold=True, fallback=NAMELESS
    )
    text.draw(image, (middle, top - 18), name, canvas.TEXT, align="center")
    centre = (round(middle), top - 56 - diameter // 2)
    canvas.avatar(
        image, centre, diameter, name=place.name, data=place.avatar, fonts=fonts, ring=colour
    )


def draw_podium(podium: Podium, fonts: FontSet | None = None) -> Image.Image:
    """Return the podium picture as an RGB image."""
    fonts = fonts or default_fonts()
    image = canvas.background(WIDTH, HEIGHT)
    places = list(podium.places[:3])
    columns = _columns()
    if places:
        first_top = FLOOR - STEP_HEIGHT.get(places[0].rank, STEP_HEIGHT[3])
        _glow(image, (columns[0] + STEP_WIDTH // 2, first_top - 120), 190)
    title = text.fit(podium.title, fonts, (34, 30, 26), WIDTH - 80, bold=True, fallback="Quiz")
    text.draw(image, (WIDTH / 2, 58), title, canvas.TEXT, align="center")
    topic = podium.topic if podium.topic is not None else "All topics"
    if podium.players:
        topic += f" · {canvas.plural(podium.players, 'player')}"
    sub = text.layout(topic, fonts, 22, max_width=WIDTH - 80)
    text.draw(image, (WIDTH / 2, 94), sub, canvas.MUTED, align="center")
    for index, left in enumerate(columns):
        place = places[index] if index < len(places) else None
        _step(image, left, place, index + 1, fonts)
    if not places:
        empty = text.layout("Nobody scored this time", fonts, 30, bold=True)
        text.draw(image, (WIDTH / 2, 300), empty, canvas.MUTED, align="center")
    return image


def podium_png(podium: Podium, fonts: FontSet | None = None) -> bytes:
    """Return the podium picture as PNG bytes (safe to call from several threads at once)."""
    return canvas.to_png(draw_podium(podium, fonts))
