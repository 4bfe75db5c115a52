"""Read the player's lines from stdin without ever leaving a thread blocked at exit.

A terminal or a pipe is watched by the event loop (`add_reader`) and read without blocking, so
nothing is left waiting on stdin when the game ends or Ctrl-C stops it. A regular file (stdin
redirected from a file) cannot be watched that way but never blocks: it is read at once.
Bytes the terminal's encoding cannot decode become U+FFFD instead of ending the game.
Closed stdin (`<&-`) is no input at all; Ctrl-C (`interrupt`) reads as the end of input, so a
game or a review ends the way it does when the input runs out.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import stat
import sys
from typing import IO


class LineReader:
    """Lines from a file descriptor, as an asyncio queue; None marks the end of input."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        # None is stdin, which is itself None when descriptor 0 is closed.
        self._stream = stream if stream is not None else sys.stdin
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        encoding = getattr(self._stream, "encoding", None) or "utf-8"
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = ""
        self._fd: int | None = None
        self._blocking: bool | None = None
        self._ended = False
        #: Whether the input ended by Ctrl-C rather than running out.
        self.interrupted = False

    def start(self) -> None:
        """Start reading; call from inside the running loop."""
        loop = asyncio.get_running_loop()
        if self._stream is None:  # Python sets stdin to None when descriptor 0 is closed
            self._finish()
            return
        try:
            fd = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            # A stream without a descriptor (tests swap stdin for text): read it whole.
            self._feed_text(self._stream.read())
            self._finish()
            return
        mode = _mode(fd)
        if mode is None or stat.S_ISREG(mode):
            # Closed stdin, or a regular file: reading never blocks, so read it all now.
            self._feed_bytes(_read_all(fd) if mode is not None else b"")
            self._finish()
            return
        try:
            loop.add_reader(fd, self._on_readable)
        except (PermissionError, ValueError, OSError):
            # A device the event loop cannot watch (stdin from /dev/null): it never blocks.
            self._feed_bytes(_read_all(fd))
            self._finish()
            return
        self._fd = fd
        self._blocking = os.get_blocking(fd)
        os.set_blocking(fd, False)

    def interrupt(self) -> None:
        """End the input now (Ctrl-C): lines not yet read are dropped."""
        self.interrupted = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._ended = False
        self._pending = ""
        self._finish()

    def _on_readable(self) -> None:
        assert self._fd is not None
        try:
            chunk = os.read(self._fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._finish()
            return
        self._feed_bytes(chunk)

    def _feed_bytes(self, data: bytes) -> None:
        self._feed_text(self._decoder.decode(data))

    def _feed_text(self, text: str) -> None:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._queue.put_nowait(line.rstrip("\r"))

    def _finish(self) -> None:
        if self._ended:
            return
        self._ended = True
        self._feed_text(self._decoder.decode(b"", final=True))
        if self._pending:
            self._queue.put_nowait(self._pending.rstrip("\r"))
            self._pending = ""
        self._queue.put_nowait(None)
        self.stop()

    def stop(self) -> None:
        """Stop watching stdin and give it back as it was."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(Exception):
            asyncio.get_running_loop().remove_reader(fd)
        if self._blocking is not None:
            with contextlib.suppress(OSError):
                os.set_blocking(fd, self._blocking)

    async def read(self) -> str | None:
        """Return the next line, or None at the end of input."""
        line = await self._queue.get()
        if line is None:
            self._queue.put_nowait(None)  # every later read sees the end too
        return line


def _mode(fd: int) -> int | None:
    try:
        return os.fstat(fd).st_mode
    except OSError:
        return None


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)
