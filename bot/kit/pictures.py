"""Pictures in Discord messages: drawn off the event loop, attached as PNG files.

Drawing is `bot.pictures` (pure Pillow); this module runs it in a thread, fetches avatars
with a short timeout, and wraps the PNG for a message. A picture that cannot be drawn is
logged and left out: the text beside it says the same.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from typing import TypeVar

import discord

log = logging.getLogger(__name__)

T = TypeVar("T")

AVATAR_SIZE = 128
AVATAR_TIMEOUT = 2.0


async def draw(draw_png: Callable[[T], bytes], data: T) -> bytes | None:
    """Return `draw_png(data)` computed in a thread; None (logged) if drawing fails."""
    try:
        return await asyncio.to_thread(draw_png, data)
    except Exception:
        log.exception("could not draw %s", getattr(draw_png, "__name__", "a picture"))
        return None


def png_file(png: bytes, filename: str) -> discord.File:
    """Return PNG bytes as a file to attach (an embed shows it as `attachment://<filename>`)."""
    return discord.File(io.BytesIO(png), filename=filename)


async def avatar(user: discord.abc.User | None) -> bytes | None:
    """Return a user's own avatar as image bytes, or None (no custom avatar, or not at hand)."""
    if user is None or user.avatar is None:
        return None  # the default avatars are all alike: initials say more
    try:
        async with asyncio.timeout(AVATAR_TIMEOUT):
            return await user.avatar.with_size(AVATAR_SIZE).read()
    except (discord.DiscordException, TimeoutError, OSError) as exc:
        log.info("could not fetch the avatar of %s: %r", user.id, exc)
        return None
