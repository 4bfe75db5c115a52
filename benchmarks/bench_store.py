"""Store throughput and leaderboard latency, each beside a baseline measured in the same run.

1. The answer path: answers/s through `Store.record_answers`, one call per question as the bot
   makes it, 1,000 players x 8 questions, beside raw `sqlite3` `executemany` of the same rows
   into the same table in one transaction (the ceiling). Also `record_answer` called once per
   player (1,000 concurrent calls), one commit per answer, and the bare asyncio cost of a call.
2. The fold that counts answers in the leaderboards afterwards: answers/s folded after each
   question (what the idle writer does) and for 8 questions at once, and "record + fold" end
   to end, beside the same ceiling. Throughputs are medians of REPEATS runs on fresh files.
3. Leaderboard (top 10 + the caller's rank) on 1,000,000 answers, 100,000 players and 1,000
   guilds whose sizes follow Zipf's law, beside a naive `GROUP BY` over the answers table: once
   folded, and when the read must first fold one pending round of 1,000 answers.

Run: `python -m benchmarks.bench_store` (or `python -m benchmarks store` for the shared table).
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import itertools
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store import AnswerRecord, Leaderboard, Store, migrate, to_ms
from bot.store.answers import INSERT_ANSWER, prepare
from bot.store.fold import fold_answers_blocking

PLAYERS_PER_QUESTION = 1000
QUESTIONS = 8
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
BIG_ANSWERS = 1_000_000
BIG_PLAYERS = 100_000
BIG_GUILDS = 1000
WEEKS = 8
BANKS = {"news": ("politics", "economy", "visit"), "sport": ("football", "tennis", "chess")}
LEADERBOARD_CALLS = 400
NAIVE_CALLS = 12
REPEATS = 7
BACKLOG_READS = 30
BUILD_FOLD_CHUNK = 200_000


def _answer(index: int, player: int, rng: random.Random) -> AnswerRecord:
    ok = rng.random() < 0.6
    return AnswerRecord(
        0, index, 42, 10**17 + player, f"player {player}", f"q{index}", f"f{index}",
        ("politics", "economy")[index % 2], "news", "Belgrade", ok,
        rng.randrange(100, 1000) if ok else 0, rng.randrange(300, 20_000), index, NOW,
    )  # fmt: skip


def _answers_for(rng: random.Random) -> list[list[AnswerRecord]]:
    """Return QUESTIONS rounds of answers by the same 1,000 players."""
    return [
        [_answer(index, p, rng) for p in range(PLAYERS_PER_QUESTION)] for index in range(QUESTIONS)
    ]


async def _open_game(
    path: Path, rounds: list[list[AnswerRecord]], **options: Any
) -> tuple[Store, list[list[AnswerRecord]]]:
    """Open a store, start a game, and return the rounds' answers moved into that game."""
    store = await Store.open(path, clock=lambda: NOW, **options)
    game_id = await store.start_game(42, 1, "news", "buttons", None, 1, QUESTIONS)
    return store, [[dataclasses.replace(r, game_id=game_id) for r in rnd] for rnd in rounds]


async def _store_rate(
    path: Path, rounds: list[list[AnswerRecord]], max_batch: int = 1000, per_player: bool = False
) -> float:
    """Return answers/s through the store, one question at a time, in its default setup.

    The bot's call is `record_answers` once per question; `per_player` calls `record_answer`
    once per player instead, all players of a question at once.
    """
    store, rounds = await _open_game(path, rounds, max_batch=max_batch)
    try:
        start = time.perf_counter()
        for rnd in rounds:
            if per_player:
                results = await asyncio.gather(*(store.record_answer(r) for r in rnd))
            else:
                results = await store.record_answers(rnd)
            assert all(results)
        elapsed = time.perf_counter() - start
    finally:
        await store.close()
    return sum(len(r) for r in rounds) / elapsed


async def _fold_rates(
    path: Path, rounds: list[list[AnswerRecord]], each: bool
) -> tuple[float, float]:
    """Return (answers/s folded, answers/s recorded and folded) with folds only when asked.

    `each` folds after every question, as the idle writer does between rounds; otherwise all
    questions are recorded first and folded at once.
    """
    store, rounds = await _open_game(path, rounds, fold_delay=None, fold_backlog=10**9)
    try:
        recording = folding = 0.0
        folded = 0
        for i, rnd in enumerate(rounds):
            start = time.perf_counter()
            assert all(await store.record_answers(rnd))
            recording += time.perf_counter() - start
            if each or i == len(rounds) - 1:
                start = time.perf_counter()
                folded += await store.fold()
                folding += time.perf_counter() - start
        total = sum(len(r) for r in rounds)
        assert folded == total
        board = await store.leaderboard(42, limit=PLAYERS_PER_QUESTION)
        assert sum(r.answers for r in board.rows) == total
    finally:
        await store.close()
    return total / folding, total / (recording + folding)


def _medians(measures: dict[str, Callable[[Path], float]], tmp: Path) -> dict[str, float]:
    """Return each measure's median of REPEATS runs on fresh files, the measures interleaved.

    Interleaving keeps a machine that speeds up or slows down during the run from favouring
    whichever figure happened to be measured first.
    """
    runs: dict[str, list[float]] = {name: [] for name in measures}
    for i in range(REPEATS):
        for name, measure in measures.items():
            runs[name].append(measure(tmp / f"{name}-{i}.db"))
    return {name: statistics.median(values) for name, values in runs.items()}


def _raw_rows(rounds: list[list[AnswerRecord]], game_id: int) -> list[tuple]:
    """Return the exact column values the store writes for these answers."""
    return [prepare(dataclasses.replace(r, game_id=game_id))[0] for rnd in rounds for r in rnd]


def _raw_rate(path: Path, rounds: list[list[AnswerRecord]], per_answer: bool) -> float:
    """Return rows/s inserting the same bare rows with sqlite3: one transaction, or one each."""
    asyncio.run(migrate(path))  # the same table, indexes and pragmas as the store's
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    game_id = conn.execute(
        """INSERT INTO games (guild_id, channel_id, bank, mode, started_by, question_count,
                              started_at) VALUES (42, 1, 'news', 'buttons', 1, 8, 0)"""
    ).lastrowid
    rows = _raw_rows(rounds, game_id)
    start = time.perf_counter()
    if per_answer:
        for row in rows:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(INSERT_ANSWER, row)
            conn.execute("COMMIT")
    else:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_ANSWER, rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


async def _call_floor(n: int) -> float:
    """Return calls/s of the bare asyncio part of a write: gather, queue, future, resolve."""
    loop = asyncio.get_running_loop()
    pending: list[asyncio.Future[bool]] = []

    async def call() -> bool:
        fut = loop.create_future()
        pending.append(fut)
        return await fut

    async def resolve() -> None:
        await asyncio.sleep(0)
        for fut in pending:
            fut.set_result(True)
        pending.clear()

    start = time.perf_counter()
    for _ in range(QUESTIONS):
        await asyncio.gather(resolve(), *(call() for _ in range(n)))
    return QUESTIONS * n / (time.perf_counter() - start)


def bench_writes(tmp: Path) -> list[dict]:
    """Measure the answer path and the fold beside raw sqlite3 inserts of the same rows."""
    rounds = _answers_for(random.Random(1))
    total = sum(len(r) for r in rounds)
    folds: dict[str, tuple[float, float]] = {}

    def fold_rates(path: Path, each: bool) -> float:
        folds[path.name] = asyncio.run(_fold_rates(path, rounds, each))
        return folds[path.name][0]

    figures = _medians(
        {
            "raw": lambda p: _raw_rate(p, rounds, per_answer=False),
            "bulk": lambda p: asyncio.run(_store_rate(p, rounds)),
            "per-player": lambda p: asyncio.run(_store_rate(p, rounds, per_player=True)),
            "fold-each": lambda p: fold_rates(p, True),
            "fold-all": lambda p: fold_rates(p, False),
        },
        tmp,
    )
    ceiling, bulk, per_player = figures["raw"], figures["bulk"], figures["per-player"]
    fold_each, fold_all = figures["fold-each"], figures["fold-all"]
    end_to_end = statistics.median(v[1] for k, v in folds.items() if k.startswith("fold-each"))
    # One commit per answer is slow; two questions' worth is plenty to measure its rate.
    store_each = asyncio.run(
        _store_rate(tmp / "store-each.db", rounds[:2], max_batch=1, per_player=True)
    )
    one_each = _raw_rate(tmp / "raw-each.db", rounds, per_answer=True)
    floor = asyncio.run(_call_floor(PLAYERS_PER_QUESTION))
    raw = "raw sqlite3 executemany, one transaction (ceiling)"
    who = f"{PLAYERS_PER_QUESTION} players x {QUESTIONS} questions ({total} answers)"
    return [
        _row(f"answer path: record_answers, one call per question, {who}", bulk, "answers/s",
             raw, ceiling, bulk / ceiling, ">= 0.5x ceiling", bulk / ceiling >= 0.5),
        _row(f"record_answer, one call per player, {PLAYERS_PER_QUESTION} at once, {who}",
             per_player, "answers/s", raw, ceiling, per_player / ceiling, "(info)", True),
        _row("record_answer with group commit (as above)", per_player, "answers/s",
             "record_answer, one commit per answer", store_each, per_player / store_each,
             "> 1x", per_player > store_each),
        _row(f"fold after each question ({PLAYERS_PER_QUESTION} answers per fold)", fold_each,
             "answers/s", raw, ceiling, fold_each / ceiling, "(info)", True),
        _row(f"fold of {QUESTIONS} questions at once ({total} answers)", fold_all, "answers/s",
             raw, ceiling, fold_all / ceiling, "(info)", True),
        _row("record + fold after each question, end to end", end_to_end, "answers/s", raw,
             ceiling, end_to_end / ceiling, "(info)", True),
        _row("raw sqlite3, one commit per bare answer row", one_each, "rows/s", raw, ceiling,
             one_each / ceiling, "(info)", True),
        _row("asyncio gather + future per call, no database (floor)", floor, "calls/s", raw,
             ceiling, floor / ceiling, "(info)", True),
    ]  # fmt: skip


def build_big_db(path: Path, seed: int = 7) -> dict[str, object]:
    """Fill a migrated database with answers by bulk inserts, then fold them as the store does."""
    asyncio.run(migrate(path))
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway build; durability is not measured
    conn.execute("PRAGMA cache_size = -500000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO players VALUES (?, ?, 0)",
        ((10**17 + p, f"player {p}") for p in range(BIG_PLAYERS)),
    )
    cum = list(itertools.accumulate(1 / (g + 1) for g in range(BIG_GUILDS)))  # Zipf sizes
    members: list[list[int]] = [[] for _ in range(BIG_GUILDS)]
    for p in range(BIG_PLAYERS):
        for g in {*rng.choices(range(BIG_GUILDS), cum_weights=cum, k=1 + (rng.random() < 0.3))}:
            members[g].append(10**17 + p)
    start_ms = to_ms(NOW - timedelta(weeks=WEEKS - 1))
    span_ms = to_ms(NOW) - start_ms
    games: list[tuple] = []
    answers: list[tuple] = []
    banks = list(BANKS)
    while len(answers) < BIG_ANSWERS:
        g = bisect.bisect_left(cum, rng.random() * cum[-1])
        players = rng.sample(members[g], min(len(members[g]), rng.randint(2, 12)))
        game_id = len(games) + 1
        bank = rng.choice(banks)
        started = start_ms + rng.randrange(span_ms)
        games.append((game_id, g, 1, bank, "buttons", None, players[0], 10, "finished", started))
        streak = dict.fromkeys(players, 0)
        for index in range(10):
            topic = BANKS[bank][index % 3]
            for user in players:
                ok = rng.random() < 0.6
                streak[user] = streak[user] + 1 if ok else 0
                points = rng.randrange(100, 1000) if ok else 0
                answers.append(
                    (game_id, index, g, user, f"{bank}-q{rng.randrange(60)}", f"f{index}",
                     topic, bank, "x", int(ok), points, 900, streak[user],
                     started + index * 15_000)
                )  # fmt: skip
    conn.executemany(
        """INSERT INTO games (game_id, guild_id, channel_id, bank, mode, topic, started_by,
                              question_count, status, started_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        games,
    )
    conn.executemany(INSERT_ANSWER, answers)
    conn.execute("COMMIT")
    while fold_answers_blocking(conn, limit=BUILD_FOLD_CHUNK):
        pass
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"answers": len(answers), "games": len(games)}


def _naive(conn: sqlite3.Connection, guild_id: int, caller: int) -> tuple[list, int]:
    """Top 10 and the caller's rank from a GROUP BY over every answer of the guild."""
    rows = conn.execute(
        """SELECT user_id, SUM(points) AS pts, COUNT(*), SUM(correct),
                  COUNT(DISTINCT game_id), MAX(streak)
           FROM answers WHERE guild_id = ? GROUP BY user_id ORDER BY pts DESC, user_id""",
        (guild_id,),
    ).fetchall()
    points = [r[1] for r in rows]
    mine = next(r[1] for r in rows if r[0] == caller)
    return rows[:10], 1 + sum(1 for p in points if p > mine)


def _check(board: Leaderboard, path: Path, guild: int, caller: int) -> None:
    """Assert a leaderboard's top and the caller's rank equal the naive GROUP BY's."""
    conn = sqlite3.connect(path)
    top, rank = _naive(conn, guild, caller)
    conn.close()
    assert [(r.user_id, r.points) for r in board.rows] == [(r[0], r[1]) for r in top]
    assert (board.caller or next(r for r in board.rows if r.user_id == caller)).rank == rank


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def _board_times(path: Path, guild: int, callers: list[int]) -> list[float]:
    store = await Store.open(path, clock=lambda: NOW)
    try:
        for caller in callers[:20]:  # warm the page cache and statement caches
            await store.leaderboard(guild, caller_id=caller)
        times = []
        for caller in callers:
            start = time.perf_counter()
            await store.leaderboard(guild, caller_id=caller)
            times.append(time.perf_counter() - start)
        for caller in callers[:5]:  # the fast path must agree with the naive one
            _check(await store.leaderboard(guild, caller_id=caller), path, guild, caller)
    finally:
        await store.close()
    return times


def _naive_times(path: Path, guild: int, callers: list[int]) -> list[float]:
    conn = sqlite3.connect(path)
    _naive(conn, guild, callers[0])
    times = []
    for caller in callers[:NAIVE_CALLS]:
        start = time.perf_counter()
        _naive(conn, guild, caller)
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def _active(path: Path, guild: int) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT DISTINCT user_id FROM answers WHERE guild_id = ?"
        return [r[0] for r in conn.execute(sql, (guild,))]
    finally:
        conn.close()


def _latency_rows(name: str, ours: list[float], naive: list[float], target: bool) -> list:
    """Return p50 and p99 rows in ms beside the naive GROUP BY's (only p50 unless `target`)."""
    p50, p99 = statistics.median(ours) * 1e3, _p99(ours) * 1e3
    n50, n99 = statistics.median(naive) * 1e3, _p99(naive) * 1e3
    goal, ok = ("<= 2 ms and >= 100x faster", p50 <= 2.0 and n50 / p50 >= 100) if target else (
        "(info)", True)  # fmt: skip
    return [
        _row(f"{name}, p50", p50, "ms", "naive GROUP BY p50", n50, n50 / p50, goal, ok),
        _row(f"{name}, p99", p99, "ms", "naive GROUP BY p99", n99, n99 / p99, "(info)", True),
    ]


def _board_rows(path: Path, guild: int, label: str, rng: random.Random, target: bool) -> list:
    active = _active(path, guild)
    callers = [rng.choice(active) for _ in range(LEADERBOARD_CALLS)]
    ours = asyncio.run(_board_times(path, guild, callers))
    naive = _naive_times(path, guild, callers)
    rows = _latency_rows(f"leaderboard top 10 + caller rank, {label} ({len(active)} players), "
                         "folded", ours, naive, target)  # fmt: skip
    return rows if target else rows[:1]


async def _backlog_times(path: Path, guild: int, active: list[int], rng: random.Random) -> list:
    """Time leaderboard reads that each find one round of 1,000 answers still to fold."""
    store = await Store.open(path, clock=lambda: NOW, fold_delay=None, fold_backlog=10**9)
    try:
        await store.leaderboard(guild)
        times = []
        for i in range(BACKLOG_READS):
            game = await store.start_game(guild, 1, "news", "buttons", None, 1, 1)
            players = rng.sample(active, PLAYERS_PER_QUESTION)
            records = [
                dataclasses.replace(_answer(0, 0, rng), game_id=game, guild_id=guild, user_id=u,
                                    question_id=f"news-q{i % 60}", answered_at=NOW)
                for u in players
            ]  # fmt: skip
            assert all(await store.record_answers(records))
            start = time.perf_counter()
            board = await store.leaderboard(guild, caller_id=players[0])
            times.append(time.perf_counter() - start)
        _check(board, path, guild, players[0])  # every pending answer was counted
    finally:
        await store.close()
    return times


def _backlog_rows(path: Path, guild: int, label: str, rng: random.Random) -> list:
    active = _active(path, guild)
    naive = _naive_times(path, guild, [rng.choice(active) for _ in range(NAIVE_CALLS)])
    ours = asyncio.run(_backlog_times(path, guild, active, rng))
    name = (f"leaderboard top 10 + caller rank, {label}, after {PLAYERS_PER_QUESTION} new "
            f"answers (one round) the read must fold first")  # fmt: skip
    return _latency_rows(name, ours, naive, target=False)


def bench_leaderboard(tmp: Path) -> list[dict]:
    """Build the big database once and time leaderboards on the largest and a median guild."""
    path = tmp / "big.db"
    start = time.perf_counter()
    built = build_big_db(path)
    print(f"built and folded {built['answers']:,} answers in {built['games']:,} games "
          f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
    rng = random.Random(3)
    conn = sqlite3.connect(path)
    sizes = conn.execute(
        "SELECT guild_id, COUNT(*) AS n FROM answers GROUP BY guild_id ORDER BY n DESC"
    ).fetchall()
    conn.close()
    largest, median = sizes[0][0], sizes[len(sizes) // 2][0]
    big = f"largest guild, {sizes[0][1]:,} answers"
    return [
        *_board_rows(path, largest, big, rng, True),
        *_board_rows(path, median, f"median guild, {sizes[len(sizes) // 2][1]:,} answers", rng,
                     False),
        # Last: these reads add answers to the largest guild.
        *_backlog_rows(path, largest, big, rng),
    ]  # fmt: skip


def _row(name, value, unit, baseline_name, baseline_value, ratio, target, ok) -> dict:  # noqa: PLR0917
    return {
        "name": name, "value": value, "unit": unit, "baseline_name": baseline_name,
        "baseline_value": baseline_value, "ratio": ratio, "target": target, "ok": bool(ok),
    }  # fmt: skip


def main() -> list[dict]:
    """Run both store benchmarks in a temporary directory and return their rows."""
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        return [*bench_writes(Path(tmp)), *bench_leaderboard(Path(tmp))]


if __name__ == "__main__":
    from benchmarks.__main__ import main as print_table

    raise SystemExit(print_table(["store"]))
