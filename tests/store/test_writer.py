"""Group commit: one transaction per batch, savepoints per write, a drained queue on close."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite
import pytest
from support.storekit import AnswerFactory, FakeClock, answer_totals, new_game, scope_totals

from bot.store import Store, StoreClosedError
from bot.store.db import connect
from bot.store.writer import Upkeep, Writer


async def test_concurrent_writes_share_one_transaction_and_a_failure_stays_alone(
    store: Store, raw: sqlite3.Connection
) -> None:
    game = await new_game(store)
    await store.games.ask(game, 0, "q0", "f0", "politics")
    batches = store.db.writer.batches

    results = await asyncio.gather(
        store.players.upsert(1, "Ana"),
        store.games.ask(game, 0, "dup", "dup", "politics"),  # index already used
        store.games.ask(game, 1, "q1", "f1", "politics"),
        store.meta.set("k", "v"),
        return_exceptions=True,
    )

    assert isinstance(results[1], sqlite3.IntegrityError)
    assert [r for i, r in enumerate(results) if i != 1] == [None, None, None]
    assert store.db.writer.batches == batches + 1
    assert raw.execute("SELECT name FROM players").fetchall() == [("Ana",)]
    asked = raw.execute("SELECT question_index, question_id FROM questions_asked").fetchall()
    assert sorted(asked) == [(0, "q0"), (1, "q1")]
    assert await store.meta.get("k") == "v"


async def test_a_bad_answer_in_a_batch_fails_alone(
    store: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(store)
    calls = [answer(game, 0, user, points=user) for user in range(1, 41)]
    calls.insert(17, answer(game + 999, 0, 77))  # no such game: the foreign key refuses it
    calls.insert(30, answer(game, 0, 5))  # a double click in the same batch

    results = await asyncio.gather(
        *(store.answers.record(c) for c in calls), return_exceptions=True
    )

    assert isinstance(results[17], sqlite3.IntegrityError)
    assert results[30] is False
    assert [r for i, r in enumerate(results) if i not in (17, 30)] == [True] * 40
    assert raw.execute("SELECT COUNT(*), SUM(points) FROM answers").fetchone() == (40, 820)
    assert scope_totals(raw, 1) == answer_totals(raw, 1)
    assert (await store.boards.leaderboard(1)).total_players == 40


async def test_an_acknowledged_write_is_visible_to_other_connections(
    store: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(store)
    for user in range(1, 6):
        assert await store.answers.record(answer(game, 0, user))
        count = raw.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        assert count == user


async def test_close_commits_everything_queued(
    db_path: Path, clock: FakeClock, answer: AnswerFactory
) -> None:
    store = await Store.open(db_path, clock=clock)
    game = await new_game(store)
    pending = [asyncio.ensure_future(store.answers.record(answer(game, 0, u))) for u in range(300)]
    await asyncio.sleep(0)  # let every call reach the queue
    await store.close()
    assert all(p.done() and p.result() is True for p in pending)
    with pytest.raises(StoreClosedError):
        await store.meta.set("late", "x")

    store = await Store.open(db_path, clock=clock)
    try:
        assert len(await store.answers.for_game(game)) == 300
    finally:
        await store.close()


async def test_reads_run_beside_writes(store: Store, answer: AnswerFactory) -> None:
    game = await new_game(store)
    writes = [store.answers.record(answer(game, 0, u)) for u in range(200)]
    reads = [store.boards.leaderboard(1) for _ in range(20)]
    results = await asyncio.gather(*writes, *reads)
    assert sum(1 for r in results[:200] if r is True) == 200
    totals = [board.total_players for board in results[200:]]
    assert all(0 <= t <= 200 for t in totals)
    assert (await store.boards.leaderboard(1)).total_players == 200


async def test_an_in_memory_database_is_refused() -> None:
    # Readers and the writer are separate connections: they must share a file.
    with pytest.raises(ValueError, match="file"):
        await Store.open(":memory:")


async def test_open_creates_missing_directories(tmp_path: Path, clock: FakeClock) -> None:
    store = await Store.open(tmp_path / "data" / "nested" / "quiz.db", clock=clock)
    try:
        await store.meta.set("k", "v")
        assert await store.meta.get("k") == "v"
    finally:
        await store.close()


async def test_a_failing_upkeep_is_undone_and_retried_after_the_next_write(
    db_path: Path,
) -> None:
    db = await connect(db_path)
    await db.execute("CREATE TABLE t (key TEXT PRIMARY KEY)")
    ran: list[bool] = []
    done = asyncio.Event()

    async def upkeep(conn: aiosqlite.Connection) -> None:
        await conn.execute("INSERT INTO t VALUES ('upkeep')")
        ran.append(len(ran) > 0)
        done.set()
        if not ran[-1]:
            raise RuntimeError("the first upkeep fails after writing")

    def put(key: str) -> Callable[[aiosqlite.Connection], Awaitable[None]]:
        async def op(conn: aiosqlite.Connection) -> None:
            await conn.execute("INSERT INTO t VALUES (?)", (key,))

        return op

    writer = Writer(db, upkeep=Upkeep(upkeep, lambda: True not in ran, lambda: False, 0))
    writer.start()
    try:
        await writer.submit(put("a"))
        await asyncio.wait_for(done.wait(), 10)  # the writer went idle and ran its upkeep
        assert ran == [False]
        committed = sqlite3.connect(db_path)  # sees committed rows only, whatever the timing
        assert committed.execute("SELECT key FROM t").fetchall() == [("a",)]
        committed.close()
        done.clear()
        await writer.submit(put("b"))  # writes go on; the upkeep is tried again after one
        await asyncio.wait_for(done.wait(), 10)
        assert ran == [False, True]
    finally:
        await writer.close()
    rows = await db.execute_fetchall("SELECT key FROM t ORDER BY key")
    await db.close()
    assert [r[0] for r in rows] == ["a", "b", "upkeep"]
    assert writer.batches == 2 and writer.upkeep_runs == 2


async def test_a_closed_store_refuses_reads_and_a_second_close_returns(
    db_path: Path, clock: FakeClock
) -> None:
    store = await Store.open(db_path, clock=clock)
    await store.close()
    # Every read connection is closed: a read or a second close must not wait for one.
    await asyncio.wait_for(store.close(), 5)
    with pytest.raises(StoreClosedError):
        await asyncio.wait_for(store.meta.get("k"), 5)
    with pytest.raises(StoreClosedError):
        await asyncio.wait_for(store.boards.leaderboard(1), 5)


async def test_close_frees_the_read_connections_when_the_write_side_fails(
    db_path: Path, clock: FakeClock
) -> None:
    store = await Store.open(db_path, clock=clock)
    await store.db.writer.db.close()  # the write connection is already gone
    with pytest.raises(ValueError, match="no active connection"):
        await store.close()
    # A connection's thread keeps the process from exiting until the connection is closed.
    for reader in store.db._readers:
        reader._thread.join(timeout=5)
        assert not reader._thread.is_alive()


async def test_the_name_cache_is_bounded_and_names_stay_right(
    store: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    store.db.answers.names_limit = 50
    game = await new_game(store)
    await store.answers.record_many([answer(game, 0, u, user_name=f"p{u}") for u in range(1, 301)])
    assert store.db.answers.names_remembered == 50
    # A player the cache forgot, and one it remembers, both renamed: both names stored.
    await store.answers.record_many(
        [answer(game, 1, 1, user_name="first"), answer(game, 1, 300, user_name="last")]
    )
    names = dict(raw.execute("SELECT user_id, name FROM players WHERE user_id IN (1, 300)"))
    assert names == {1: "first", 300: "last"}
    assert store.db.answers.names_remembered == 50
