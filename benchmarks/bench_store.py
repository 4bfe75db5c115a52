"""Store throughput and leaderboard latency, each beside a baseline measured in the same run.

1. Answers/s through `Store.record_answer` (group commit, aggregates included) with 1,000
   players answering each question at once, beside raw `sqlite3` `executemany` of the same rows
   into the same table in one transaction (the ceiling) and beside one commit per answer.
2. Leaderboard (top 10 + the caller's rank) on 1,000,000 answers, 100,000 players and 1,000
   guilds whose sizes follow Zipf's law, beside a naive `GROUP BY` over the answers table.

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import AnswerRecord, Store, migrate, to_ms, week_key
from bot.store.answers import INSERT_ANSWER, PreparedAnswer

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


def _answer(index: int, player: int, rng: random.Random) -> AnswerRecord:
    ok = rng.random() < 0.6
    return AnswerRecord(
        game_id=0,
        question_index=index,
        guild_id=42,
        user_id=10**17 + player,
        user_name=f"player {player}",
        question_id=f"q{index}",
        fact_id=f"f{index}",
        topic=("politics", "economy")[index % 2],
        bank="news",
        answer="Belgrade",
        correct=ok,
        points=rng.randrange(100, 1000) if ok else 0,
        elapsed_ms=rng.randrange(300, 20_000),
        streak=index,
        answered_at=NOW,
    )


def _answers_for(rng: random.Random) -> list[list[AnswerRecord]]:
    """Return QUESTIONS rounds of answers by the same 1,000 players."""
    return [
        [_answer(index, p, rng) for p in range(PLAYERS_PER_QUESTION)] for index in range(QUESTIONS)
    ]


async def _store_rate(
    path: Path, rounds: list[list[AnswerRecord]], max_batch: int, bulk: bool = False
) -> float:
    """Return answers/s through record_answer, one question at a time, players concurrent."""
    store = await Store.open(path, clock=lambda: NOW, max_batch=max_batch)
    try:
        game_id = await store.start_game(42, 1, "news", "buttons", None, 1, QUESTIONS)
        rounds = [[dataclasses.replace(r, game_id=game_id) for r in rnd] for rnd in rounds]
        start = time.perf_counter()
        for rnd in rounds:
            if bulk:
                results = await store.record_answers(rnd)
            else:
                results = await asyncio.gather(*(store.record_answer(r) for r in rnd))
            assert all(results)
        elapsed = time.perf_counter() - start
    finally:
        await store.close()
    return sum(len(r) for r in rounds) / elapsed


def _raw_rows(rounds: list[list[AnswerRecord]], game_id: int) -> list[tuple]:
    """Return the exact column values the store writes for these answers."""
    return [
        PreparedAnswer.from_record(dataclasses.replace(r, game_id=game_id)).row
        for rnd in rounds
        for r in rnd
    ]


def _raw_connect(path: Path) -> tuple[sqlite3.Connection, int]:
    asyncio.run(migrate(path))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        """INSERT INTO games (guild_id, channel_id, bank, mode, started_by, question_count,
                              started_at) VALUES (42, 1, 'news', 'buttons', 1, 8, 0)"""
    )
    return conn, conn.execute("SELECT max(game_id) FROM games").fetchone()[0]


def _raw_rate(path: Path, rounds: list[list[AnswerRecord]], per_answer: bool) -> float:
    """Return rows/s inserting the same bare rows with sqlite3: one transaction, or one each."""
    conn, game_id = _raw_connect(path)
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
    """Measure record_answer throughput beside raw sqlite3 inserts of the same rows."""
    rounds = _answers_for(random.Random(1))
    total = sum(len(r) for r in rounds)
    ceiling = _raw_rate(tmp / "raw-many.db", rounds, per_answer=False)
    one_each = _raw_rate(tmp / "raw-each.db", rounds, per_answer=True)
    store_rate = asyncio.run(_store_rate(tmp / "store.db", rounds, max_batch=1000))
    # One commit per answer is slow; two questions' worth is plenty to measure its rate.
    store_each = asyncio.run(_store_rate(tmp / "store-each.db", rounds[:2], max_batch=1))
    bulk = asyncio.run(_store_rate(tmp / "store-bulk.db", rounds, max_batch=1000, bulk=True))
    floor = asyncio.run(_call_floor(PLAYERS_PER_QUESTION))
    name = f"record_answer, {PLAYERS_PER_QUESTION} concurrent players x {QUESTIONS} questions"
    return [
        _row(f"{name} ({total} answers)", store_rate, "answers/s",
             "raw sqlite3 executemany, one transaction (ceiling)", ceiling,
             store_rate / ceiling, ">= 0.5x ceiling", store_rate / ceiling >= 0.5),
        _row(f"{name}, group commit", store_rate, "answers/s",
             "record_answer, one commit per answer", store_each,
             store_rate / store_each, "> 1x", store_rate > store_each),
        _row("record_answers, one call per question (1000 answers)", bulk, "answers/s",
             "raw sqlite3 executemany, one transaction", ceiling,
             bulk / ceiling, "(info)", True),
        _row("raw sqlite3, one commit per bare answer row", one_each, "rows/s",
             "raw sqlite3 executemany, one transaction", ceiling,
             one_each / ceiling, "(info)", True),
        _row("asyncio gather + future per call, no database (floor)", floor, "calls/s",
             "raw sqlite3 executemany, one transaction", ceiling,
             floor / ceiling, "(info)", True),
    ]  # fmt: skip


def build_big_db(path: Path, seed: int = 7) -> dict[str, object]:
    """Fill a migrated database with answers and their aggregates using bulk sqlite3 inserts."""
    asyncio.run(migrate(path))
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway build; durability is not measured
    conn.execute("PRAGMA cache_size = -500000")
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
    _build_scores(conn)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"answers": len(answers), "games": len(games)}


def _build_scores(conn: sqlite3.Connection) -> None:
    """Compute every aggregate scope with INSERT … SELECT … GROUP BY over the answers."""
    monday_ms = 4 * 86_400_000  # 1970-01-05 was a Monday: ISO weeks start there
    week_ms = 7 * 86_400_000
    conn.execute("CREATE TEMP TABLE weeks (idx INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    first = (to_ms(NOW - timedelta(weeks=WEEKS + 1)) - monday_ms) // week_ms
    for idx in range(first, first + WEEKS + 3):
        key = week_key(datetime.fromtimestamp((monday_ms + idx * week_ms) / 1000, UTC))
        conn.execute("INSERT INTO temp.weeks VALUES (?, ?)", (idx, key))
    periods = ["all", *(row[0] for row in conn.execute("SELECT key FROM temp.weeks"))]
    for period in periods:
        for bank, topics in BANKS.items():
            for topic in ("", *topics):
                for b in ("", bank):
                    conn.execute(
                        "INSERT OR IGNORE INTO score_scopes (period, topic, bank) VALUES (?,?,?)",
                        (period, topic, b),
                    )
    # One row per player, game, week and topic first: every rollup then reads ~3x fewer rows.
    conn.execute(
        f"""CREATE TEMP TABLE pg AS
            SELECT a.guild_id AS g, a.user_id AS u, a.game_id AS game, w.key AS week,
                   a.topic AS topic, a.bank AS bank, SUM(a.points) AS pts, COUNT(*) AS n,
                   SUM(a.correct) AS c, MAX(a.streak) AS s
            FROM answers AS a
            JOIN temp.weeks AS w ON w.idx = (a.answered_at - {monday_ms}) / {week_ms}
            GROUP BY a.guild_id, a.user_id, a.game_id, w.key, a.topic, a.bank"""
    )
    for by_week, by_topic, by_bank in itertools.product((False, True), repeat=3):
        period = "pg.week" if by_week else "'all'"
        topic = "pg.topic" if by_topic else "''"
        bank = "pg.bank" if by_bank else "''"
        conn.execute(
            f"""INSERT INTO scores (guild_id, scope_id, user_id, points, answers, correct, games,
                                    best_streak)
                SELECT pg.g, sc.scope_id, pg.u, SUM(pg.pts), SUM(pg.n), SUM(pg.c),
                       COUNT(DISTINCT pg.game), MAX(pg.s)
                FROM temp.pg AS pg
                JOIN score_scopes AS sc
                  ON sc.period = {period} AND sc.topic = {topic} AND sc.bank = {bank}
                GROUP BY pg.g, sc.scope_id, pg.u"""
        )
    conn.execute("DROP TABLE temp.pg")


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
        conn = sqlite3.connect(path)
        for caller in callers[:5]:  # the fast path must agree with the naive one
            board = await store.leaderboard(guild, caller_id=caller)
            top, rank = _naive(conn, guild, caller)
            assert [(r.user_id, r.points) for r in board.rows] == [(r[0], r[1]) for r in top]
            mine = board.caller or next(r for r in board.rows if r.user_id == caller)
            assert mine.rank == rank
        conn.close()
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


def _board_rows(path: Path, guild: int, label: str, rng: random.Random, target: bool) -> list:
    conn = sqlite3.connect(path)
    active = [
        r[0]
        for r in conn.execute("SELECT DISTINCT user_id FROM answers WHERE guild_id=?", (guild,))
    ]
    conn.close()
    callers = [rng.choice(active) for _ in range(LEADERBOARD_CALLS)]
    ours = asyncio.run(_board_times(path, guild, callers))
    naive = _naive_times(path, guild, callers)
    p50, p99 = statistics.median(ours) * 1e3, _p99(ours) * 1e3
    n50, n99 = statistics.median(naive) * 1e3, _p99(naive) * 1e3
    name = f"leaderboard top 10 + caller rank, {label} ({len(active)} players)"
    speedup = n50 / p50
    if not target:
        return [_row(f"{name}, p50", p50, "ms", "naive GROUP BY p50", n50, speedup, "(info)", True)]
    return [
        _row(f"{name}, p50", p50, "ms", "naive GROUP BY p50", n50, speedup,
             "<= 2 ms and >= 100x faster", p50 <= 2.0 and speedup >= 100),
        _row(f"{name}, p99", p99, "ms", "naive GROUP BY p99", n99, n99 / p99, "(info)", True),
    ]  # fmt: skip


def bench_leaderboard(tmp: Path) -> list[dict]:
    """Build the big database once and time leaderboards on the largest and a median guild."""
    path = tmp / "big.db"
    start = time.perf_counter()
    built = build_big_db(path)
    print(f"built {built['answers']:,} answers in {built['games']:,} games "
          f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
    rng = random.Random(3)
    conn = sqlite3.connect(path)
    sizes = conn.execute(
        "SELECT guild_id, COUNT(*) AS n FROM answers GROUP BY guild_id ORDER BY n DESC"
    ).fetchall()
    conn.close()
    largest, median = sizes[0][0], sizes[len(sizes) // 2][0]
    return [
        *_board_rows(path, largest, f"largest guild, {sizes[0][1]:,} answers", rng, True),
        *_board_rows(path, median, f"median guild, {sizes[len(sizes) // 2][1]:,} answers", rng,
                     False),
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
