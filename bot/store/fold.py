"""Fold stored answers into the score aggregates with set-based SQL, moving the mark with them.

Answers whose id is above `fold_state.last_answer_id` are not yet counted in `scores` or
`game_players`. A fold counts them all (or the first `limit` ids of them) and moves the mark in
the caller's transaction, so a crash leaves either both or neither. Each answer counts in every
combination of period ('all' or its ISO week in UTC), topic ('' or its topic) and bank ('' or
its bank); a game counts once per player, period and topic, however many folds see its answers,
because `game_players` remembers which were counted.

A board of every bank, (period, topic, ''), is stored only once two banks count in it (see
migration 0007 and `board_banks`); until then its one bank's board stands for it. The fold that
brings a second bank first copies the one bank's rows into the board of every bank.

The steps (`fold_steps`) are one sequence for both drivers, `fold_answers` (aiosqlite, in the
writer's transaction) and `fold_answers_blocking` (plain sqlite3): each statement's row count
or first row goes back into the sequence, which skips what a round does not need. Every
statement is a round trip to aiosqlite's thread (about 50 µs), so a round runs only those.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.store import fold_sql as q
from bot.store.fold_sql import PENDING, WEEK_INDEX, WEEK_KEY

__all__ = [
    "PENDING",
    "WEEK_INDEX",
    "WEEK_KEY",
    "fold_answers",
    "fold_answers_blocking",
    "fold_steps",
    "prepare_scratch",
]


@dataclass(frozen=True, slots=True)
class Run:
    """One statement; its row count, or with `fetch` its first row, is sent back."""

    sql: str
    params: dict[str, int] | None = None
    fetch: bool = False


#: Where work started beside the totals' upsert begins (`fold_answers(alongside=)`).
ALONGSIDE = object()

Step = Run | object

# Connections whose scratch tables were created outside any transaction, so no rollback can
# take them away: their folds skip the set-up.
_SCRATCH_READY: weakref.WeakSet[aiosqlite.Connection] = weakref.WeakSet()


async def prepare_scratch(db: aiosqlite.Connection) -> None:
    """Create the fold's scratch tables on a connection for good (outside a transaction)."""
    if db.in_transaction:
        raise RuntimeError("scratch tables made inside a transaction would go with a rollback")
    for sql in q.SETUP:
        await db.execute(sql)
    _SCRATCH_READY.add(db)


def _bounds(row: Any, limit: int | None) -> tuple[int, int]:
    """Return (mark, top): fold the ids in (mark, top]; top may lower a mark left too high."""
    if row is None:
        raise RuntimeError("fold_state is empty: the database was not migrated")
    mark, top = int(row[0]), int(row[1] or 0)
    mark = min(mark, top)
    if limit is not None:
        top = min(top, mark + limit)
    return mark, top


def fold_steps(limit: int | None, *, scratch_ready: bool) -> Generator[Step, Any, int]:
    """Yield the fold's statements in order; return how many answers were counted."""
    mark, top = _bounds((yield Run(q.RANGE, fetch=True)), limit)
    params = {"mark": mark, "top": top}
    counted = 0
    if top > mark:
        setup = () if scratch_ready else q.SETUP
        for sql in (*setup, *q.CLEAR):
            yield Run(sql)
        for sql in q.ROWS:
            yield Run(sql, params)
        if (yield Run(q.MERGING)):
            for sql in q.MERGE:
                yield Run(sql)
        for sql in q.SCOPES:
            yield Run(sql)
        shape = yield Run(q.SHAPE, fetch=True)
        one_each, counted = bool(shape[0]), int(shape[1])
        new_games = bool((yield Run(q.NEW_GAMES_ONE_ROW_EACH if one_each else q.NEW_GAMES)))
        if new_games:
            yield Run(q.PLAYED)
            if not one_each:
                yield Run(q.GAME_COUNTS)
        yield ALONGSIDE
        for sql in q.TOTALS_ONE_ROW_EACH[new_games] if one_each else q.TOTALS:
            yield Run(sql)
        if new_games and not one_each:
            yield Run(q.ADD_GAMES)
    yield Run(q.SET_MARK, params)
    return counted


async def fold_answers(
    db: aiosqlite.Connection,
    limit: int | None = None,
    *,
    alongside: Callable[[], object] | None = None,
) -> int:
    """Fold pending answers in the current transaction; return how many were counted.

    `alongside` is called just before the totals' upsert, the fold's longest statement (all of
    it inside SQLite, which holds no Python lock meanwhile): work started then in a thread
    runs beside it.
    """
    steps = fold_steps(limit, scratch_ready=db in _SCRATCH_READY)
    answer: Any = None
    while True:
        try:
            step = steps.send(answer)
        except StopIteration as done:
            return int(done.value)
        if not isinstance(step, Run):
            if alongside is not None:
                alongside()
            answer = None
        elif step.fetch:
            answer = next(iter(await db.execute_fetchall(step.sql, step.params or {})), None)
        else:
            answer = (await db.execute(step.sql, step.params or {})).rowcount


def fold_answers_blocking(conn: sqlite3.Connection, limit: int | None = None) -> int:
    """Fold pending answers through a plain sqlite3 connection, in a transaction of its own."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        steps = fold_steps(limit, scratch_ready=False)
        answer: Any = None
        while True:
            try:
                step = steps.send(answer)
            except StopIteration as done:
                counted = int(done.value)
                break
            if not isinstance(step, Run):
                answer = None
                continue
            cursor = conn.execute(step.sql, step.params or {})
            answer = cursor.fetchone() if step.fetch else cursor.rowcount
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return counted
