"""PostgreSQL's own parts: statements rewritten from the shared SQL, migrations under a lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from support.storekit import FakeClock, new_game

from bot.store import MigrationError, Store
from bot.store.conn import arguments, translate
from bot.store.pg import load_pg_migrations


def test_placeholders_become_numbered_parameters() -> None:
    assert translate("SELECT ? + ?, ?") == ("SELECT $1 + $2, $3", None)
    # ?N keeps its number and a plain ? takes the next one, as in SQLite.
    assert translate("VALUES (?, ?, CASE WHEN ?2 > 1 THEN ? END)")[0] == (
        "VALUES ($1, $2, CASE WHEN $2 > 1 THEN $3 END)"
    )
    text, names = translate("WHERE a = :guild AND b = :user AND c = :guild")
    assert (text, names) == ("WHERE a = $1 AND b = $2 AND c = $1", ("guild", "user"))
    assert arguments(names, {"user": 5, "guild": 7, "unused": 0}) == (7, 5)


def test_quoted_text_casts_and_comments_are_left_alone() -> None:
    sql = "SELECT 'a?b :c', \"x:y\", v::text -- what? :no\nFROM t WHERE s = ?"
    assert translate(sql)[0] == (
        "SELECT 'a?b :c', \"x:y\", v::text -- what? :no\nFROM t WHERE s = $1"
    )
    assert translate("SELECT 'it''s ?' || ?")[0] == "SELECT 'it''s ?' || $1"


def test_lists_and_sqlite_words_are_rewritten() -> None:
    text, _ = translate("WHERE u IN (SELECT CAST(value AS BIGINT) FROM json_each(?))")
    assert "json_array_elements_text($1)" in text
    assert translate("SELECT CAST(x AS REAL)")[0] == "SELECT CAST(x AS DOUBLE PRECISION)"
    assert translate("BEGIN IMMEDIATE")[0] == "BEGIN"
    with pytest.raises(ValueError, match="mixes"):
        translate("SELECT ?, :name")
    with pytest.raises(TypeError):
        arguments(None, {"a": 1})


async def test_processes_starting_together_migrate_once(pg_dsn: str, clock: FakeClock) -> None:
    stores = await asyncio.gather(*(Store.open(pg_dsn, clock=clock) for _ in range(4)))
    try:
        conn = await asyncpg.connect(pg_dsn)
        try:
            version = await conn.fetchval("SELECT version FROM quizbot_schema")
            assert version == len(load_pg_migrations())
            assert await conn.fetchval("SELECT COUNT(*) FROM quizbot_schema") == 1
        finally:
            await conn.close()
        # Each sees the one schema: a game started in one is read by another.
        game_id = await new_game(stores[0])
        game = await stores[3].games.get(game_id)
        assert game is not None and game.status == "running"
    finally:
        for store in stores:
            await store.close()


async def test_a_newer_schema_is_refused_and_left_alone(pg_dsn: str, clock: FakeClock) -> None:
    store = await Store.open(pg_dsn, clock=clock)
    await store.close()
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute("UPDATE quizbot_schema SET version = version + 1")
        with pytest.raises(MigrationError, match="newer than this quizbot"):
            await Store.open(pg_dsn, clock=clock)
        with pytest.raises(MigrationError, match="newer than this quizbot"):
            await Store.open(pg_dsn, clock=clock, read_only=True)
        assert await conn.fetchval("SELECT version FROM quizbot_schema") == (
            len(load_pg_migrations()) + 1
        )
    finally:
        await conn.close()


async def test_an_unreachable_server_is_one_clear_error(clock: FakeClock) -> None:
    with pytest.raises(MigrationError, match="cannot connect to PostgreSQL"):
        await Store.open("postgresql://nobody@127.0.0.1:1/none", clock=clock)


async def test_read_only_refuses_an_empty_database(pg_dsn: str, clock: FakeClock) -> None:
    with pytest.raises(MigrationError, match="older than this quizbot"):
        await Store.open(pg_dsn, clock=clock, read_only=True)


async def test_a_sqlite_url_names_a_file(tmp_path: Path, clock: FakeClock) -> None:
    store = await Store.open(f"sqlite:{tmp_path / 'named.db'}", clock=clock)
    try:
        await new_game(store)
    finally:
        await store.close()
    assert (tmp_path / "named.db").is_file()
