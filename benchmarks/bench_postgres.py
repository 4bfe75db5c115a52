"""PostgreSQL: the answer path, the leaderboard at 1M answers, and 4 processes writing at once.

Each figure beside a baseline from the same run, on a server started for the run from the
machine's PostgreSQL with its durable defaults (fsync and synchronous commit on), or on the
server `QUIZBOT_BENCH_PG` names (a `postgresql://` URL of a user allowed to create databases):

1. Answers to leaderboard-ready: 8 rounds of 1,000 answers through `record_many` (stored,
   named and counted in the aggregates in one transaction each), beside raw asyncpg
   `executemany` and `COPY` of the same answer rows, one transaction per round; on an empty
   database and on the 1M-answer one.
2. Leaderboard top 10 + caller rank at 1M answers (the leaderboard benchmark's Zipf-sized
   guilds, moved in with `quizbot migrate-db`'s copy), beside a naive `GROUP BY` over the
   answers with a covering index.
3. 4 bot processes × 250 games writing at once (rounds closed by `record_round` with card
   updates), beside one process with 250 games; then every answer is checked to be stored
   once and counted once.

Run: `python -m benchmarks.bench_postgres [--quick]` (or `python -m benchmarks postgres`);
`--quick` leaves out the 1M-answer database.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg

from benchmarks import bench_leaderboard
from benchmarks.bench_store import NOW, answer_record
from benchmarks.table import p99, print_table, row
from bot.store import Store
from bot.store.answers import prepare
from bot.store.transfer import copy_to_postgres

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from support import postgres  # noqa: E402 - the tests' throwaway-server helper
from support.storekit import assert_counted  # noqa: E402

ROUNDS = 8
PER_ROUND = 1000
BOARD_CALLS = 400
NAIVE_CALLS = 12
PROCESSES = 4
GAMES = 250
GAME_ROUNDS = 5
GAME_PLAYERS = 6
_COLUMNS = [
    "game_id", "question_index", "guild_id", "user_id", "question_id", "fact_id", "topic",
    "bank", "answer", "correct", "points", "elapsed_ms", "streak", "answered_at",
]  # fmt: skip
_MARKS = ", ".join(f"${i}" for i in range(1, len(_COLUMNS) + 1))
_INSERT = f"INSERT INTO answers ({', '.join(_COLUMNS)}) VALUES ({_MARKS})"
COVERING = """CREATE INDEX IF NOT EXISTS bench_answers_cover
              ON answers (guild_id, user_id) INCLUDE (points, game_id, correct, streak)"""
_NAIVE = """SELECT user_id, SUM(points) AS pts, COUNT(*), SUM(correct), COUNT(DISTINCT game_id),
                   MAX(streak)
            FROM answers WHERE guild_id = $1 GROUP BY user_id ORDER BY pts DESC, user_id"""


@contextlib.contextmanager
def _server() -> Iterator[str]:
    """Yield the admin URL of a server to benchmark on."""
    given = os.environ.get("QUIZBOT_BENCH_PG")
    if given:
        yield given
        return
    why = postgres.unavailable()
    if why:
        raise SystemExit(f"bench_postgres: {why}")
    with postgres.running_server(durable=True) as server:
        yield server.dsn()


@contextlib.asynccontextmanager
async def _database(admin: str, name: str) -> AsyncIterator[str]:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


def _rounds(seed: int) -> list[list]:
    rng = random.Random(seed)
    return [[answer_record(index, p, rng) for p in range(PER_ROUND)] for index in range(ROUNDS)]


async def _answer_rates(dsn: str, guild: int) -> tuple[float, float, float]:
    """Return answers/s for the store's path, raw executemany and raw COPY."""
    store = await Store.open(dsn, clock=lambda: NOW)
    try:
        game = await store.games.start(guild, 1, "news", "buttons", None, 1, ROUNDS)
        ours_rounds = [
            [dataclasses.replace(r, game_id=game, guild_id=guild) for r in rnd]
            for rnd in _rounds(1)
        ]
        start = time.perf_counter()
        for rnd in ours_rounds:
            assert all(await store.answers.record_many(rnd))
        ours = ROUNDS * PER_ROUND / (time.perf_counter() - start)
        raw_games = [
            await store.games.start(guild, 1, "news", "buttons", None, 1, ROUNDS) for _ in (1, 2)
        ]
    finally:
        await store.close()

    conn = await asyncpg.connect(dsn)
    try:
        rates = []
        for game, copy in zip(raw_games, (False, True), strict=True):
            rows = [
                [prepare(dataclasses.replace(r, game_id=game, guild_id=guild))[0] for r in rnd]
                for rnd in _rounds(1)
            ]
            start = time.perf_counter()
            for rnd in rows:
                async with conn.transaction():
                    if copy:
                        await conn.copy_records_to_table("answers", records=rnd, columns=_COLUMNS)
                    else:
                        await conn.executemany(_INSERT, rnd)
            rates.append(ROUNDS * PER_ROUND / (time.perf_counter() - start))
    finally:
        await conn.close()
    return ours, rates[0], rates[1]


def _answer_rows(ours: float, many: float, copy: float, label: str, target: bool) -> list:
    return [
        row(f"PostgreSQL answers to leaderboard-ready, {label}", ours, "answers/s",
            "raw asyncpg executemany, same rows", many, ours / many,
            ">= 0.5x" if target else "(growth)", ours / many >= 0.5 or not target),
        row(f"PostgreSQL answers to leaderboard-ready, {label}, against COPY", ours,
            "answers/s", "raw asyncpg COPY, same rows", copy, ours / copy, "(info)", True),
    ]  # fmt: skip


async def _naive_times(conn: asyncpg.Connection, guild: int, callers: list[int]) -> list[float]:
    """Time the naive board: a GROUP BY over the guild's answers, then the caller's rank."""
    await conn.fetch(_NAIVE, guild)
    times = []
    for caller in callers[:NAIVE_CALLS]:
        start = time.perf_counter()
        rows = await conn.fetch(_NAIVE, guild)
        mine = next(r[1] for r in rows if r[0] == caller)
        assert 1 + sum(1 for r in rows if r[1] > mine) >= 1  # the rank, as the board's
        times.append(time.perf_counter() - start)
    return times


async def _board_times(
    dsn: str, guild: int, callers: list[int]
) -> tuple[list[float], list[float], list[float]]:
    """Return our board's times, the naive one's on the schema's indexes, and with a covering
    index (the fair baseline)."""
    store = await Store.open(dsn, clock=lambda: NOW, abort_running=False)
    try:
        ours = await bench_leaderboard.time_boards(store, guild, callers)
        checks = [await store.boards.leaderboard(guild, caller_id=c) for c in callers[:5]]
    finally:
        await store.close()
    conn = await asyncpg.connect(dsn)
    try:
        plain = await _naive_times(conn, guild, callers)
        await conn.execute(COVERING)
        await conn.execute("VACUUM (ANALYZE) answers")
        naive = await _naive_times(conn, guild, callers)
        # The ready board must agree with the naive one.
        rows = await conn.fetch(_NAIVE, guild)
        for caller, board in zip(callers[:5], checks, strict=True):
            assert [(r.user_id, r.points) for r in board.rows] == [(r[0], r[1]) for r in rows[:10]]
            mine = next(r[1] for r in rows if r[0] == caller)
            me = board.caller or next(r for r in board.rows if r.user_id == caller)
            assert me.rank == 1 + sum(1 for r in rows if r[1] > mine)
        await conn.execute("DROP INDEX bench_answers_cover")
    finally:
        await conn.close()
    return ours, plain, naive


def _workers(dsn: str, processes: int) -> tuple[list[float], int, float]:
    """Run `processes` worker processes at once; return their close times, answers, seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.pg_worker",
                dsn,
                str(10_000 * (i + 1)),
                str(GAMES),
                str(GAME_ROUNDS),
                str(GAME_PLAYERS),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for i in range(processes)
    ]
    closes: list[float] = []
    stored = 0
    longest = 0.0
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        if proc.returncode:
            raise SystemExit(f"a benchmark worker failed ({proc.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        closes.extend(result["closes"])
        stored += result["stored"]
        longest = max(longest, result["seconds"])
    return closes, stored, longest


async def _exactly_once(dsn: str, expected: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        total = await conn.fetchval("SELECT COUNT(*) FROM answers")
        distinct = await conn.fetchval(
            "SELECT COUNT(*) FROM (SELECT DISTINCT game_id, question_index, user_id FROM answers) d"
        )
    finally:
        await conn.close()
    assert total == distinct == expected, (total, distinct, expected)
    await assert_counted(dsn)


async def _processes_rows(admin: str) -> list:
    per_process = GAMES * GAME_ROUNDS * GAME_PLAYERS
    results = {}
    for n in (1, PROCESSES):
        async with _database(admin, f"bench_procs_{n}") as dsn:
            async with await Store.open(dsn):
                pass  # migrate once before the workers start
            closes, stored, seconds = await asyncio.to_thread(_workers, dsn, n)
            assert stored == n * per_process
            await _exactly_once(dsn, n * per_process)
            results[n] = (stored / seconds, statistics.median(closes), p99(closes))
    one, many = results[1], results[PROCESSES]
    label = f"{GAMES} games x {GAME_ROUNDS} rounds x {GAME_PLAYERS} players each, cards on"
    return [
        row(f"PostgreSQL {PROCESSES} processes x {label}: answers written", many[0], "answers/s",
            "1 process, same games", one[0], many[0] / one[0], "(info)", True),
        row(f"PostgreSQL {PROCESSES} processes: round close p50", many[1] * 1e3, "ms",
            "1 process p50", one[1] * 1e3, one[1] / many[1], "(info)", True),
        row(f"PostgreSQL {PROCESSES} processes: round close p99", many[2] * 1e3, "ms",
            "1 process p99", one[2] * 1e3, one[2] / many[2], "(info)", True),
    ]  # fmt: skip


async def _run(admin: str, quick: bool) -> list:
    rows: list = []
    async with _database(admin, "bench_fresh") as dsn:
        rows += _answer_rows(*await _answer_rates(dsn, 42), "empty database", False)
    if not quick:
        with tempfile.TemporaryDirectory() as tmp:
            lite = Path(tmp) / "big.db"
            await asyncio.to_thread(bench_leaderboard.build_big_db, lite)
            async with _database(admin, "bench_big") as dsn:
                start = time.perf_counter()
                copied = await copy_to_postgres(lite, dsn)
                moved = time.perf_counter() - start
                rows.append(row(
                    f"migrate-db of a {copied['answers']:,}-answer database", moved, "s",
                    "(none)", None, None, "(info)", True))  # fmt: skip
                conn = await asyncpg.connect(dsn)
                try:
                    # As autovacuum leaves a settled database: statistics and the visibility
                    # map, which index-only scans (ours and the naive one's) rely on.
                    await conn.execute("VACUUM (ANALYZE)")
                    guild = 0
                    active = [
                        r[0]
                        for r in await conn.fetch(
                            "SELECT DISTINCT user_id FROM answers WHERE guild_id = $1", guild
                        )
                    ]
                finally:
                    await conn.close()
                rng = random.Random(3)
                callers = [rng.choice(active) for _ in range(BOARD_CALLS)]
                ours, plain, naive = await _board_times(dsn, guild, callers)
                p50, n50 = statistics.median(ours) * 1e3, statistics.median(naive) * 1e3
                plain50 = statistics.median(plain) * 1e3
                label = f"1M answers, largest guild ({len(active):,} players)"
                rows += [
                    row(f"PostgreSQL leaderboard top 10 + caller rank, {label}, p50", p50, "ms",
                        "naive GROUP BY on the schema's indexes, p50", plain50, plain50 / p50,
                        "<= 2 ms and >= 100x", p50 <= 2.0 and plain50 / p50 >= 100),
                    row(f"PostgreSQL leaderboard top 10 + caller rank, {label}, p50", p50, "ms",
                        "naive GROUP BY with a covering index (fair), p50", n50, n50 / p50,
                        "(info: the fair baseline)", True),
                    row(f"PostgreSQL leaderboard top 10 + caller rank, {label}, p99",
                        p99(ours) * 1e3, "ms", "covering-index naive p99", p99(naive) * 1e3,
                        p99(naive) / p99(ours), "(info)", True),
                ]  # fmt: skip
                rows += _answer_rows(*await _answer_rates(dsn, 0), "1M answers", True)
    rows += await _processes_rows(admin)
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    """Run the PostgreSQL benchmarks and return their rows."""
    quick = "--quick" in (sys.argv[1:] if argv is None else argv)
    with _server() as admin:
        return asyncio.run(_run(admin, quick))


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
