"""WAL checkpoints on a connection of their own, beside the writer instead of inside its commits.

SQLite copies the write-ahead log back into the database file (a checkpoint) by default at the
end of whichever commit crosses 1,000 pages of log: that commit, and every write queued behind
it, waits for the copy. The store turns that off on the writer and checkpoints here instead,
in PASSIVE mode (never blocking the writer or the readers), on a connection whose thread runs
beside the writer's, after commits: one checkpoint at a time, the next one as soon as the last
is done if more was committed meanwhile, so the log stays short.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.store.conn import Conn

log = logging.getLogger(__name__)


class Checkpointer:
    """Run `PRAGMA wal_checkpoint(PASSIVE)` on its own connection after commits."""

    def __init__(self, db: Conn) -> None:
        self.db = db
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Checkpoints run so far (for tests and benchmarks).
        self.runs = 0

    def start(self) -> None:
        """Start checkpointing on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="checkpoints")

    def committed(self) -> None:
        """Note a commit: its log pages are to be copied back."""
        self._wanted.set()

    async def _run(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            try:
                await self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception as exc:  # a checkpoint left for later loses nothing
                log.warning("WAL checkpoint failed: %r", exc)
                await asyncio.sleep(1.0)
            self.runs += 1

    async def close(self) -> None:
        """Stop, then close the connection (SQLite checkpoints as its last connection closes)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.db.close()
