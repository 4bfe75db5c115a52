"""Move a SQLite database into an empty PostgreSQL one: every table, counted both sides.

The SQLite file is brought to the latest schema and its pending answers are counted first, so
the aggregates copied are complete; boards of every bank that SQLite leaves to their one bank's
board are written out, as PostgreSQL stores every board. Rows go over with PostgreSQL's COPY
in chunks, in one transaction: a failure leaves the target as empty as it was. The target's
triggers are off during the copy (the counters they keep are copied as they are), and each id
sequence is moved past the highest id copied.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from bot.store.boards import EVERY_BOARD_COUNTS, EVERY_BOARD_SCORES
from bot.store.db import MigrationError
from bot.store.pg import connect_pg
from bot.store.store import Store

#: Tables in an order that satisfies the foreign keys.
TABLES = (
    "players",
    "games",
    "questions_asked",
    "answers",
    "game_players",
    "score_scopes",
    "scores",
    "score_counts",
    "cards",
    "reviews",
    "reports",
    "guild_settings",
    "meta",
    "guild_banks",
    "facts_counted",
    "facts_learned",
)
#: Tables read through a query: PostgreSQL stores every board, SQLite only those it must.
SOURCES = {"scores": EVERY_BOARD_SCORES, "score_counts": EVERY_BOARD_COUNTS}
#: Tables whose ids the target's identity columns must continue after.
IDENTITIES = {
    "games": "game_id",
    "answers": "answer_id",
    "score_scopes": "scope_id",
    "reviews": "review_id",
    "reports": "report_id",
}
CHUNK = 10_000


class TransferError(Exception):
    """The copy cannot start or did not match; the target is left as it was."""


async def copy_to_postgres(
    source: str | Path, target: str, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every table of the SQLite file `source` into the empty PostgreSQL `target`.

    Return the rows copied per table. `progress(table, rows)` is called after each table.
    """
    path = Path(source)
    if not await asyncio.to_thread(path.is_file):  # else opening it would create it
        raise TransferError(f"no SQLite database at {path}")
    # Bring the file to the latest schema and count its pending answers in the aggregates.
    async with await Store.open(path, abort_running=False) as store:
        await store.fold()
    # The target's schema, created if needed.
    async with await Store.open(target, abort_running=False):
        pass
    copied: dict[str, int] = {}
    db = await connect_pg(target)
    raw = db.raw
    try:
        for table in TABLES:
            if await raw.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                raise TransferError(
                    f"the target database is not empty ({table} has rows): "
                    "copy into a new, empty database"
                )
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as lite:
            async with raw.transaction():
                for table in TABLES:
                    await raw.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                for table in TABLES:
                    copied[table] = await _copy_table(lite, raw, table)
                    if progress is not None:
                        progress(table, copied[table])
                for table in TABLES:
                    await raw.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                for table, column in IDENTITIES.items():
                    await raw.execute(
                        f"""SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                                          COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1,
                                          false)"""
                    )
                for table in TABLES:
                    there = await raw.fetchval(f"SELECT COUNT(*) FROM {table}")
                    if there != copied[table]:
                        raise TransferError(
                            f"{table}: {copied[table]} rows read but {there} arrived; nothing kept"
                        )
    except sqlite3.Error as exc:
        raise TransferError(f"cannot read {path}: {exc}") from exc
    finally:
        await db.close()
    return copied


async def _copy_table(lite: sqlite3.Connection, raw: object, table: str) -> int:
    """Copy one table in chunks; return how many rows went over."""
    import asyncpg

    assert isinstance(raw, asyncpg.Connection)
    columns = [
        row[0]
        for row in await raw.fetch(
            """SELECT column_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = $1
               ORDER BY ordinal_position""",
            table,
        )
    ]
    if not columns:
        raise MigrationError(f"the target has no table {table}")
    source = f"({SOURCES[table]}) AS rows" if table in SOURCES else table
    cursor = lite.execute(f"SELECT {', '.join(columns)} FROM {source}")
    total = 0
    while rows := cursor.fetchmany(CHUNK):
        await raw.copy_records_to_table(table, records=rows, columns=columns)
        total += len(rows)
    return total
