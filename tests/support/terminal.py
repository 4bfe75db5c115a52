"""A real `quizbot` process on a pseudo-terminal: read its screen, type lines, press Ctrl-C.

The process sees a terminal on stdin, stdout and stderr, as a player's shell would give it, so
what only happens in a terminal (echo, colour, the countdown, Ctrl-C) happens here too.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The answer prompt at the end of what was printed (a countdown may be redrawn after it).
PROMPT = re.compile(r"Your answer(?: \[[A-Z/]+\])? > $")
#: Colour and cursor codes, and the countdown's in-place redraws.
_CODES = re.compile(r"\x1b7[^\x1b]*\x1b8|\x1b\[[0-9;?]*[A-Za-z]")


def plain(raw: str) -> str:
    """Return what a terminal shows as text: escape codes and countdown redraws removed."""
    return _CODES.sub("", raw).replace("\r\n", "\n")


class Terminal:
    """A `quizbot` process on a pseudo-terminal."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.fd, child = pty.openpty()
        environ = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
        environ.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            cwd=cwd,
            env=environ,
            start_new_session=True,  # its own session: the pty is its controlling terminal
        )
        os.close(child)
        self.raw = ""
        self.pos = 0  # where the last match ended: what comes after it is still unread

    @property
    def screen(self) -> str:
        """Everything shown so far, as text."""
        return plain(self.raw)

    def read_until(self, pattern: re.Pattern[str], timeout: float = 20.0) -> str:
        """Read until the unread screen matches; return it up to the end of the match."""
        start, deadline = self.pos, time.monotonic() + timeout
        while not pattern.search(self.screen[start:]):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {pattern.pattern!r}:\n{self.screen[-2000:]}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready and not self._read():
                assert pattern.search(self.screen[start:]), self.screen[-2000:]
                break
        found = pattern.search(self.screen[start:])
        assert found is not None
        self.pos = start + found.end()
        return self.screen[start : self.pos]

    def read_raw_until(self, pattern: re.Pattern[str], timeout: float = 20.0) -> None:
        """Read until what was written, escape codes and all, matches (colour, redraws)."""
        deadline = time.monotonic() + timeout
        while not pattern.search(self.raw):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {pattern.pattern!r}:\n{self.raw[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready and not self._read():
                break
        assert pattern.search(self.raw), self.raw[-2000:]

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        self.raw += chunk.decode("utf-8", "replace")
        return bool(chunk)

    def type(self, line: str) -> None:
        """Type a line and press Enter."""
        os.write(self.fd, line.encode() + b"\n")

    def ctrl_c(self) -> None:
        """Press Ctrl-C: the terminal sends SIGINT to the process."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def close(self) -> int:
        """Wait for the process to end, reading the rest of its output; return its exit code."""
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                ready, _, _ = select.select([self.fd], [], [], 0.2)
                if ready and not self._read():
                    break
                if not ready and self.proc.poll() is not None:
                    break
            return self.proc.wait(timeout=20)
        finally:
            os.close(self.fd)
