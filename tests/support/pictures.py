"""Helpers for tests that look at what a person sees: decoded pictures, pixel bands, skips.

A test that needs something the machine may lack (a colour emoji font, a browser) skips with
the reason on a developer's machine, and fails under CI (`CI=true`), whose script installs it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from support.skips import in_ci, require

__all__ = ["IMAGES", "bands", "decode", "in_ci", "require", "save_screenshot", "wants_screenshots"]

RGB = tuple[int, int, int]
#: Where the README's pictures live; written only when QUIZBOT_WRITE_SCREENSHOTS=1.
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def decode(png: bytes) -> Image.Image:
    """Decode PNG bytes, checking they really are a PNG, and return the RGB image."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def bands(image: Image.Image, x: int, colour: RGB) -> list[tuple[int, int]]:
    """Return the (first, last) rows of each vertical run of exactly `colour` in column x."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for y in range(image.height):
        if image.getpixel((x, y)) == colour:
            start = y if start is None else start
        elif start is not None:
            runs.append((start, y - 1))
            start = None
    if start is not None:
        runs.append((start, image.height - 1))
    return runs


def wants_screenshots() -> bool:
    """Tell whether this run should refresh the README's pictures."""
    return os.environ.get("QUIZBOT_WRITE_SCREENSHOTS") == "1"


def save_screenshot(name: str, png: bytes) -> None:
    """Write a picture for the README when QUIZBOT_WRITE_SCREENSHOTS=1."""
    if wants_screenshots():
        IMAGES.mkdir(parents=True, exist_ok=True)
        (IMAGES / name).write_bytes(png)
