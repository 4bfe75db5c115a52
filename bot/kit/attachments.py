"""Download an uploaded file without trusting the size Discord announced for it."""

from __future__ import annotations

import aiohttp
import discord

CHUNK = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=30)


class TooLargeError(Exception):
    """The file turned out larger than allowed while it was being downloaded."""


async def read_capped(attachment: discord.Attachment, limit: int) -> bytes:
    """Return the attachment's bytes, reading at most `limit` of them.

    The announced size is checked before (by the caller) and the stream is cut here, so a file
    that is bigger than it claims costs at most `limit` bytes of memory and bandwidth. Raises
    TooLargeError past the limit and discord.HTTPException when the download fails.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.get(attachment.url) as response,
        ):
            if response.status != 200:
                raise discord.HTTPException(response, f"download failed ({response.status})")
            async for chunk in response.content.iter_chunked(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLargeError(f"more than {limit} bytes")
                chunks.append(chunk)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise discord.DiscordException(f"download failed: {exc}") from exc
    return b"".join(chunks)
