"""The store: open a database file, migrate it, and serve every query group."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

from bot.store.answers import AnswerBatcher
from bot.store.boards import BoardQueries
from bot.store.clock import Clock, utc_now
from bot.store.db import apply_migrations, connect
from bot.store.guilds import GuildQueries
from bot.store.learning import LearningQueries
from bot.store.quality import QualityQueries
from bot.store.queries import GameQueries
from bot.store.writer import Upkeep, Writer

log = logging.getLogger(__name__)


class Store(GameQueries, BoardQueries, LearningQueries, QualityQueries, GuildQueries):
    """The bot's SQLite database: one writer task with group commit, a few read connections."""

    aborted_at_open: list[int]

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        clock: Clock | None = None,
        readers: int = 2,
        max_batch: int = 1000,
        batch_window: float = 0.002,
        abort_running: bool = True,
        fold_delay: float | None = 0.1,
        fold_backlog: int = 20_000,
    ) -> Self:
        """Open (creating and migrating if needed) the database and abort games left running.

        Pass `abort_running=False` from a tool that opens the file beside a running bot (a
        leaderboard printout, say): that bot's games are alive, not left over from a crash.
        New answers are counted in the leaderboards once the writer has been idle for
        `fold_delay` seconds (None: only when read), at once when `fold_backlog` are waiting,
        and in any case before a read of the leaderboards returns.
        """
        if fold_backlog < 1:
            raise ValueError("fold_backlog must be positive")
        if str(path) == ":memory:" or str(path).startswith("file:"):
            raise ValueError("the store needs a database file: its connections share it")
        path = Path(path)
        if readers < 1:
            raise ValueError("at least one read connection is needed")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_db = await connect(path)
        read_dbs: list[aiosqlite.Connection] = []
        try:
            await apply_migrations(write_db)
            for _ in range(readers):
                read_dbs.append(await connect(path, read_only=True))
        except BaseException:
            for db in (write_db, *read_dbs):
                await db.close()
            raise
        answers = AnswerBatcher()
        upkeep = Upkeep(
            run=answers.fold,
            wanted=lambda: answers.unfolded > 0,
            urgent=lambda: answers.unfolded >= fold_backlog,
            delay=fold_delay,
        )
        writer = Writer(
            write_db,
            max_batch=max_batch,
            window=batch_window,
            on_rollback=answers.forget,
            upkeep=upkeep,
        )
        store = cls(path, writer, read_dbs, clock or utc_now, answers)
        writer.start()
        store.aborted_at_open = []
        try:
            if abort_running:
                store.aborted_at_open = await store.abort_open_games()
        except BaseException:
            await store.close()
            raise
        if store.aborted_at_open:
            log.info(
                "aborted %d games left running: %s",
                len(store.aborted_at_open),
                store.aborted_at_open,
            )
        return store

    async def close(self) -> None:
        """Commit queued writes, wait for reads in progress, and close every connection."""
        if self._closed:  # the read connections are gone: waiting for them would never end
            return
        self._closed = True
        await self._writer.close()
        write_db = self._writer.db
        try:
            try:
                if write_db.in_transaction:
                    await write_db.execute("ROLLBACK")
                await write_db.execute("PRAGMA optimize")
            finally:
                await write_db.close()
        finally:
            # Each connection runs a thread that keeps the process alive until it is closed.
            for _ in self._readers:
                db = await self._free.get()
                await db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
