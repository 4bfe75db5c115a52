"""Aggregates folded after the answers: reads see every answer, totals stay exact."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.storekit import (
    AnswerFactory,
    FakeClock,
    board_sizes,
    counted_sizes,
    expected_scores,
    fold_mark,
    new_game,
    stored_scores,
)

from bot.store import AnswerRecord, Store, to_ms, week_key
from bot.store.fold import WEEK_INDEX, WEEK_KEY, fold_answers
from bot.store.fold_sql import EVERY_STEP, SETUP


@pytest.fixture
async def lazy(db_path: Path, clock: FakeClock) -> Store:
    """A store that folds only when a read needs it (not with the answers, no idle folds)."""
    s = await Store.open(db_path, clock=clock, fold_delay=None, fold_inline=False)
    try:
        yield s  # type: ignore[misc]
    finally:
        await s.close()


def _newest(raw: sqlite3.Connection) -> int:
    return int(raw.execute("SELECT COALESCE(MAX(answer_id), 0) FROM answers").fetchone()[0])


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)))
@settings(max_examples=400, deadline=None)
def test_the_sql_week_matches_the_iso_week(when: datetime) -> None:
    when = when.replace(tzinfo=UTC)
    conn = sqlite3.connect(":memory:")
    try:
        sql = f"SELECT {WEEK_KEY} FROM (SELECT {WEEK_INDEX} AS wk FROM (SELECT ? AS answered_at))"
        assert conn.execute(sql, (to_ms(when),)).fetchone()[0] == week_key(when)
    finally:
        conn.close()


async def test_answers_are_counted_in_the_transaction_that_stores_them(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    store = await Store.open(db_path, clock=clock, fold_delay=None)
    try:
        game = await new_game(store)
        await store.answers.record_many([answer(game, 0, u, points=5 * u) for u in (1, 2, 3)])
        # No read and no idle time: the commit itself left the aggregates complete.
        assert fold_mark(raw) == _newest(raw) == 3
        assert stored_scores(raw) == expected_scores(raw)
        assert store.db.writer.upkeep_runs == 0
    finally:
        await store.close()


async def test_reads_right_after_answers_see_every_answer(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(lazy)
    assert await lazy.answers.record_many([answer(game, 0, u, points=10 * u) for u in (1, 2, 3)])
    assert fold_mark(raw) < _newest(raw)  # nothing folded the answers yet

    board = await lazy.boards.leaderboard(1)
    assert [(r.user_id, r.points, r.games) for r in board.rows] == [(3, 30, 1), (2, 20, 1),
                                                                      (1, 10, 1)]  # fmt: skip
    assert fold_mark(raw) == _newest(raw)

    await lazy.answers.record(answer(game, 1, 1, points=500, streak=7, topic="economy"))
    stats = await lazy.boards.player_stats(1, 1)
    assert stats is not None
    assert (stats.points, stats.answers, stats.games, stats.best_streak) == (510, 2, 1, 7)
    assert stats.by_topic["economy"].points == 500

    await lazy.answers.record(answer(game, 2, 2, points=1000))
    week = await lazy.boards.leaderboard(1, period="week", caller_id=1)
    assert [(r.user_id, r.points) for r in week.rows] == [(2, 1020), (1, 510), (3, 30)]
    assert stored_scores(raw) == expected_scores(raw)


async def test_seen_questions_counts_games_joined_but_not_yet_folded(
    lazy: Store, answer: AnswerFactory
) -> None:
    game = await new_game(lazy, started_by=99)
    await lazy.games.ask(game, 0, "q0", "f0", "politics")
    await lazy.games.ask(game, 1, "q1", "f1", "politics")
    await lazy.answers.record(answer(game, 0, 6, question_id="q0"))
    assert await lazy.answers.seen([6], "news") == {"q0", "q1"}


async def test_totals_stay_exact_over_many_batches_with_duplicates_and_folds(
    lazy: Store, clock: FakeClock, raw: sqlite3.Connection
) -> None:
    rng = random.Random(8)
    games = {g: await new_game(lazy, guild_id=g % 2 + 1, bank=("news", "sport")[g % 2])
             for g in range(4)}  # fmt: skip
    sent: list[AnswerRecord] = []
    results: list[bool] = []
    for step in range(30):
        g = rng.randrange(4)
        index = rng.randrange(6)  # questions repeat: some answers are duplicates
        when = clock.now + timedelta(days=rng.choice([-8, -1, 0, 0, 0]), hours=rng.randrange(24))
        batch = []
        for user in rng.choices(range(1, 30), k=rng.randrange(1, 25)):
            batch.append(
                AnswerRecord(
                    games[g], index, g % 2 + 1, user, f"u{user}", f"q{index}", f"f{index}",
                    rng.choice(["politics", "economy", ""]), ("news", "sport")[g % 2], "x",
                    rng.random() < 0.6, rng.choice([0, 50, 100]), 800, rng.randrange(9), when,
                )
            )  # fmt: skip
        if step % 3 == 0:
            out = await asyncio.gather(*(lazy.answers.record(r) for r in batch))
        else:
            out = await lazy.answers.record_many(batch)
        sent.extend(batch)
        results.extend(out)
        if rng.random() < 0.3:
            await lazy.fold()  # a fold may see only part of a game's answers
        if rng.random() < 0.2:
            await lazy.boards.leaderboard(1)

    kept: dict[tuple[int, int, int], AnswerRecord] = {}
    for record, ok in zip(sent, results, strict=True):
        key = (record.game_id, record.question_index, record.user_id)
        assert ok == (key not in kept)  # exactly the first answer to a question is stored
        kept.setdefault(key, record)

    board = await lazy.boards.leaderboard(1, limit=100)
    other = await lazy.boards.leaderboard(2, limit=100)
    assert sum(r.points for r in board.rows + other.rows) == sum(r.points for r in kept.values())
    assert sum(r.answers for r in board.rows + other.rows) == len(kept)
    assert stored_scores(raw) == expected_scores(raw)
    assert board_sizes(raw) == counted_sizes(raw)


async def test_a_game_folded_question_by_question_counts_once(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(lazy)
    for index, topic in enumerate(["politics", "economy", "politics", ""]):
        await lazy.answers.record(answer(game, index, 5, topic=topic, streak=index + 1))
        await lazy.fold()
    board = await lazy.boards.leaderboard(1)
    assert (board.rows[0].games, board.rows[0].answers, board.rows[0].best_streak) == (1, 4, 4)
    economy = await lazy.boards.leaderboard(1, topic="economy")
    assert (economy.rows[0].games, economy.rows[0].answers) == (1, 1)
    assert stored_scores(raw) == expected_scores(raw)


async def test_a_fold_of_one_round_and_of_many_at_once_count_the_same(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    # One round folds with one row per player (no sums), rounds folded together with several
    # rows per player (summed): both give the totals the answers say, games counted once.
    topics = ["politics", "economy", "", "politics"]
    game = await new_game(lazy)
    for index, topic in enumerate(topics[:2]):
        await lazy.answers.record_many(
            [answer(game, index, u, topic=topic, points=10 * u + index) for u in (1, 2, 3)]
        )
        await lazy.fold()  # one row per player
        assert stored_scores(raw) == expected_scores(raw)
    for index, topic in enumerate(topics[2:], start=2):
        await lazy.answers.record_many(
            [answer(game, index, u, topic=topic, points=u, streak=index) for u in (1, 2, 4)]
        )
    await lazy.fold()  # players 1 and 2 have a row per topic: summed
    assert stored_scores(raw) == expected_scores(raw)
    board = {r.user_id: r for r in (await lazy.boards.leaderboard(1, limit=10)).rows}
    assert {u: (r.answers, r.games) for u, r in board.items()} == {
        1: (4, 1),
        2: (4, 1),
        3: (2, 1),
        4: (2, 1),
    }


# A plan step reading a whole stored table, under its own name or an alias the fold gives it.
# (`one`, the scopes of a bank's board, is read whole only when a board of every bank is first
# stored: a rare step, and the table is small.)
_WHOLE_TABLE_SCANS = [
    ["SCAN", name]
    for table, aliases in (("scores", ("s",)), ("game_players", ("gp",)), ("answers", ()),
                           ("score_scopes", ("sc", "every")), ("board_banks", ("bb", "known")))
    for name in (table, f"main.{table}", *aliases)
]  # fmt: skip


@pytest.mark.parametrize("rows", [0, 158_000, 1_426_669])
async def test_no_fold_statement_scans_a_whole_table(db_path: Path, rows: int) -> None:
    # The planner knows nothing of the scratch tables, and a plan that is right for one
    # database's statistics can read every score of another's: a fold must go by key,
    # whatever sqlite_stat1 says (here statistics like those of a 100k- and a 1M-answer database).
    async with await Store.open(db_path, fold_delay=None):
        pass
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("ANALYZE")
        if rows:
            conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'scores'")
            conn.executemany(
                "INSERT INTO sqlite_stat1 VALUES ('scores', ?, ?)",
                [("scores_rank", f"{rows} {rows // 100} 15 1 1"),
                 ("scores", f"{rows} {rows // 100} 15 1")],
            )  # fmt: skip
            conn.commit()
        conn.close()
        conn = sqlite3.connect(db_path)  # statistics are read with the schema
        for sql in SETUP:
            conn.execute(sql)
        for sql in EVERY_STEP:
            found = conn.execute("EXPLAIN QUERY PLAN " + sql, {"mark": 0, "top": 0})
            plan = [row[3] for row in found]
            scans = [step for step in plan if step.split()[:2] in _WHOLE_TABLE_SCANS]
            assert not scans, (sql, plan)
    finally:
        conn.close()


async def test_work_alongside_a_fold_starts_just_before_its_totals(
    lazy: Store, answer: AnswerFactory, db_path: Path
) -> None:
    # A round's cards are scheduled in a thread beside the fold's longest statement, the totals'
    # upsert: the hook runs after every other step and before that one, once.
    game = await new_game(lazy)
    await lazy.answers.record_many([answer(game, 0, u, points=u) for u in (1, 2, 3)])
    events: list[str] = []
    conn = await aiosqlite.connect(db_path, isolation_level=None)
    try:
        upsert = "INSERT INTO main.scores"

        def trace(sql: str) -> None:
            totals = sql.lstrip().startswith(upsert) and "FROM temp.fold_rows" in sql
            events.append("totals" if totals else "step")

        await conn.set_trace_callback(trace)
        await conn.execute("BEGIN IMMEDIATE")
        counted = await fold_answers(conn, alongside=lambda: events.append("alongside"))
        assert counted == 3
        # (The trace names the upsert again for each run of its trigger: its first is the one.)
        totals = events.index("totals")
        assert events.count("alongside") == 1 and events[totals - 1] == "alongside"
        assert "step" in events[: totals - 1]
        events.clear()  # nothing left to fold: nothing to start beside it
        assert await fold_answers(conn, alongside=lambda: events.append("alongside")) == 0
        assert "alongside" not in events
        await conn.execute("ROLLBACK")
    finally:
        await conn.close()


async def test_reset_guild_with_pending_answers(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    g1 = await new_game(lazy, guild_id=1)
    g2 = await new_game(lazy, guild_id=2)
    await lazy.answers.record_many([answer(g1, 0, u, guild_id=1) for u in (5, 6)])
    await lazy.fold()
    await lazy.answers.record(answer(g2, 0, 5, guild_id=2, points=40))  # pending, other guild
    await lazy.answers.record_many([answer(g1, 1, u, guild_id=1) for u in (5, 6, 7)])  # newest ids
    before = _newest(raw)

    assert await lazy.boards.reset_guild(1) == 5
    # Guild 1's answers held the highest ids; the mark never stays above what is left.
    assert fold_mark(raw) <= _newest(raw) < before
    assert (await lazy.boards.leaderboard(1)).total_players == 0
    assert [(r.user_id, r.points) for r in (await lazy.boards.leaderboard(2)).rows] == [(5, 40)]

    # New answers may now reuse ids of deleted ones: they must still be counted.
    await lazy.answers.record_many([answer(g1, 2, u, guild_id=1, points=7) for u in (5, 8)])
    board = await lazy.boards.leaderboard(1)
    assert [(r.user_id, r.points, r.games) for r in board.rows] == [(5, 7, 1), (8, 7, 1)]
    assert stored_scores(raw) == expected_scores(raw)


async def test_deleting_the_newest_answers_outside_a_reset_keeps_the_mark_valid(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(lazy)
    await lazy.answers.record_many([answer(game, 0, u) for u in (1, 2, 3)])
    await lazy.fold()
    raw.execute("DELETE FROM answers WHERE user_id = 3")
    raw.execute("DELETE FROM scores WHERE user_id = 3")
    raw.commit()
    assert fold_mark(raw) == _newest(raw)
    await lazy.answers.record(answer(game, 0, 4, points=60))  # takes the deleted answer's id
    board = await lazy.boards.leaderboard(1)
    assert {r.user_id: r.points for r in board.rows} == {1: 100, 2: 100, 4: 60}


async def test_the_writer_folds_when_idle(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    store = await Store.open(db_path, clock=clock, fold_delay=0)
    try:
        game = await new_game(store)
        await store.answers.record_many([answer(game, 0, u) for u in range(1, 50)])
        # The fold happens in the background; wait for it without any read of the store.
        for _ in range(500):
            if fold_mark(raw) == _newest(raw):
                break
            await asyncio.sleep(0.01)
        assert fold_mark(raw) == _newest(raw)
        assert stored_scores(raw) == expected_scores(raw)
    finally:
        await store.close()


async def test_a_backlog_is_folded_before_the_next_write(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    store = await Store.open(
        db_path, clock=clock, fold_delay=None, fold_backlog=50, fold_inline=False
    )
    try:
        game = await new_game(store)
        await store.answers.record_many([answer(game, 0, u) for u in range(1, 31)])
        await store.meta.set("k", "v")
        assert fold_mark(raw) < _newest(raw)  # 30 answers waiting: below the backlog limit
        await store.answers.record_many([answer(game, 1, u) for u in range(1, 31)])
        await store.meta.set("k", "w")  # queued after the batch, so after its fold
        assert fold_mark(raw) == _newest(raw)
        assert stored_scores(raw) == expected_scores(raw)
    finally:
        await store.close()
    with pytest.raises(ValueError, match="fold_backlog"):
        await Store.open(db_path, fold_backlog=0)


async def test_close_folds_what_is_pending(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    store = await Store.open(db_path, clock=clock, fold_delay=None, fold_inline=False)
    game = await new_game(store)
    await store.answers.record_many([answer(game, 0, u) for u in range(1, 11)])
    assert fold_mark(raw) < _newest(raw)
    await store.close()
    assert fold_mark(raw) == _newest(raw)
    assert stored_scores(raw) == expected_scores(raw)


async def test_a_bad_answer_in_a_round_fails_alone(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(lazy)
    good = [answer(game, 0, u, points=u) for u in range(1, 21)]
    bad = [*good[:10], answer(game + 99, 0, 77), answer(game, 0, 3), *good[10:]]
    other = [answer(game, 1, u) for u in (1, 2)]
    outcome = await asyncio.gather(
        lazy.answers.record_many(bad), lazy.answers.record_many(other), return_exceptions=True
    )
    assert isinstance(outcome[0], sqlite3.IntegrityError)  # no such game
    assert outcome[1] == [True, True]
    # The round's other answers were stored, each on its own; the double answer was refused.
    assert raw.execute("SELECT COUNT(*), SUM(points) FROM answers").fetchone() == (22, 410)
    board = await lazy.boards.leaderboard(1, limit=100)
    assert board.total_players == 20
    assert stored_scores(raw) == expected_scores(raw)


async def test_one_fold_serves_concurrent_reads(
    lazy: Store, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    game = await new_game(lazy)
    await lazy.answers.record_many([answer(game, 0, u) for u in range(1, 101)])
    before = lazy.db.writer.upkeep_runs, lazy.db.writer.committed
    boards = await asyncio.gather(*(lazy.boards.leaderboard(1) for _ in range(10)))
    assert {b.total_players for b in boards} == {100}
    # The reads found answers pending and shared a fold rather than queueing one each (a read
    # that checked just before that fold committed may queue one more).
    assert 1 <= lazy.db.writer.committed - before[1] <= 2
    assert lazy.db.writer.upkeep_runs == before[0]
    assert fold_mark(raw) == _newest(raw)
