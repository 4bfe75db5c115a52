"""Helpers shared by the store tests: a settable clock, game start-up, aggregate totals."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.store import AnswerRecord, Store
from bot.store.boards import EVERY_BOARD_COUNTS, EVERY_BOARD_SCORES
from bot.store.fold import fold_answers_blocking

AnswerFactory = Callable[..., AnswerRecord]
#: Run one SQL query (with ? placeholders) on a test's database, whichever the backend.
Query = Callable[..., Awaitable[list[tuple[Any, ...]]]]

#: What a broken constraint raises, on either backend.
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
try:
    import asyncpg

    INTEGRITY_ERRORS += (asyncpg.IntegrityConstraintViolationError,)
except ImportError:  # pragma: no cover - the test extra installs it
    pass

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def new_game(store: Store, guild_id: int = 1, bank: str = "news", **over: Any) -> int:
    """Start a game with defaults; keyword arguments override them."""
    return await store.games.start(
        guild_id,
        over.get("channel_id", 10),
        bank,
        over.get("mode", "buttons"),
        over.get("topic"),
        over.get("started_by", 1),
        over.get("question_count", 10),
        over.get("started_at"),
    )


def scope_totals(conn: sqlite3.Connection, guild_id: int) -> dict[tuple[str, str, str], int]:
    """Return total points per (period, topic, bank) scope of a guild, read from the aggregates.

    The store counts new answers in the aggregates lazily, before its own reads: fold them the
    same way in a private in-memory copy, so this reads what the store's reads would, without
    writing to (or waiting for a lock on) the database under test.
    """
    copy = sqlite3.connect(":memory:")
    try:
        conn.backup(copy)
        fold_answers_blocking(copy)
        return folded_totals(copy, guild_id)
    finally:
        copy.close()


def folded_totals(conn: sqlite3.Connection, guild_id: int) -> dict[tuple[str, str, str], int]:
    """Return total points per scope as the aggregates hold them now, without folding."""
    rows = conn.execute(
        f"""SELECT sc.period, sc.topic, sc.bank, SUM(s.points)
           FROM ({EVERY_BOARD_SCORES}) s JOIN score_scopes sc ON sc.scope_id = s.scope_id
           WHERE s.guild_id = ? GROUP BY sc.scope_id""",
        (guild_id,),
    ).fetchall()
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def answer_totals(
    conn: sqlite3.Connection, guild_id: int, up_to: int | None = None
) -> dict[tuple[str, str, str], int]:
    """Return the same totals computed straight from the answers table (ids up to `up_to`)."""
    totals: dict[tuple[str, str, str], int] = {}
    rows = conn.execute(
        """SELECT topic, bank, points, answered_at FROM answers
           WHERE guild_id = ? AND answer_id <= ?""",
        (guild_id, 2**63 - 1 if up_to is None else up_to),
    ).fetchall()
    for topic, bank, points, answered_at in rows:
        when = datetime.fromtimestamp(answered_at / 1000, UTC)
        year, week, _ = when.isocalendar()
        for period in ("all", f"{year}-W{week:02d}"):
            for t in ("", topic):
                for b in ("", bank):
                    key = (period, t, b)
                    totals[key] = totals.get(key, 0) + points
    return totals


ScoreKey = tuple[int, str, str, str, int]  # guild, period, topic, bank, user


def fold_mark(conn: sqlite3.Connection) -> int:
    """Return the id of the last answer counted in the aggregates."""
    return int(conn.execute("SELECT last_answer_id FROM fold_state").fetchone()[0])


def expected_scores(
    conn: sqlite3.Connection, up_to: int | None = None
) -> dict[ScoreKey, tuple[int, int, int, int, int]]:
    """Compute every aggregate row from the answers (ids up to `up_to`), independently.

    Values are (points, answers, correct, games, best streak); games counts distinct games.
    """
    rows = conn.execute(
        """SELECT guild_id, user_id, game_id, topic, bank, points, correct, streak, answered_at
           FROM answers WHERE answer_id <= ?""",
        (2**63 - 1 if up_to is None else up_to,),
    ).fetchall()
    totals: dict[ScoreKey, list[Any]] = {}
    for guild, user, game, topic, bank, points, correct, streak, answered_at in rows:
        when = datetime.fromtimestamp(answered_at / 1000, UTC)
        year, week, _ = when.isocalendar()
        keys = {
            (guild, p, t, b, user)
            for p in ("all", f"{year}-W{week:02d}")
            for t in ("", topic)
            for b in ("", bank)
        }
        for key in keys:
            t = totals.setdefault(key, [0, 0, 0, set(), 0])
            t[0] += points
            t[1] += 1
            t[2] += correct
            t[3].add(game)
            t[4] = max(t[4], streak)
    return {k: (v[0], v[1], v[2], len(v[3]), v[4]) for k, v in totals.items()}


def stored_scores(conn: sqlite3.Connection) -> dict[ScoreKey, tuple[int, int, int, int, int]]:
    """Return every aggregate row as the database holds it now, without folding."""
    rows = conn.execute(
        f"""SELECT s.guild_id, sc.period, sc.topic, sc.bank, s.user_id,
                  s.points, s.answers, s.correct, s.games, s.best_streak
           FROM ({EVERY_BOARD_SCORES}) AS s JOIN score_scopes AS sc ON sc.scope_id = s.scope_id"""
    ).fetchall()
    return {tuple(r[:5]): tuple(r[5:]) for r in rows}  # type: ignore[misc]


def board_sizes(conn: sqlite3.Connection) -> dict[tuple[int, int], int]:
    """Return the kept player count of every board that has players."""
    rows = conn.execute(
        f"SELECT guild_id, scope_id, players FROM ({EVERY_BOARD_COUNTS}) WHERE players > 0"
    )
    return {(r[0], r[1]): r[2] for r in rows}


def counted_sizes(conn: sqlite3.Connection) -> dict[tuple[int, int], int]:
    """Return the player count of every board, counted from the aggregate rows."""
    rows = conn.execute(
        f"SELECT guild_id, scope_id, COUNT(*) FROM ({EVERY_BOARD_SCORES}) GROUP BY 1, 2"
    )
    return {(r[0], r[1]): r[2] for r in rows}


_SNAPSHOT_TABLES = {
    "answers": "answer_id, game_id, question_index, guild_id, user_id, question_id, fact_id, "
    "topic, bank, answer, correct, points, elapsed_ms, streak, answered_at",
    "scores": "guild_id, scope_id, user_id, points, answers, correct, games, best_streak",
    "score_scopes": "scope_id, period, topic, bank",
    "score_counts": "guild_id, scope_id, players",
}


async def snapshot(url: str) -> sqlite3.Connection:
    """Return an in-memory SQLite copy of a database's answers and aggregates, all counted.

    For a SQLite file: a backup with pending answers folded (as the store's reads would see it).
    For PostgreSQL: the same tables copied row by row, so the checks above serve both backends.
    """
    copy = sqlite3.connect(":memory:")
    if not url.startswith("postgresql://"):
        source = sqlite3.connect(url)
        try:
            source.backup(copy)
        finally:
            source.close()
        fold_answers_blocking(copy)
        return copy
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for table, columns in _SNAPSHOT_TABLES.items():
            copy.execute(f"CREATE TABLE {table} ({columns})")
            rows = await conn.fetch(f"SELECT {columns} FROM {table}")
            marks = ", ".join("?" * len(columns.split(",")))
            copy.executemany(f"INSERT INTO {table} VALUES ({marks})", [tuple(r) for r in rows])
        # PostgreSQL stores every board: none stands in for another.
        copy.execute("CREATE TABLE board_banks (guild_id, topic, bank)")
    finally:
        await conn.close()
    return copy


async def assert_counted(url: str) -> None:
    """Check that every aggregate row and board size matches the stored answers exactly."""
    conn = await snapshot(url)
    try:
        assert stored_scores(conn) == expected_scores(conn)
        assert board_sizes(conn) == counted_sizes(conn)
    finally:
        conn.close()
