"""WAL checkpoints on a connection of their own, beside the writer instead of inside its commits.

SQLite copies the write-ahead log back into the database file (a checkpoint) by default at the
end of whichever commit crosses 1,000 pages of log: that commit, and every write queued behind
it, waits for the copy. The store turns that off on the writer and checkpoints here instead,
in PASSIVE mode (never blocking the writer or the readers), on a connection whose thread runs
beside the writer's. It waits for a pause in the writes (`QUIET` seconds without a commit, and
no transaction open), so neither the reads that follow a round (a board opened right after
it) nor the next round's transaction share the machine with the copy, but never lets more than
`MAX_PENDING` commits pile up: the log stays short.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.store.conn import Conn

log = logging.getLogger(__name__)

#: Seconds without a commit before a checkpoint starts…
QUIET = 0.05
#: …unless this many commits are waiting to be copied back.
MAX_PENDING = 64


class Checkpointer:
    """Run `PRAGMA wal_checkpoint(PASSIVE)` on its own connection after commits."""

    def __init__(self, db: Conn, busy: Callable[[], bool] = lambda: False) -> None:
        self.db = db
        #: Whether a write transaction is open (a checkpoint then waits for its commit).
        self.busy = busy
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pending = 0
        self._closing = False
        #: Checkpoints run so far.
        self.runs = 0

    def start(self) -> None:
        """Start checkpointing on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="checkpoints")

    def committed(self) -> None:
        """Note a commit: its log pages are to be copied back."""
        self._pending += 1
        self._wanted.set()

    async def _quiet(self) -> None:
        """Return after QUIET seconds without a commit or an open transaction, or once
        MAX_PENDING commits are waiting."""
        while self._pending < MAX_PENDING and not self._closing:
            self._wanted.clear()
            try:
                async with asyncio.timeout(QUIET):
                    await self._wanted.wait()
            except TimeoutError:
                # Quiet; unless a transaction is open, which is looked at again a QUIET later
                # (it may end in a commit or a rollback: only the commit would wake us).
                if not self.busy():
                    return

    async def _run(self) -> None:
        while True:
            await self._wanted.wait()
            await self._quiet()
            if self._closing:
                return
            self._wanted.clear()
            self._pending = 0
            try:
                await self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.runs += 1
            except Exception as exc:  # a checkpoint left for later loses nothing
                log.warning("WAL checkpoint failed: %r", exc)
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        """Stop, then close the connection (SQLite checkpoints as its last connection closes)."""
        self._closing = True
        self._wanted.set()  # an exit it sees, rather than a cancel a timeout could swallow
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait([self._task])
        await self.db.close()
