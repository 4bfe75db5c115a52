"""PostgreSQL connections and its numbered migrations, applied once under an advisory lock.

Each file in `migrations/postgres/` is one numbered step run whole (it may hold functions);
`quizbot_schema` records how far the database has come. Every process that starts takes the
same transaction-scoped advisory lock before reading that number, so when several start at
once one migrates and the others find the work done.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from bot.store.conn import PgConn
from bot.store.db import MigrationError

log = logging.getLogger(__name__)

PG_MIGRATIONS_DIR = Path(__file__).with_name("migrations") / "postgres"
_NAME = re.compile(r"^(\d{4})_\w+\.sql$")
#: The advisory lock every quizbot process migrates under (any constant shared by all).
MIGRATION_LOCK = 0x71756973  # "quis"
_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS quizbot_schema (
    only_row  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version   INTEGER NOT NULL
)"""


def asyncpg_module() -> Any:
    """Return asyncpg, or explain how to install it."""
    try:
        import asyncpg
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise MigrationError(
            "PostgreSQL needs the asyncpg package: pip install 'quizbot[postgres]'"
        ) from exc
    return asyncpg


def load_pg_migrations(directory: Path | None = None) -> list[tuple[int, str, str]]:
    """Return (number, file name, script) for each migration, checked to run 1, 2, 3 …"""
    found: list[tuple[int, str, str]] = []
    for path in sorted((directory or PG_MIGRATIONS_DIR).glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
        found.append((int(match[1]), path.name, path.read_text(encoding="utf-8")))
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise MigrationError(f"{name}: expected migration number {expected:04d}")
    return found


async def connect_pg(url: str) -> PgConn:
    """Open one connection to the server at `url`, in UTC, with a clear error when it fails."""
    asyncpg = asyncpg_module()
    try:
        raw = await asyncpg.connect(url, server_settings={"timezone": "UTC"})
    except (OSError, asyncpg.PostgresError, ValueError) as exc:
        raise MigrationError(f"cannot connect to PostgreSQL: {exc}") from exc
    return PgConn(raw)


async def pg_version(db: PgConn) -> int:
    """Return the schema version recorded in the database (0 for an empty one)."""
    rows = await db.execute_fetchall("SELECT to_regclass('quizbot_schema') IS NOT NULL")
    if not rows[0][0]:
        return 0
    rows = await db.execute_fetchall("SELECT version FROM quizbot_schema")
    return int(rows[0][0]) if rows else 0


async def apply_pg_migrations(db: PgConn, directory: Path | None = None) -> int:
    """Bring the schema up to the latest version in one transaction under the advisory lock."""
    migrations = load_pg_migrations(directory)
    latest = len(migrations)
    raw = db.raw
    async with raw.transaction():
        await raw.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await raw.execute(_VERSION_TABLE)
        current = await pg_version(db)
        if current > latest:
            raise MigrationError(
                f"the database's schema version {current} is newer than this quizbot's "
                f"({latest}): upgrade quizbot to use it"
            )
        for number, name, script in migrations[current:]:
            try:
                await raw.execute(script)
            except Exception as exc:
                raise MigrationError(f"{name}: {exc}") from exc
            await raw.execute(
                """INSERT INTO quizbot_schema (version) VALUES ($1)
                   ON CONFLICT (only_row) DO UPDATE SET version = excluded.version""",
                number,
            )
            log.info("applied PostgreSQL migration %s", name)
    return latest


async def check_pg_schema(db: PgConn) -> int:
    """Return the schema version; raise MigrationError unless it is this code's latest."""
    latest = len(load_pg_migrations())
    current = await pg_version(db)
    if current != latest:
        newer = "newer" if current > latest else "older"
        advice = "upgrade quizbot to read it" if current > latest else "start the bot once"
        raise MigrationError(
            f"the database's schema version {current} is {newer} than this quizbot's "
            f"({latest}): {advice}"
        )
    return current
