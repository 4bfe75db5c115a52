"""Text in any script on a picture: graphemes, a face for each, an ellipsis, and drawing.

A name is cleaned (no control or format characters, one space between words), cut into
graphemes (a letter with its accents, an emoji with its modifiers, a flag), and each grapheme
goes to the first face that maps all its characters. A grapheme no face maps is left out, so
nothing is ever drawn as an empty box; a name left with nothing drawable is replaced as a whole.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.pictures.fonts import ZWJ, Face, FontSet, load, strike_size

ELLIPSIS = "…"
#: Combining marks kept per grapheme, so a name stacked with accents stays inside its row.
MAX_MARKS = 2
#: An emoji's em is this share of the text's (colour emoji fill their em more than letters).
EMOJI_EM = 0.9
_KEYCAP = "\u20e3"
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)
_REGIONAL = range(0x1F1E6, 0x1F200)


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive graphemes drawn with one face."""

    text: str
    face: Face


@dataclass(frozen=True, slots=True)
class Line:
    """A laid-out line of text: its runs, pixel size, weight and width in pixels."""

    runs: tuple[Run, ...]
    size: int
    bold: bool
    width: float

    @property
    def text(self) -> str:
        """Return what is drawn, as one string."""
        return "".join(run.text for run in self.runs)


def clean(text: str) -> str:
    """Return `text` in NFC without control or format characters, one space between words."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if ch.isspace() or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif category == "Cc" or (category == "Cf" and ch != ZWJ and ord(ch) not in _TAGS):
            continue  # bidi overrides, zero-width spaces, soft hyphens: invisible or harmful
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def _extends(cluster: str, ch: str) -> bool:
    """Tell whether `ch` belongs to the grapheme `cluster` rather than starting a new one."""
    cp = ord(ch)
    if ch == ZWJ or cluster.endswith(ZWJ):
        return True
    if unicodedata.category(ch).startswith("M") or cp in _SKIN_TONES or cp in _TAGS:
        return True
    # Two regional indicators make one flag.
    return cp in _REGIONAL and len(cluster) == 1 and ord(cluster) in _REGIONAL


def _trim_marks(cluster: str) -> str:
    """Keep at most MAX_MARKS accents on a letter; emoji sequences are left whole."""
    if any(ord(ch) >= 0x1F000 for ch in cluster) or _KEYCAP in cluster:
        return cluster
    out, marks = [], 0
    for ch in cluster:
        if unicodedata.category(ch).startswith("M") and ch not in ("\ufe0e", "\ufe0f"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        out.append(ch)
    return "".join(out)


def graphemes(text: str) -> list[str]:
    """Split cleaned text into user-perceived characters (letter + accents, emoji sequences)."""
    clusters: list[str] = []
    for ch in text:
        if clusters and _extends(clusters[-1], ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return [_trim_marks(c) for c in clusters]


def _pieces(text: str, fonts: FontSet) -> list[tuple[str, Face]]:
    """Return the drawable graphemes of `text` with their faces; spaces collapse after drops."""
    out: list[tuple[str, Face]] = []
    for cluster in graphemes(clean(text)):
        if cluster == " ":
            if out and out[-1][0] != " ":
                out.append((" ", fonts.main))
            continue
        face = fonts.face_for(cluster)
        if face is not None:
            out.append((cluster, face))
    while out and out[-1][0] == " ":
        out.pop()
    return out


def drawable(text: str, fonts: FontSet) -> str:
    """Return what of `text` can be drawn (the graphemes some face maps)."""
    return "".join(g for g, _ in _pieces(text, fonts))


def _emoji_scale(face: Face, size: int) -> tuple[int, float]:
    """Return the pixel size to load an emoji face at, and the factor to scale it by."""
    strike = strike_size(face.regular, face.index) or size
    return strike, size * EMOJI_EM / strike


def run_width(run: Run, size: int, bold: bool) -> float:
    """Return a run's advance width in pixels."""
    if run.face.emoji:
        strike, scale = _emoji_scale(run.face, size)
        return load(run.face, False, strike).getlength(run.text) * scale
    return float(load(run.face, bold, size).getlength(run.text))


def _line(pieces: list[tuple[str, Face]], size: int, bold: bool) -> Line:
    runs: list[Run] = []
    for text, face in pieces:
        if runs and runs[-1].face == face:
            runs[-1] = Run(runs[-1].text + text, face)
        else:
            runs.append(Run(text, face))
    width = sum(run_width(r, size, bold) for r in runs)
    return Line(tuple(runs), size, bold, width)


def layout(
    text: str,
    fonts: FontSet,
    size: int,
    *,
    bold: bool = False,
    max_width: float | None = None,
    fallback: str = "",
) -> Line:
    """Lay out one line of `text`, cut with an ellipsis to `max_width` pixels if given.

    When nothing of `text` can be drawn, `fallback` is laid out instead.
    """
    pieces = _pieces(text, fonts)
    if not pieces and fallback:
        pieces = _pieces(fallback, fonts)
    line = _line(pieces, size, bold)
    if max_width is None or line.width <= max_width:
        return line
    ellipsis = (ELLIPSIS, fonts.main)
    # The widest prefix that fits with the ellipsis after it (width grows with the prefix).
    lo, hi, best = 0, len(pieces) - 1, _line([ellipsis], size, bold)
    while lo <= hi:
        mid = (lo + hi) // 2
        head = pieces[:mid]
        while head and head[-1][0] == " ":
            head = head[:-1]
        candidate = _line([*head, ellipsis], size, bold)
        if candidate.width <= max_width:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def fit(
    text: str,
    fonts: FontSet,
    sizes: tuple[int, ...],
    max_width: float,
    *,
    bold: bool = False,
    fallback: str = "",
) -> Line:
    """Lay out `text` at the largest of `sizes` (largest first) that fits, else cut the smallest."""
    for size in sizes[:-1]:
        line = layout(text, fonts, size, bold=bold, fallback=fallback)
        if line.width <= max_width:
            return line
    return layout(text, fonts, sizes[-1], bold=bold, max_width=max_width, fallback=fallback)


def initials(text: str, fonts: FontSet) -> str:
    """Return up to two initials (first and last word), or an emoji, or '?' for an avatar."""
    pieces = _pieces(text, fonts)
    words: list[list[str]] = [[]]
    for grapheme, _ in pieces:
        if grapheme == " ":
            words.append([])
        else:
            words[-1].append(grapheme)
    letters = [
        next((g for g in word if unicodedata.category(g[0])[0] in "LN"), None) for word in words
    ]
    found = [g for g in letters if g is not None]
    if found:
        chosen = found[:1] if len(found) == 1 else [found[0], found[-1]]
        return "".join(chosen).upper()
    return next((g for g, face in pieces if face.emoji), "?")


def cap_baseline(center_y: float, size: int, fonts: FontSet, bold: bool = False) -> float:
    """Return the baseline that centres capital letters of `size` px on `center_y`."""
    _, top, _, bottom = load(fonts.main, bold, size).getbbox("H", anchor="ls")
    return center_y + (bottom - top) / 2 - bottom


def draw(
    image: Image.Image,
    xy: tuple[float, float],
    line: Line,
    fill: tuple[int, int, int],
    align: str = "left",
) -> None:
    """Draw a laid-out line with its baseline at y, from x (left), around it (center) or to it."""
    x, baseline = xy
    if align == "center":
        x -= line.width / 2
    elif align == "right":
        x -= line.width
    pen = ImageDraw.Draw(image)
    for run in line.runs:
        if run.face.emoji:
            _draw_emoji(image, x, baseline, run, line.size)
        else:
            font = load(run.face, line.bold, line.size)
            pen.text((x, baseline), run.text, font=font, fill=fill, anchor="ls")
        x += run_width(run, line.size, line.bold)


def _draw_emoji(image: Image.Image, x: float, baseline: float, run: Run, size: int) -> None:
    """Draw colour emoji at their own pixel size, scale them to the text and paste them."""
    strike, scale = _emoji_scale(run.face, size)
    font = load(run.face, False, strike)
    ascent, descent = font.getmetrics()
    width = max(1, math.ceil(font.getlength(run.text)))
    glyphs = Image.new("RGBA", (width, ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(glyphs).text((0, ascent), run.text, font=font, embedded_color=True, anchor="ls")
    scaled = glyphs.resize(
        (max(1, round(width * scale)), max(1, round((ascent + descent) * scale))),
        Image.Resampling.LANCZOS,
    )
    # Centre the emoji on the text's x-height rather than on its own (taller) baseline.
    top = baseline - size * 0.38 - scaled.height / 2
    image.paste(scaled, (round(x), round(top)), scaled)
