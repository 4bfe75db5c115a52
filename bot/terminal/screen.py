"""Where the terminal writes: colour and layout on a terminal, plain lines when piped.

rich does the colour (and honours NO_COLOR and TERM=dumb); a pipe or a file gets the same words
with no escape codes, so a transcript reads well. A prompt waits on the same line for the
answer; on a terminal it counts the seconds left down in place, at the start of that line.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO

from rich.console import Console
from rich.text import Text

Out = Callable[[str], None]

#: Styles by the role of a line; plain output ignores them.
STYLES = {
    "title": "bold",
    "question": "bold cyan",
    "progress": "dim",
    "option": "",
    "right": "bold green",
    "wrong": "bold red",
    "note": "yellow",
    "why": "",
    "source": "dim",
    "summary": "bold",
}


class Screen:
    """Lines with a role (for colour), prompts, and a countdown where the terminal allows."""

    def __init__(self, out: Out | None = None, stream: IO[str] | None = None) -> None:
        self._out = out
        self._stream = stream if stream is not None else sys.stdout
        #: A terminal gets colour and a live countdown; anything else gets plain lines.
        self.tty = out is None and _isatty(self._stream)
        self._console = (
            Console(file=self._stream, highlight=False, soft_wrap=True, emoji=False)
            if self.tty
            else None
        )
        self._ticker: asyncio.Task[None] | None = None
        self._prompt_open = False

    def __call__(self, text: str, role: str = "") -> None:
        """Write one line; `role` picks its colour on a terminal."""
        self.close_prompt()
        if self._out is not None:
            self._out(text)
        elif self._console is not None:
            self._console.print(Text(text, style=STYLES.get(role, "")))
        else:
            self._write(text + "\n")

    def error(self, text: str) -> None:
        """Write a line to stderr: what went wrong, and what to do about it."""
        self.close_prompt()
        with contextlib.suppress(OSError, ValueError):
            print(text, file=sys.stderr)

    def prompt(self, text: str, deadline: datetime | None = None) -> None:
        """Write a prompt that waits on its line; on a terminal, count down to `deadline`."""
        self.close_prompt()
        self._prompt_open = True
        if self._out is not None:
            # In-process callers collect lines; the prompt still goes to stdout, unlisted.
            self._write(text)
            self._prompt_open = False
            return
        if self._console is None or deadline is None:
            self._write(text)
            return
        self._write(f"{_left(deadline)} {text}")
        self._ticker = asyncio.get_running_loop().create_task(self._tick(deadline))

    def echo(self, line: str) -> None:
        """Show an answer read from a pipe after its prompt, as a terminal would have."""
        if self._prompt_open and self._out is None and not self.tty:
            self._write(line + "\n")
            self._prompt_open = False

    def answered(self) -> None:
        """The player pressed Enter: the prompt's line is finished."""
        self._stop_ticker()
        self._prompt_open = False

    def close_prompt(self) -> None:
        """End an unanswered prompt's line so that what follows starts on its own line."""
        self._stop_ticker()
        if self._prompt_open and self._out is None:
            self._write("\n")
        self._prompt_open = False

    def _stop_ticker(self) -> None:
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            ticker.cancel()

    async def _tick(self, deadline: datetime) -> None:
        # Save the cursor, rewrite the seconds at the start of the line, and put the cursor
        # back where the player is typing (the terminal still holds the typed characters).
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                await asyncio.sleep(1.0)
                self._write(f"\x1b7\r{_left(deadline)}\x1b8")

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            # The terminal went away (closed pty or pipe): there is no one left to tell.
            pass


def _left(deadline: datetime) -> str:
    seconds = max(0, round((deadline - datetime.now(UTC)).total_seconds()))
    return f"[{seconds // 60}:{seconds % 60:02d}]"


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
