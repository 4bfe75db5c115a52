"""Fixtures for store tests: a settable clock, a store on each backend, an answer factory.

A test that asks for `store` runs twice, on a SQLite file and on a fresh PostgreSQL database
(`backend` tells which), unless it also reads the SQLite file itself (`db_path`, `raw`): those
test SQLite's own machinery and run on SQLite only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from support.storekit import AnswerFactory, FakeClock, Query

from bot.store import AnswerRecord, Store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


SQLITE_ONLY = {"db_path", "raw"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test of the store on both backends unless it reads the SQLite file itself."""
    if "backend" not in metafunc.fixturenames:
        return
    both = not SQLITE_ONLY & set(metafunc.fixturenames)
    metafunc.parametrize("backend", ["sqlite", "postgres"] if both else ["sqlite"])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quiz.db"


@pytest.fixture
async def store(db_url: str, clock: FakeClock) -> AsyncIterator[Store]:
    s = await Store.open(db_url, clock=clock)
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
def query(db_url: str) -> Query:
    """Run one SQL query on the test's database through a connection of its own (either backend)."""

    async def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if db_url.startswith("postgresql://"):
            import asyncpg

            conn = await asyncpg.connect(db_url)
            try:
                numbered = iter(range(1, len(params) + 1))
                text = re.sub(r"\?", lambda _: f"${next(numbered)}", sql)
                return [tuple(row) for row in await conn.fetch(text, *params)]
            finally:
                await conn.close()
        with closing(sqlite3.connect(db_url)) as plain:
            return plain.execute(sql, params).fetchall()

    return run


@pytest.fixture
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the same file, for checks independent of the store."""
    conn = sqlite3.connect(db_path)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def answer(clock: FakeClock) -> AnswerFactory:
    """Build an AnswerRecord with sensible defaults; keyword arguments override them."""

    def make(game_id: int, question_index: int, user_id: int, **over: Any) -> AnswerRecord:
        fields: dict[str, Any] = {
            "game_id": game_id,
            "question_index": question_index,
            "guild_id": 1,
            "user_id": user_id,
            "user_name": f"player{user_id}",
            "question_id": f"q{question_index}",
            "fact_id": f"f{question_index}",
            "topic": "politics",
            "bank": "news",
            "answer": "Belgrade",
            "correct": True,
            "points": 100,
            "elapsed_ms": 1500,
            "streak": 1,
            "answered_at": clock.now,
        }
        fields.update(over)
        return AnswerRecord(**fields)

    return make
