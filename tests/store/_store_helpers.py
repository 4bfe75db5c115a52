"""Helpers shared by the store tests: a settable clock, game start-up, aggregate totals."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.store import AnswerRecord, Store

AnswerFactory = Callable[..., AnswerRecord]

START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def new_game(store: Store, guild_id: int = 1, bank: str = "news", **over: Any) -> int:
    """Start a game with defaults; keyword arguments override them."""
    return await store.start_game(
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
    """Return total points per (period, topic, bank) scope of a guild, read from the aggregates."""
    rows = conn.execute(
        """SELECT sc.period, sc.topic, sc.bank, SUM(s.points)
           FROM scores s JOIN score_scopes sc ON sc.scope_id = s.scope_id
           WHERE s.guild_id = ? GROUP BY sc.scope_id""",
        (guild_id,),
    ).fetchall()
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def answer_totals(conn: sqlite3.Connection, guild_id: int) -> dict[tuple[str, str, str], int]:
    """Return the same totals computed straight from the answers table."""
    totals: dict[tuple[str, str, str], int] = {}
    rows = conn.execute(
        "SELECT topic, bank, points, answered_at FROM answers WHERE guild_id = ?", (guild_id,)
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
