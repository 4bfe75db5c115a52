"""Connections with the store's pragmas, and the numbered schema migrations."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import aiosqlite

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
#: What every store connection sets after `busy_timeout` and WAL mode. NORMAL sync in WAL
#: survives a process crash (only an OS crash or power loss can lose the last commits); the
#: writer folds answers through small scratch tables, kept off the disk.
PRAGMAS = (
    "synchronous = NORMAL",
    "foreign_keys = ON",
    "cache_size = -16000",
    "temp_store = MEMORY",
)
#: What the writer's connection sets besides: the store copies the write-ahead log back on a
#: connection of its own once writes pause (`bot.store.checkpoint`), never inside a commit.
WRITER_PRAGMAS = ("wal_autocheckpoint = 0",)
_MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.sql$")


class MigrationError(Exception):
    """A migration that cannot be applied; the database is left as it was."""


async def connect(
    path: str | Path, *, read_only: bool = False, existing: bool = False, writer: bool = False
) -> aiosqlite.Connection:
    """Open a connection in autocommit mode with the store's pragmas.

    `writer` turns off the checkpoints SQLite would run inside the writer's commits: the
    store runs them beside it (`bot.store.checkpoint`).
    `existing` opens the file read-only at the SQLite level: it is never created, migrated or
    written, so a mistyped path fails instead of leaving an empty database behind.
    """
    if existing:
        # A relative file: URI is relative to the working directory, like a plain path.
        uri = f"file:{quote(str(path))}?mode=ro"
        db = await aiosqlite.connect(uri, isolation_level=None, uri=True)
    else:
        db = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not existing:  # WAL lets readers work beside the single writer
            await _enter_wal(db)
        pragmas = [f"PRAGMA {pragma}" for pragma in PRAGMAS]
        if read_only or existing:
            pragmas.append("PRAGMA query_only = ON")
        if writer:
            pragmas += [f"PRAGMA {pragma}" for pragma in WRITER_PRAGMAS]
        await db.executescript(";\n".join(pragmas) + ";")
    except BaseException:
        await db.close()
        raise
    return db


async def _enter_wal(db: aiosqlite.Connection) -> None:
    """Put the database in WAL mode, waiting for other connections as `busy_timeout` would.

    The switch does not wait by itself: while another process holds a lock (two processes
    creating the same new file, one of them migrating it), it fails at once as "locked".
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(0.02)


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


async def check_schema(db: aiosqlite.Connection) -> int:
    """Return the schema version; raise MigrationError unless it is this code's latest."""
    latest = len(load_migrations())
    current = await user_version(db)
    if current > latest:
        raise MigrationError(
            f"the database's schema version {current} is newer than this quizbot's ({latest}): "
            "upgrade quizbot to read it"
        )
    if current < latest:
        raise MigrationError(
            f"the database's schema version {current} is older than this quizbot's ({latest}): "
            "start the bot or `quizbot play` once to upgrade it"
        )
    return current


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
