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
import dataclasses
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.table import print_table, row
from bot.store import AnswerRecord, Store, migrate
from bot.store.answers import INSERT_ANSWER, prepare
from bot.store.db import PRAGMAS, WRITER_PRAGMAS

PLAYERS_PER_QUESTION = 1000
QUESTIONS = 8
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
REPEATS = 7


def answer_record(index: int, player: int, rng: random.Random) -> AnswerRecord:
    ok = rng.random() < 0.6
    return AnswerRecord(
        0, index, 42, 10**17 + player, f"player {player}", f"q{index}", f"f{index}",
        ("politics", "economy")[index % 2], "news", "Belgrade", ok,
        rng.randrange(100, 1000) if ok else 0, rng.randrange(300, 20_000), index, NOW,
    )  # fmt: skip


def _answers_for(rng: random.Random) -> list[list[AnswerRecord]]:
    """Return QUESTIONS rounds of answers by the same 1,000 players."""
    return [
        [answer_record(index, p, rng) for p in range(PLAYERS_PER_QUESTION)]
        for index in range(QUESTIONS)
    ]


async def _open_game(
    path: Path, rounds: list[list[AnswerRecord]], **options: Any
) -> tuple[Store, list[list[AnswerRecord]]]:
    """Open a store, start a game, and return the rounds' answers moved into that game."""
    store = await Store.open(path, clock=lambda: NOW, **options)
    game_id = await store.games.start(42, 1, "news", "buttons", None, 1, QUESTIONS)
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
                results = await asyncio.gather(*(store.answers.record(r) for r in rnd))
            else:
                results = await store.answers.record_many(rnd)
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
    store, rounds = await _open_game(
        path, rounds, fold_delay=None, fold_backlog=10**9, fold_inline=False
    )
    try:
        recording = folding = 0.0
        folded = 0
        for i, rnd in enumerate(rounds):
            start = time.perf_counter()
            assert all(await store.answers.record_many(rnd))
            recording += time.perf_counter() - start
            if each or i == len(rounds) - 1:
                start = time.perf_counter()
                folded += await store.fold()
                folding += time.perf_counter() - start
        total = sum(len(r) for r in rounds)
        assert folded == total
        board = await store.boards.leaderboard(42, limit=PLAYERS_PER_QUESTION)
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
    for pragma in ("journal_mode = WAL", *PRAGMAS, *WRITER_PRAGMAS):  # the store writer's
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
        row(f"answer path: record_answers, one call per question, {who}", bulk, "answers/s",
             raw, ceiling, bulk / ceiling, ">= 0.5x ceiling", bulk / ceiling >= 0.5),
        row(f"record_answer, one call per player, {PLAYERS_PER_QUESTION} at once, {who}",
             per_player, "answers/s", raw, ceiling, per_player / ceiling, "(info)", True),
        row("record_answer with group commit (as above)", per_player, "answers/s",
             "record_answer, one commit per answer", store_each, per_player / store_each,
             "> 1x", per_player > store_each),
        row(f"fold after each question ({PLAYERS_PER_QUESTION} answers per fold)", fold_each,
             "answers/s", raw, ceiling, fold_each / ceiling, "(info)", True),
        row(f"fold of {QUESTIONS} questions at once ({total} answers)", fold_all, "answers/s",
             raw, ceiling, fold_all / ceiling, "(info)", True),
        row("record + fold after each question, end to end", end_to_end, "answers/s", raw,
             ceiling, end_to_end / ceiling, "(info)", True),
        row("raw sqlite3, one commit per bare answer row", one_each, "rows/s", raw, ceiling,
             one_each / ceiling, "(info)", True),
        row("asyncio gather + future per call, no database (floor)", floor, "calls/s", raw,
             ceiling, floor / ceiling, "(info)", True),
    ]  # fmt: skip


def main() -> list[dict]:
    """Run both store benchmarks in a temporary directory and return their rows."""
    from benchmarks.bench_leaderboard import bench_leaderboard

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        return [*bench_writes(Path(tmp)), *bench_leaderboard(Path(tmp))]


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
