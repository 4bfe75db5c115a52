"""Numbered migrations: every path reaches the same schema; a failing one changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support.storekit import START, FakeClock, expected_scores, stored_scores

from bot.store import AnswerRecord, MigrationError, Store, migrate, to_ms, week_key
from bot.store.db import MIGRATIONS_DIR, load_migrations, split_statements

LATEST = len(load_migrations())


def _schema(path: Path) -> tuple[int, list[tuple[str, str, str, str | None]]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        return version, rows
    finally:
        conn.close()


def _fill(path: Path, version: int) -> None:
    """Insert a few rows into the tables that exist at `version`."""
    conn = sqlite3.connect(path)
    try:
        if version >= 1:
            conn.execute("INSERT INTO players VALUES (5, 'Ana', 0)")
            conn.execute(
                """INSERT INTO games (game_id, guild_id, channel_id, bank, mode, topic,
                   started_by, question_count, status, started_at)
                   VALUES (1, 9, 2, 'news', 'buttons', NULL, 5, 3, 'finished', 0)"""
            )
            conn.execute(
                """INSERT INTO answers (game_id, question_index, guild_id, user_id, question_id,
                   fact_id, topic, bank, answer, correct, points, elapsed_ms, streak, answered_at)
                   VALUES (1, 0, 9, 5, 'q0', 'f0', 'politics', 'news', 'A', 1, 100, 900, 1, 0)"""
            )
        if version >= 2:
            conn.execute(
                """INSERT INTO cards VALUES (5, 'news', 'f0', '{}', 0, 1, 1, 0, 0, NULL)"""
            )
        conn.commit()
    finally:
        conn.close()


def test_there_are_several_numbered_migrations() -> None:
    assert LATEST >= 3
    assert [m.version for m in load_migrations()] == list(range(1, LATEST + 1))


async def test_every_earlier_version_migrates_to_the_same_schema(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    assert await migrate(fresh) == LATEST
    expected = _schema(fresh)
    assert expected[0] == LATEST
    for version in range(LATEST):
        path = tmp_path / f"from{version}.db"
        assert await migrate(path, target=version) == version
        assert _schema(path)[0] == version
        _fill(path, version)
        assert await migrate(path) == LATEST
        assert _schema(path) == expected
        if version >= 1:
            conn = sqlite3.connect(path)
            assert conn.execute("SELECT name FROM players").fetchall() == [("Ana",)]
            conn.close()


async def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    await migrate(path)
    before = _schema(path)
    assert await migrate(path) == LATEST
    assert _schema(path) == before


async def test_a_failing_migration_rolls_back_entirely(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    path = tmp_path / "q.db"
    await migrate(path, directory=migrations)
    before = _schema(path)
    broken = migrations / f"{LATEST + 1:04d}_broken.sql"
    broken.write_text(
        "CREATE TABLE extra (x INTEGER);\n"
        "ALTER TABLE players ADD COLUMN nickname TEXT;\n"
        "INSERT INTO no_such_table VALUES (1);\n"
    )
    with pytest.raises(MigrationError, match="broken"):
        await migrate(path, directory=migrations)
    assert _schema(path) == before

    broken.write_text("CREATE TABLE extra (x INTEGER);\n")
    assert await migrate(path, directory=migrations) == LATEST + 1
    assert "extra" in {row[1] for row in _schema(path)[1]}


def test_numbering_gaps_and_bad_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a (x);")
    (tmp_path / "0003_c.sql").write_text("CREATE TABLE c (x);")
    with pytest.raises(MigrationError, match="0002"):
        load_migrations(tmp_path)
    (tmp_path / "0003_c.sql").unlink()
    (tmp_path / "two.sql").write_text("CREATE TABLE b (x);")
    with pytest.raises(MigrationError, match="NNNN"):
        load_migrations(tmp_path)


async def test_a_database_from_newer_code_is_refused(db_path: Path) -> None:
    await migrate(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(MigrationError, match="newer"):
        await Store.open(db_path)


async def test_target_outside_the_known_versions_is_refused(db_path: Path) -> None:
    with pytest.raises(MigrationError):
        await migrate(db_path, target=LATEST + 1)


def test_statements_split_keeps_trigger_bodies_whole() -> None:
    script = (
        "-- a comment\nCREATE TABLE t (x);\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = 1;\n  SELECT 1;\nEND;\n"
        "-- trailing comment\n"
    )
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(MigrationError, match="incomplete"):
        split_statements("CREATE TABLE t (x")


async def test_store_opens_a_database_left_at_an_earlier_version(db_path: Path) -> None:
    await migrate(db_path, target=1)
    _fill(db_path, 1)
    store = await Store.open(db_path)
    try:
        assert (await store.games.get(1)) is not None
        assert await store.guilds.settings(9) is not None
    finally:
        await store.close()
    assert _schema(db_path)[0] == LATEST


async def test_scores_kept_eagerly_before_the_fold_are_not_counted_again(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    await migrate(path, target=3)
    conn = sqlite3.connect(path)
    try:
        # One answer and the aggregates a version-3 store kept in that answer's transaction.
        conn.execute(
            """INSERT INTO games (game_id, guild_id, channel_id, bank, mode, topic, started_by,
               question_count, status, started_at)
               VALUES (1, 9, 2, 'news', 'buttons', NULL, 5, 3, 'running', ?)""",
            (to_ms(START),),
        )
        conn.execute(
            """INSERT INTO answers (game_id, question_index, guild_id, user_id, question_id,
               fact_id, topic, bank, answer, correct, points, elapsed_ms, streak, answered_at)
               VALUES (1, 0, 9, 5, 'q0', 'f0', 'politics', 'news', 'A', 1, 100, 900, 1, ?)""",
            (to_ms(START),),
        )
        for period in ("all", week_key(START)):
            for topic in ("", "politics"):
                conn.execute("INSERT INTO game_players VALUES (5, 1, ?, ?)", (period, topic))
                for bank in ("", "news"):
                    scope = conn.execute(
                        "INSERT INTO score_scopes (period, topic, bank) VALUES (?, ?, ?)",
                        (period, topic, bank),
                    ).lastrowid
                    conn.execute("INSERT INTO scores VALUES (9, ?, 5, 100, 1, 1, 1, 1)", (scope,))
        conn.commit()
    finally:
        conn.close()

    store = await Store.open(path, clock=FakeClock(), abort_running=False)
    try:
        later = await store.games.start(9, 2, "news", "buttons", None, 5, 3)
        for game, index, topic, points, streak in (
            (1, 1, "economy", 50, 2),
            (later, 0, "x", 25, 0),
        ):
            assert await store.answers.record(
                AnswerRecord(game, index, 9, 5, "Ana", f"q{index}", f"f{index}", topic, "news",
                             "A", points > 0, points, 900, streak, START)
            )  # fmt: skip
        stats = await store.boards.player_stats(9, 5)
    finally:
        await store.close()
    assert stats is not None
    assert (stats.points, stats.answers, stats.games, stats.best_streak) == (175, 3, 2, 2)
    conn = sqlite3.connect(path)
    try:
        assert stored_scores(conn) == expected_scores(conn)
        # One bank: its boards stand for the boards of every bank, which are no longer kept.
        every_bank = conn.execute(
            """SELECT COUNT(*) FROM scores AS s JOIN score_scopes AS sc USING (scope_id)
               WHERE sc.bank = ''"""
        ).fetchone()
        assert every_bank == (0,)
    finally:
        conn.close()
