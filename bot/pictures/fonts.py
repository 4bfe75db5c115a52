"""Which font draws which character: DejaVu Sans (shipped), then the system's emoji and scripts.

DejaVu Sans ships with the package (its licence allows it, see `data/LICENSE-DejaVu.txt`), so
Latin, Cyrillic, Greek and the Azerbaijani letters draw the same on every machine. Emoji and
other scripts come from the system when it has them (Debian: `fonts-noto-color-emoji`,
`fonts-noto-core`, and `fonts-noto-cjk` or the smaller `fonts-droid-fallback`); a character no
font covers is left out by the text layout, never drawn as an empty box.

Thread safety: a font set and its coverage are immutable once read; FreeType faces, which are
not safe to share between threads, are opened once per thread.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
SHIPPED_REGULAR = DATA / "DejaVuSans.ttf"
SHIPPED_BOLD = DATA / "DejaVuSans-Bold.ttf"

# Where Debian's font packages put the faces used as fallbacks, in order of preference.
SYSTEM_EMOJI = (Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),)
SYSTEM_CJK = (
    (
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ),
    # fonts-droid-fallback: a small CJK face (no bold) when the large Noto CJK is absent.
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), None),
)
SYSTEM_NOTO_DIR = Path("/usr/share/fonts/truetype/noto")

ZWJ = "\u200d"
# Characters a font need not map itself: joiners and presentation selectors.
IGNORABLE = frozenset({ZWJ, "\ufe0e", "\ufe0f"})


@dataclass(frozen=True, slots=True)
class Face:
    """One typeface: its regular file, an optional bold file, and whether it is colour emoji."""

    regular: Path
    bold: Path | None = None
    index: int = 0
    emoji: bool = False

    def path(self, bold: bool) -> Path:
        """Return the file to draw with: the bold one when asked for and available."""
        return self.bold if bold and self.bold is not None else self.regular


@dataclass(frozen=True, slots=True)
class FontSet:
    """Faces in order of preference; the first one is the main text face."""

    faces: tuple[Face, ...]

    def __post_init__(self) -> None:
        if not self.faces or self.faces[0].emoji:
            raise ValueError("a font set starts with a text face")

    @property
    def main(self) -> Face:
        """Return the face used for ellipses, digits and other text of the picture itself."""
        return self.faces[0]

    @property
    def has_emoji(self) -> bool:
        """Tell whether some face draws colour emoji."""
        return any(face.emoji for face in self.faces)

    def face_for(self, cluster: str) -> Face | None:
        """Return the first face that maps every character of `cluster`, or None."""
        needed = [ord(ch) for ch in cluster if ch not in IGNORABLE]
        if not needed:
            return None
        emoji_first = wants_emoji(cluster)
        ordered = sorted(self.faces, key=lambda f: f.emoji != emoji_first)  # stable
        for face in ordered:
            covered = coverage(face.regular, face.index)
            if all(cp in covered for cp in needed):
                return face
        return None


def wants_emoji(cluster: str) -> bool:
    """Tell whether a grapheme should be drawn as a colour emoji when a face has it."""
    if "\ufe0e" in cluster:
        return False
    if "\ufe0f" in cluster or ZWJ in cluster or "\u20e3" in cluster:
        return True
    # Pictographs, regional indicators (flags), and the Misc Symbols/Dingbats that DejaVu
    # draws as plain outlines but people typed as emoji.
    return any(ord(ch) >= 0x1F000 for ch in cluster)


@functools.cache
def coverage(path: Path, index: int = 0) -> frozenset[int]:
    """Return the code points a font file maps (read once per file; the result is immutable)."""
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            return frozenset(font.getBestCmap() or {})
        finally:
            font.close()
    except Exception as exc:  # fontTools reports a broken file in many ways
        # A broken system font must not break every picture: it simply covers nothing.
        log.warning("font %s is not readable, skipping it: %s", path, exc)
        return frozenset()


@functools.cache
def strike_size(path: Path, index: int = 0) -> int | None:
    """Return the pixel size of a bitmap (CBDT) colour font, or None for a scalable one."""
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        if "CBLC" not in font:
            return None
        return int(font["CBLC"].strikes[0].bitmapSizeTable.ppemY)
    finally:
        font.close()


def build_font_set(
    extra: tuple[Face, ...] = (),
    *,
    emoji: tuple[Path, ...] = SYSTEM_EMOJI,
    cjk: tuple[tuple[Path, Path | None], ...] = SYSTEM_CJK,
    noto_dir: Path | None = SYSTEM_NOTO_DIR,
) -> FontSet:
    """Return the shipped face followed by whichever fallbacks exist on this machine."""
    faces = [Face(SHIPPED_REGULAR, SHIPPED_BOLD), *extra]
    faces += [Face(path, emoji=True) for path in emoji if path.is_file()]
    for regular, bold in cjk:
        if regular.is_file():
            faces.append(Face(regular, bold if bold is not None and bold.is_file() else None))
    if noto_dir is not None and noto_dir.is_dir():
        for regular in sorted(noto_dir.glob("NotoSans*-Regular.ttf")):
            bold = regular.with_name(regular.name.replace("-Regular", "-Bold"))
            faces.append(Face(regular, bold if bold.is_file() else None))
    return FontSet(tuple(faces))


@functools.cache
def default_fonts() -> FontSet:
    """Return the font set of this machine (looked up once; immutable)."""
    return build_font_set()


def shipped_only() -> FontSet:
    """Return a font set with the shipped face alone (no emoji, no other scripts)."""
    return FontSet((Face(SHIPPED_REGULAR, SHIPPED_BOLD),))


_local = threading.local()


def load(face: Face, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """Return this thread's FreeType font for a face, weight and pixel size."""
    fonts: dict[tuple[Path, int, int], ImageFont.FreeTypeFont] | None = getattr(
        _local, "fonts", None
    )
    if fonts is None:
        fonts = _local.fonts = {}
    path = face.path(bold)
    key = (path, face.index, size)
    font = fonts.get(key)
    if font is None:
        font = fonts[key] = ImageFont.truetype(str(path), size, index=face.index)
    return font
