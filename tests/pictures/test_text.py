"""Names in any script: graphemes, faces, clean replacement, and no empty boxes (tofu)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from support.pictures import require

from bot.pictures import fonts as fontlib
from bot.pictures import text
from bot.pictures.fonts import Face, FontSet, default_fonts, shipped_only

SERBIAN = "Јована Ђурђевић"
AZERBAIJANI = "Gülşən Əliyeva İsmayılqızı Ağa"
EMOJI = "Nina 🦄🇷🇸👍🏽"
#: A code point no font maps: what FreeType draws for it is the font's empty box.
UNMAPPED = "\U0010fffd"


def _mask(face: Face, grapheme: str, size: int = 40) -> bytes:
    return bytes(fontlib.load(face, False, size).getmask(grapheme))


def _is_tofu(face: Face, grapheme: str) -> bool:
    """Tell whether a grapheme draws as the face's empty box."""
    return _mask(face, grapheme) == _mask(face, UNMAPPED)


def _colourful_pixels(line: text.Line) -> int:
    canvas = Image.new("RGB", (int(line.width) + 20, line.size * 2), (255, 255, 255))
    text.draw(canvas, (10, line.size * 1.4), line, (0, 0, 0))
    colours = canvas.getcolors(canvas.width * canvas.height) or []
    return sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 80)


def test_the_tofu_detector_sees_a_box() -> None:
    # Without this, a detector that never fires would pass every test below.
    main = shipped_only().main
    assert any(_mask(main, UNMAPPED)), "the empty box draws pixels"
    assert _is_tofu(main, "中")  # DejaVu has no CJK: FreeType draws its box
    assert not _is_tofu(main, "Ж")


@pytest.mark.parametrize("name", [SERBIAN, AZERBAIJANI, "Zoë Ñúñez-Øster", "Ἀθηνᾶ"])
def test_letters_of_every_european_script_draw_as_glyphs(name: str) -> None:
    line = text.layout(name, shipped_only(), 24)
    assert line.text == name, "nothing was left out"
    for grapheme in text.graphemes(name):
        if grapheme != " ":
            assert not _is_tofu(shipped_only().main, grapheme), grapheme


def test_emoji_draw_in_colour_with_the_system_emoji_font() -> None:
    fonts = default_fonts()
    require(fonts.has_emoji, "no colour emoji font (apt-get install fonts-noto-color-emoji)")
    line = text.layout(EMOJI, fonts, 32)
    assert line.text == EMOJI
    emoji_runs = [run for run in line.runs if run.face.emoji]
    assert "".join(run.text for run in emoji_runs) == "🦄🇷🇸👍🏽"
    assert _colourful_pixels(line) > 300
    plain = text.layout("Nina", fonts, 32)
    assert _colourful_pixels(plain) == 0


def test_without_an_emoji_font_emoji_are_left_out_cleanly() -> None:
    line = text.layout(EMOJI, shipped_only(), 32)
    assert line.text == "Nina"
    assert _colourful_pixels(line) == 0
    assert text.layout("🦄 Ana 🦄 Marija", shipped_only(), 20).text == "Ana Marija"


def test_a_name_with_nothing_drawable_is_replaced_as_a_whole() -> None:
    fonts = shipped_only()
    assert text.layout("田中", fonts, 20, fallback="Player").text == "Player"
    assert text.layout("田中 Ken", fonts, 20, fallback="Player").text == "Ken"
    assert text.layout("", fonts, 20, fallback="Player").text == "Player"


@pytest.mark.parametrize(
    ("name", "package"),
    [("田中 Ken", "fonts-droid-fallback"), ("अनुराग Ken", "fonts-noto-core")],
)
def test_other_scripts_use_a_system_face_when_there_is_one(name: str, package: str) -> None:
    fonts = default_fonts()
    first = name.split(maxsplit=1)[0]
    faces = {fonts.face_for(g) for g in text.graphemes(first)}
    require(None not in faces, f"no font for {first!r} here (apt-get install {package})")
    line = text.layout(name, fonts, 24)
    assert line.text == name
    assert [run.face == fonts.main for run in line.runs] == [False, True]
    for grapheme in text.graphemes(first):
        face = fonts.face_for(grapheme)
        assert face is not None
        assert not _is_tofu(face, grapheme), grapheme


def test_graphemes_keep_sequences_whole() -> None:
    assert text.graphemes("🇷🇸🇦🇿") == ["🇷🇸", "🇦🇿"]
    assert text.graphemes("👨\u200d👩\u200d👧x") == ["👨\u200d👩\u200d👧", "x"]
    assert text.graphemes("👍🏽!") == ["👍🏽", "!"]
    assert text.graphemes("1\ufe0f\u20e3") == ["1\ufe0f\u20e3"]
    assert text.graphemes("e\u0301a") == ["e\u0301", "a"]
    # Stacked accents are cut to a few, so a name stays inside its row.
    zalgo = text.graphemes("Z" + "\u0336\u0335\u0334\u0333" + "o")
    assert zalgo == ["Z\u0336\u0335", "o"]


def test_clean_drops_invisible_and_control_characters() -> None:
    assert text.clean("  Ana\u202e\u200bMarija\x07\n\t Petrović  ") == "AnaMarija Petrović"
    assert text.clean("e\u0301") == "é"  # NFC
    assert text.clean("A\u00a0\u3000B") == "A B"


def test_a_long_name_is_cut_with_an_ellipsis_to_fit() -> None:
    fonts = shipped_only()
    name = "Gülşən Əliyeva " * 6
    line = text.layout(name, fonts, 24, max_width=240)
    assert line.width <= 240
    assert line.text.endswith("…")
    assert not line.text[:-1].endswith(" ")
    assert name.startswith(line.text[:-1])
    # The largest size that fits wins; smaller only when needed.
    assert text.fit("Ana", fonts, (30, 20), 400).size == 30
    assert text.fit(name, fonts, (30, 20), 240).size == 20


def test_initials() -> None:
    fonts = shipped_only()
    assert text.initials(SERBIAN, fonts) == "ЈЂ"
    assert text.initials("ılham əliyev", fonts) == "IƏ"
    assert text.initials("Zoë", fonts) == "Z"
    assert text.initials("  ", fonts) == "?"
    assert text.initials("🦄", fonts) == "?"


def test_initials_fall_back_to_an_emoji() -> None:
    fonts = default_fonts()
    require(fonts.has_emoji, "no colour emoji font (apt-get install fonts-noto-color-emoji)")
    assert text.initials("🦄 ✨", fonts) == "🦄"


def test_a_font_set_starts_with_a_text_face() -> None:
    with pytest.raises(ValueError, match="starts with a text face"):
        FontSet((Face(fontlib.SHIPPED_REGULAR, emoji=True),))


def test_a_broken_font_file_covers_nothing_instead_of_failing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font at all")
    fonts = FontSet((*shipped_only().faces, Face(broken)))
    assert fontlib.coverage(broken) == frozenset()
    assert text.layout("Ана 中", fonts, 20).text == "Ана"
