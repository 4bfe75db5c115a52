"""Connections, pragmas, numbered migrations, UTC time helpers and the store's shared base."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.store.answers import AnswerBatcher
from bot.store.clock import Clock, to_ms
from bot.store.fold import PENDING
from bot.store.writer import StoreClosedError, Writer

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.sql$")


class MigrationError(Exception):
    """A migration that cannot be applied; the database is left as it was."""


async def connect(path: str | Path, *, read_only: bool = False) -> aiosqlite.Connection:
    """Open a connection in autocommit mode with the store's pragmas."""
    db = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        # WAL lets readers work beside the single writer; NORMAL sync in WAL survives a
        # process crash (only an OS crash or power loss can lose the last commits).
        pragmas = [
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA cache_size = -16000",
            # The writer folds answers through small scratch tables: keep them off the disk.
            "PRAGMA temp_store = MEMORY",
        ]
        if read_only:
            pragmas.append("PRAGMA query_only = ON")
        await db.executescript(";\n".join(pragmas) + ";")
    except BaseException:
        await db.close()
        raise
    return db


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change."""

    version: int
    name: str
    statements: tuple[str, ...]


def split_statements(script: str, name: str = "<sql>") -> tuple[str, ...]:
    """Split an SQL script into complete statements (comments travel with the next one)."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.splitlines(keepends=True):
        buffer.append(line)
        text = "".join(buffer)
        if sqlite3.complete_statement(text):
            statements.append(text.strip())
            buffer = []
    rest = [ln for ln in buffer if ln.strip() and not ln.strip().startswith("--")]
    if rest:
        raise MigrationError(f"{name}: incomplete statement at the end: {''.join(rest).strip()!r}")
    return tuple(statements)


def load_migrations(directory: Path | None = None) -> list[Migration]:
    """Read the numbered migration files; numbers must run 1, 2, 3 … without gaps."""
    directory = directory or MIGRATIONS_DIR
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
        script = path.read_text(encoding="utf-8")
        found.append(Migration(int(match[1]), path.name, split_statements(script, path.name)))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise MigrationError(f"{migration.name}: expected migration number {expected:04d}")
    return found


async def user_version(db: aiosqlite.Connection) -> int:
    """Return the schema version recorded in the database."""
    rows = list(await db.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def apply_migrations(
    db: aiosqlite.Connection, target: int | None = None, directory: Path | None = None
) -> int:
    """Bring the schema up to `target` (default: latest), one transaction per file."""
    migrations = load_migrations(directory)
    latest = migrations[-1].version if migrations else 0
    target = latest if target is None else target
    if not 0 <= target <= latest:
        raise MigrationError(f"target version {target} is outside 0..{latest}")
    current = await user_version(db)
    if current > latest:
        raise MigrationError(
            f"database schema version {current} is newer than this code ({latest})"
        )
    for migration in migrations[current:target]:
        await db.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another process may have migrated meanwhile.
            if await user_version(db) >= migration.version:
                await db.execute("COMMIT")
                continue
            for statement in migration.statements:
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {migration.version:d}")
            await db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise MigrationError(f"{migration.name}: {exc}") from exc
            raise
        log.info("applied migration %s", migration.name)
    return await user_version(db)


async def migrate(
    path: str | Path, target: int | None = None, directory: Path | None = None
) -> int:
    """Open the database at `path`, migrate it to `target` (default: latest), return the version."""
    db = await connect(path)
    try:
        return await apply_migrations(db, target, directory)
    finally:
        await db.close()


class StoreBase:
    """State shared by the store's query groups: the writer, the readers and the clock."""

    def __init__(
        self,
        path: Path,
        writer: Writer,
        readers: list[aiosqlite.Connection],
        clock: Clock,
        answers: AnswerBatcher,
    ) -> None:
        self.path = path
        self._writer = writer
        self._answers = answers
        self._readers = readers
        self._free: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self._free.put_nowait(reader)
        self._clock = clock
        self._folding: asyncio.Future[int] | None = None
        self._closed = False

    async def fold(self) -> int:
        """Count every stored answer in the aggregates now; return how many were pending.

        Reads of the aggregates fold by themselves when needed, and the writer folds when idle,
        so callers rarely need this.
        """
        return int(await self._write(self._answers.fold))

    async def _fold_shared(self) -> int:
        """Fold, joining a fold already queued or running rather than queueing another."""
        shared = self._folding
        if shared is None or shared.done():
            shared = self._folding = asyncio.ensure_future(self.fold())
        return await asyncio.shield(shared)

    @asynccontextmanager
    async def _read_folded(self) -> AsyncIterator[aiosqlite.Connection]:
        """Lend a read connection in one snapshot that counts every answer committed so far."""
        for attempt in range(3):
            async with self._read() as db:
                await db.execute("BEGIN")
                try:
                    # The snapshot starts with this check, so what it finds folded stays so.
                    pending = attempt < 2 and bool(_first(await db.execute_fetchall(PENDING)))
                    if not pending:
                        yield db
                finally:
                    await db.execute("COMMIT")
            if not pending:
                return
            # A shared fold may have read its range just before another process committed;
            # if answers are still pending after it, a fold queued now covers them surely.
            await (self._fold_shared() if attempt == 0 else self.fold())

    def _now(self) -> datetime:
        """Return the injected clock's time, checked to be timezone-aware."""
        now = self._clock()
        to_ms(now)
        return now

    def _now_ms(self) -> int:
        """Return the injected clock's time in epoch milliseconds."""
        return to_ms(self._clock())

    def _write(self, fn: Callable[[aiosqlite.Connection], Awaitable[T]]) -> Awaitable[T]:
        """Queue a write; the returned awaitable resolves once it is committed."""
        return self._writer.submit(fn)

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Lend a read connection; once the store is closed, refuse rather than wait forever."""
        if self._closed:
            raise StoreClosedError("the store is closed")
        db = await self._free.get()
        try:
            yield db
        finally:
            self._free.put_nowait(db)

    async def _fetchall_folded(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        """Run one query of the aggregates on a read connection, pending answers counted."""
        async with self._read_folded() as db:
            return list(await db.execute_fetchall(sql, params))

    async def _fetchall(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        """Run one query on a read connection."""
        async with self._read() as db:
            return list(await db.execute_fetchall(sql, params))


def _first(rows: Any) -> Any:
    """Return the first column of the first row of a query's result."""
    return next(iter(rows))[0]
