"""Fixtures for store tests: a settable clock, a store on a real file, an answer factory."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.storekit import AnswerFactory, FakeClock

from bot.store import AnswerRecord, Store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quiz.db"


@pytest.fixture
async def store(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    s = await Store.open(db_path, clock=clock)
    try:
        yield s
    finally:
        await s.close()


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
