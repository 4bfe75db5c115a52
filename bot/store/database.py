"""The connections every repository shares: one writer task, a few readers, and the clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.store.answers import AnswerBatcher
from bot.store.checkpoint import Checkpointer
from bot.store.conn import Conn, PgConn, Row, is_postgres_url
from bot.store.db import apply_migrations, check_schema, connect
from bot.store.fold import PENDING, prepare_scratch
from bot.store.fold_pg import create_scratch
from bot.store.pg import apply_pg_migrations, check_pg_schema, connect_pg
from bot.store.utc import Now, to_ms, utc_now
from bot.store.writer import StoreClosedError, Upkeep, Writer

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Tuning:
    """How the store batches writes and folds answers into the leaderboards."""

    readers: int = 2
    max_batch: int = 1000
    batch_window: float = 0.002
    #: New answers are counted once the writer has been idle this long (None: only when read).
    fold_delay: float | None = 0.1
    #: …and at once when this many are waiting.
    fold_backlog: int = 20_000
    #: Count each batch of answers in the aggregates in the transaction that stores it.
    fold_inline: bool = True


class Database:
    """One database: the single writer (group commit) and a pool of read connections.

    A SQLite file (a path, or `sqlite:` and a path) or a PostgreSQL server (`postgresql://…`).
    Created closed; `open` connects and migrates. Repositories hold the same Database and call
    `write`, `read`, `read_folded`, `fetchall` and `fetchall_folded`.
    """

    def __init__(self, path: str | Path, *, now: Now | None = None, tuning: Tuning = Tuning()):
        target = str(path)
        if target.startswith("sqlite:"):
            target = target.removeprefix("sqlite:").removeprefix("//")
        if target == ":memory:" or target.startswith("file:"):
            raise ValueError("the store needs a database file: its connections share it")
        if tuning.readers < 1:
            raise ValueError("at least one read connection is needed")
        if tuning.fold_backlog < 1:
            raise ValueError("fold_backlog must be positive")
        #: PostgreSQL rather than a SQLite file.
        self.postgres = is_postgres_url(target)
        #: Where the database is: the file's path, or the server's URL.
        self.url = target
        self.path = Path(target) if not self.postgres else Path()
        self.tuning = tuning
        self.answers = AnswerBatcher(fold_inline=tuning.fold_inline)
        self._clock = now or utc_now
        self._writer: Writer | None = None
        self._readers: list[Conn] = []
        self._free: asyncio.Queue[Conn] = asyncio.Queue()
        self._folding: asyncio.Future[int] | None = None
        self._checkpointer: Checkpointer | None = None
        self._closed = False
        #: Opened with `read_only`: reads only, and the aggregates as the last fold left them.
        self.read_only = False

    @property
    def is_open(self) -> bool:
        """Tell whether the connections are open."""
        return bool(self._readers) and not self._closed

    async def open(self, *, read_only: bool = False) -> None:
        """Create (if needed) and migrate the file, then open the writer and the readers.

        `read_only` opens an existing file for reading only: no writer, no migration, and
        FileNotFoundError when it does not exist, MigrationError when its schema differs.
        """
        if self._writer is not None or self._closed:
            raise RuntimeError("a store opens once")
        if self.postgres:
            await self._open_postgres(read_only=read_only)
            return
        if read_only:
            await self._open_read_only()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_db = await connect(self.path, writer=True)
        read_dbs: list[Conn] = []
        checkpoints: Conn | None = None
        try:
            await apply_migrations(write_db)
            await prepare_scratch(write_db)
            for _ in range(self.tuning.readers):
                read_dbs.append(await connect(self.path, read_only=True))
            checkpoints = await connect(self.path)
        except BaseException:
            for db in (write_db, *read_dbs, *([checkpoints] if checkpoints else [])):
                await db.close()
            raise
        self._checkpointer = Checkpointer(checkpoints, busy=self._writing)
        answers = self.answers
        t = self.tuning
        upkeep = Upkeep(
            run=answers.fold,
            wanted=lambda: answers.unfolded > 0,
            urgent=lambda: answers.unfolded >= t.fold_backlog,
            delay=t.fold_delay,
        )
        self._writer = Writer(
            write_db,
            max_batch=t.max_batch,
            window=t.batch_window,
            on_rollback=answers.forget,
            on_commit=self._checkpointer.committed,
            upkeep=upkeep,
        )
        self._lend(read_dbs)
        self._writer.start()
        self._checkpointer.start()

    async def _open_postgres(self, *, read_only: bool) -> None:
        # Scores are counted in each write's own transaction (see fold_pg): nothing is ever
        # left to fold, so the writer has no upkeep.
        conns: list[PgConn] = []
        try:
            for _ in range(self.tuning.readers + (0 if read_only else 1)):
                conns.append(await connect_pg(self.url))
            if read_only:
                await check_pg_schema(conns[0])
            else:
                await apply_pg_migrations(conns[0])
                await create_scratch(conns[0])
        except BaseException:
            for conn in conns:
                await conn.close()
            raise
        if read_only:
            self.read_only = True
            readers = conns
        else:
            t = self.tuning
            self._writer = Writer(conns[0], max_batch=t.max_batch, window=t.batch_window,
                                  on_rollback=self.answers.forget)  # fmt: skip
            readers = conns[1:]
        self._lend(readers)
        if self._writer is not None:
            self._writer.start()

    async def _open_read_only(self) -> None:
        if not self.path.is_file():
            raise FileNotFoundError(f"no database at {self.path}")
        read_dbs: list[Conn] = []
        try:
            for _ in range(self.tuning.readers):
                read_dbs.append(await connect(self.path, existing=True))
            await check_schema(read_dbs[0])
        except BaseException:
            for db in read_dbs:
                await db.close()
            raise
        self._lend(read_dbs)
        self.read_only = True

    def _lend(self, readers: list[Conn] | list[PgConn]) -> None:
        """Make the read connections available to `read`."""
        self._readers = list(readers)
        for reader in self._readers:
            self._free.put_nowait(reader)

    async def close(self) -> None:
        """Commit queued writes, wait for reads in progress, and close every connection."""
        if self._closed:  # the read connections are gone: waiting for them would never end
            return
        self._closed = True
        writer, self._writer = self._writer, None
        if writer is None:
            await self._close_readers()
            return
        await writer.close()
        if self._checkpointer is not None:
            await self._checkpointer.close()
        try:
            try:
                if writer.db.in_transaction:
                    await writer.db.execute("ROLLBACK")
                if not self.postgres:
                    await writer.db.execute("PRAGMA optimize")
            finally:
                await writer.db.close()
        finally:
            await self._close_readers()

    async def _close_readers(self) -> None:
        # Each connection runs a thread that keeps the process alive until it is closed.
        for _ in self._readers:
            db = await self._free.get()
            await db.close()

    @property
    def writer(self) -> Writer:
        """Return the writer; refuse once the store is closed or before it is open."""
        if self._writer is None:
            raise StoreClosedError(self._why_closed())
        return self._writer

    def _writing(self) -> bool:
        return self._writer is not None and self._writer.in_transaction

    def _why_closed(self) -> str:
        return "the store is closed" if self._closed else "the store is not open yet"

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Return the injected clock's time, checked to be timezone-aware."""
        now = self._clock()
        to_ms(now)
        return now

    def now_ms(self) -> int:
        """Return the injected clock's time in epoch milliseconds."""
        return to_ms(self._clock())

    # -- writing ------------------------------------------------------------------------------
    def write(self, fn: Callable[[Conn], Awaitable[T]]) -> Awaitable[T]:
        """Queue a write; the returned awaitable resolves once it is committed."""
        return self.writer.submit(fn)

    async def fold(self) -> int:
        """Count every stored answer in the aggregates now; return how many were pending."""
        if self.postgres:
            return 0  # every write counts its own answers
        return int(await self.write(self.answers.fold))

    async def _fold_shared(self) -> int:
        """Fold, joining a fold already queued or running rather than queueing another."""
        shared = self._folding
        if shared is None or shared.done():
            shared = self._folding = asyncio.ensure_future(self.fold())
        return await asyncio.shield(shared)

    # -- reading ------------------------------------------------------------------------------
    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """Lend a read connection; once the store is closed, refuse rather than wait forever."""
        if self._closed or not self._readers:
            raise StoreClosedError(self._why_closed())
        db = await self._free.get()
        try:
            yield db
        finally:
            self._free.put_nowait(db)

    @asynccontextmanager
    async def read_folded(self) -> AsyncIterator[Conn]:
        """Lend a read connection in one snapshot that counts every answer committed so far."""
        if self.postgres:
            # Every committed answer is counted: one snapshot for the reads is all it takes.
            async with self.read() as db:
                await db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try:
                    yield db
                finally:
                    if db.in_transaction:  # reads only: ending it either way is the same
                        await db.execute("ROLLBACK")
            return
        if self.read_only:
            # Nothing here may write: read what the bot has folded (it folds when idle).
            async with self.read() as db:
                yield db
            return
        for attempt in range(3):
            async with self.read() as db:
                await db.execute("BEGIN")
                try:
                    # The snapshot starts with this check, so what it finds folded stays so.
                    pending = attempt < 2 and bool(first(await db.execute_fetchall(PENDING)))
                    if not pending:
                        yield db
                finally:
                    await db.execute("COMMIT")
            if not pending:
                return
            # A shared fold may have read its range just before another process committed;
            # if answers are still pending after it, a fold queued now covers them surely.
            await (self._fold_shared() if attempt == 0 else self.fold())

    async def fetchall(self, sql: str, params: Any = ()) -> list[Row]:
        """Run one query on a read connection."""
        async with self.read() as db:
            return list(await db.execute_fetchall(sql, params))

    async def fetchall_folded(self, sql: str, params: Any = ()) -> list[Row]:
        """Run one query of the aggregates on a read connection, pending answers counted."""
        async with self.read_folded() as db:
            return list(await db.execute_fetchall(sql, params))


def first(rows: Any) -> Any:
    """Return the first column of the first row of a query's result."""
    return next(iter(rows))[0]
