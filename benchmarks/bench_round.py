"""The whole round path, each figure beside a baseline measured in the same run.

On databases of 0, 100k and 1M answers (and 5M unless `--quick`), built as the leaderboard
benchmark builds them (Zipf-sized guilds, folded):

1. Answers to leaderboard-ready, end to end: 8 rounds of 1,000 answers through
   `record_many` (each committed with its aggregates), beside raw `executemany` of the same
   answer rows in one transaction (and, for information, one transaction a round), with the
   store writer's own pragmas; also the design this replaced (store, then fold). Each rate is
   the median of three runs on fresh copies of the database.
2. Round close to reveal with card updates on, p50 and p99, for 12-, 100- and 1,000-player
   rounds `GAP` s apart: `record_round` (answers, aggregates, cards, reviews in one write),
   beside the per-player path (store the answers, then read, save and log each card in its own
   write).
3. Leaderboard top 10 + caller rank right after each of those rounds, p50 and p99, beside a
   fair naive `GROUP BY` over the answers with a covering index.

Run: `python -m benchmarks.bench_round [--quick]` (or `python -m benchmarks round`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import bench_leaderboard
from benchmarks.bench_store import NOW, answer_record
from benchmarks.table import p99, print_table, row
from bot.core.models import QuestionKind
from bot.core.review import rating_for
from bot.services.cards import reschedule
from bot.store import AnswerRecord, CardRow, ReviewRecord, Store, migrate
from bot.store.answers import INSERT_ANSWER, prepare
from bot.store.db import PRAGMAS, WRITER_PRAGMAS

SIZES = (0, 100_000, 1_000_000, 5_000_000)
QUICK_SIZES = (0, 100_000, 1_000_000)
ROUNDS = 8
PER_ROUND = 1000
#: Runs of each answers-to-ready rate (and of its raw baseline); the median is reported.
RATE_RUNS = 3
# (players, rounds timed) for the close-to-reveal figure.
ROUND_SIZES = ((12, 60), (100, 40), (1000, 40))
#: Seconds between one round's close and the next. A real game leaves 16 s or more (the answer
#: window and the reveal pause); back to back, the write-ahead log is never copied back (the
#: copy waits for the writer to be idle) and grows by a round's pages each time.
GAP = 0.25
COVERING = """CREATE INDEX IF NOT EXISTS bench_answers_cover
              ON answers (guild_id, user_id, points, game_id, correct, streak)"""


def _build(tmp: Path, size: int) -> tuple[Path, int, list[int]]:
    """Return a database of `size` answers, its largest guild and that guild's players."""
    path = tmp / f"base-{size}.db"
    if size:
        bench_leaderboard.BIG_ANSWERS = size
        bench_leaderboard.build_big_db(path)
    else:
        asyncio.run(migrate(path))
    conn = sqlite3.connect(path)
    top = conn.execute(
        "SELECT guild_id FROM answers GROUP BY guild_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    guild = int(top[0]) if top else 42
    players = [r[0] for r in conn.execute(
        "SELECT DISTINCT user_id FROM answers WHERE guild_id = ?", (guild,))]  # fmt: skip
    conn.close()
    return path, guild, players


def _copy(base: Path, name: str) -> Path:
    path = base.with_name(f"{base.stem}-{name}.db")
    shutil.copyfile(base, path)
    return path


def _name(user_id: int) -> str:
    """Return the name a player has in the built database (new players get one of their own)."""
    return f"player {user_id - 10**17}" if user_id < 10**18 else f"new player {user_id - 10**18}"


def _round_records(
    game_id: int, guild: int, index: int, players: list[int], rng: random.Random
) -> list[AnswerRecord]:
    # Players keep their names, as they mostly do between games: a renamed player costs an
    # upsert of its row, and renaming all 1,000 in the first round is not a round's work.
    return [
        dataclasses.replace(answer_record(index % 8, p, rng), game_id=game_id, guild_id=guild,
                            user_id=u, user_name=_name(u), question_index=index,
                            fact_id=f"f{index % 40}")
        for p, u in enumerate(players)
    ]  # fmt: skip


def _reviews(records: list[AnswerRecord]) -> list[ReviewRecord | None]:
    return [
        ReviewRecord(r.user_id, r.guild_id, r.bank, r.fact_id,
                     int(rating_for(r.correct, "exact", r.elapsed_ms / 1000, 20)),
                     r.correct, r.answered_at, "game", QuestionKind.CHOICE)
        for r in records
    ]  # fmt: skip


def _players(pool: list[int], n: int, rng: random.Random) -> list[int]:
    fresh = [10**18 + i for i in range(max(0, n - len(pool)))]
    return rng.sample(pool, min(n, len(pool))) + fresh


# -- 1. answers to leaderboard-ready --------------------------------------------------------
async def _ready_rate(path: Path, guild: int, pool: list[int], inline: bool) -> float:
    rng = random.Random(5)
    store = await Store.open(path, clock=lambda: NOW, fold_delay=None, fold_backlog=10**9,
                             fold_inline=inline)  # fmt: skip
    try:
        game = await store.games.start(guild, 1, "news", "buttons", None, 1, ROUNDS)
        players = _players(pool, PER_ROUND, rng)
        rounds = [_round_records(game, guild, i, players, rng) for i in range(ROUNDS)]
        start = time.perf_counter()
        for rnd in rounds:
            assert all(await store.answers.record_many(rnd))
            if not inline:
                await store.fold()  # the old design: a read right after must fold first
        elapsed = time.perf_counter() - start
    finally:
        await store.close()
    return ROUNDS * PER_ROUND / elapsed


def _raw_rate(path: Path, guild: int, pool: list[int], per_round: bool = False) -> float:
    """Rows/s of a bare `executemany` of the rounds' answer rows: one transaction, or one a
    round (as storing each round's answers when it closes must)."""
    rng = random.Random(5)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", *PRAGMAS, *WRITER_PRAGMAS):  # the store writer's
        conn.execute(f"PRAGMA {pragma}")
    game = conn.execute(
        """INSERT INTO games (guild_id, channel_id, bank, mode, started_by, question_count,
                              started_at) VALUES (?, 1, 'news', 'buttons', 1, 8, 0)""", (guild,)
    ).lastrowid  # fmt: skip
    players = _players(pool, PER_ROUND, rng)
    rows = [prepare(r)[0] for i in range(ROUNDS)
            for r in _round_records(game, guild, i, players, rng)]  # fmt: skip
    batches = [rows[i : i + PER_ROUND] for i in range(0, len(rows), PER_ROUND)]
    start = time.perf_counter()
    for batch in batches if per_round else [rows]:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_ANSWER, batch)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


# -- 2 and 3. round close to reveal, leaderboard right after --------------------------------
async def _per_player_cards(store: Store, reviews: list[ReviewRecord | None]) -> None:
    """The path this replaced: each card read, saved and logged in writes of its own."""
    for r in reviews:
        assert r is not None
        old = await store.cards.get(r.user_id, r.bank, r.fact_id)
        card: CardRow = reschedule(old.card_json if old else None, r)
        await store.cards.save(card)
        await store.cards.record_review(r.user_id, r.bank, r.fact_id, r.rating, r.correct,
                                        r.reviewed_at, r.source, r.guild_id)  # fmt: skip


async def _close_times(
    path: Path, guild: int, pool: list[int], players: int, rounds: int, *, batched: bool
) -> tuple[list[float], list[float]]:
    """Return close-to-reveal times and leaderboard-read-after times, in seconds."""
    rng = random.Random(players)
    store = await Store.open(path, clock=lambda: NOW)
    closes: list[float] = []
    boards: list[float] = []
    try:
        game = await store.games.start(guild, 1, "news", "buttons", None, 1, rounds)
        await store.boards.leaderboard(guild)
        for i in range(rounds):
            who = _players(pool, players, rng)
            records = _round_records(game, guild, i, who, rng)
            reviews = _reviews(records)
            start = time.perf_counter()
            if batched:
                stored, cards = await store.answers.record_round(records, reviews, reschedule)
                assert all(stored) and len(cards) == len(records)
            else:
                assert all(await store.answers.record_many(records))
                await _per_player_cards(store, reviews)
            closes.append(time.perf_counter() - start)
            start = time.perf_counter()
            await store.boards.leaderboard(guild, caller_id=who[0])
            boards.append(time.perf_counter() - start)
            await asyncio.sleep(GAP)
    finally:
        await store.close()
    return closes, boards


def _naive_times(path: Path, guild: int, n: int = 12) -> list[float]:
    conn = sqlite3.connect(path)
    conn.execute(COVERING)
    conn.execute("ANALYZE")
    times = []
    for _ in range(n + 1):
        start = time.perf_counter()
        conn.execute(
            """SELECT user_id, SUM(points) AS pts, COUNT(*), SUM(correct),
                      COUNT(DISTINCT game_id), MAX(streak)
               FROM answers WHERE guild_id = ? GROUP BY user_id ORDER BY pts DESC, user_id""",
            (guild,),
        ).fetchall()
        times.append(time.perf_counter() - start)
    conn.close()
    return times[1:]  # the first warms the cache


def bench_size(tmp: Path, size: int) -> list[dict]:
    """Every figure of the round path on a database of `size` answers."""
    t0 = time.perf_counter()
    base, guild, pool = _build(tmp, size)
    print(f"{size:,} answers: built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    label = f"{size // 1000:,}k answers" if size else "fresh database"
    # Each rate is the median of RATE_RUNS runs on fresh copies, the kinds taken in turn so
    # each sees the same moments of this shared machine: one run of the raw 8,000 rows moved
    # between 49,700 and 101,300 rows/s at 1M within one minute.
    runs = [
        (
            _raw_rate(_copy(base, "raw"), guild, pool),
            asyncio.run(_ready_rate(_copy(base, "inline"), guild, pool, inline=True)),
            asyncio.run(_ready_rate(_copy(base, "deferred"), guild, pool, inline=False)),
            _raw_rate(_copy(base, "raw-rounds"), guild, pool, per_round=True),
        )
        for _ in range(RATE_RUNS)
    ]
    raw, ready, deferred, raw_rounds = (
        statistics.median(kind) for kind in zip(*runs, strict=True)
    )
    rawname = "raw executemany of the same answer rows, one transaction"
    target_ready = size == 1_000_000
    rows = [
        row(f"answers to leaderboard-ready, {label}", ready, "answers/s", rawname, raw,
            ready / raw, ">= 0.3x at 1M" if target_ready else "(growth)",
            ready / raw >= 0.3 or not target_ready),
        row(f"  the same beside raw rows committed a round at a time, {label}", ready,
            "answers/s", "raw executemany, one transaction a round", raw_rounds,
            ready / raw_rounds, "(info)", True),
        row(f"  alternative: store then fold (previous design), {label}", deferred,
            "answers/s", rawname, raw, deferred / raw, "(info)", True),
    ]  # fmt: skip
    naive = _naive_times(_copy(base, "naive"), guild)
    n50, n99 = statistics.median(naive) * 1e3, p99(naive) * 1e3
    for players, count in ROUND_SIZES:
        closes, boards = asyncio.run(
            _close_times(_copy(base, f"b{players}"), guild, pool, players, count, batched=True)
        )
        slow, _ = asyncio.run(
            _close_times(
                _copy(base, f"s{players}"), guild, pool, players, max(3, count // 4), batched=False
            )
        )
        c50, c99 = statistics.median(closes) * 1e3, p99(closes) * 1e3
        s50, s99 = statistics.median(slow) * 1e3, p99(slow) * 1e3
        b50, b99 = statistics.median(boards) * 1e3, p99(boards) * 1e3
        goal = "<= 150 ms" if players == 1000 else "<= 50 ms"
        rows += [
            row(f"round close to reveal, cards on, {players} players, {label}, p50", c50, "ms",
                "per-player card writes p50", s50, s50 / c50, "(info)", True),
            row(f"round close to reveal, cards on, {players} players, {label}, p99", c99, "ms",
                "per-player card writes p99", s99, s99 / c99, goal,
                c99 <= (150 if players == 1000 else 50)),
            row(f"leaderboard right after a {players}-player round, {label}, p50", b50, "ms",
                "naive GROUP BY + covering index p50", n50, n50 / b50, "(info)", True),
            row(f"leaderboard right after a {players}-player round, {label}, p99", b99, "ms",
                "naive GROUP BY + covering index p99", n99, n99 / b99, "<= 5 ms", b99 <= 5),
        ]  # fmt: skip
    for path in tmp.glob(f"base-{size}*"):
        path.unlink()
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    """Run the round-path benchmark at each size; `--quick` leaves out 5M answers."""
    args = sys.argv[1:] if argv is None else argv
    sizes = QUICK_SIZES if "--quick" in args else SIZES
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-round-") as tmp:
        for size in sizes:
            rows += bench_size(Path(tmp), size)
    return rows


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
