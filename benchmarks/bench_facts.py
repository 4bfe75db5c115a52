"""`/leaderboard rank_by:facts` on a large review log, beside the scan it replaced (same run).

200,000 reviews by 5,000 players of 200 facts in 20 guilds (the largest holds a third), over
eight weeks; a card is learned after its third review. The board kept ready by triggers is read
for all time and for the current week, beside the query over the reviews table it replaced.

`python -m benchmarks facts`
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.table import p99, print_table, row
from bot.store import Store, migrate, to_ms
from bot.store.cards import _FACTS_LEARNED

REVIEWS = 200_000
PLAYERS = 5000
FACTS = 200
GUILDS = 20
READS = 300
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _build(path: Path) -> None:
    asyncio.run(migrate(path))
    rng = random.Random(11)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    reps: dict[tuple[int, int], int] = {}
    start = to_ms(MONDAY - timedelta(weeks=7))
    span = to_ms(MONDAY + timedelta(days=6)) - start
    times = sorted(start + rng.randrange(span) for _ in range(REVIEWS))
    for at in times:
        user, fact = rng.randrange(PLAYERS), rng.randrange(FACTS)
        guild = 0 if rng.random() < 0.33 else rng.randrange(1, GUILDS)
        n = reps[(user, fact)] = reps.get((user, fact), 0) + 1
        conn.execute(
            """INSERT INTO cards VALUES (?, 'news', ?, '{}', ?, ?, ?, 0, ?,
                                         CASE WHEN ? >= 3 THEN ? END)
               ON CONFLICT DO UPDATE SET level = excluded.level, reps = excluded.reps,
                   learned_at = COALESCE(cards.learned_at, excluded.learned_at)""",
            (user, f"f{fact}", at, min(n, 3), n, at, n, at),
        )
        conn.execute(
            "INSERT INTO reviews (user_id, guild_id, bank, fact_id, rating, correct, reviewed_at,"
            " source) VALUES (?, ?, 'news', ?, 3, 1, ?, 'game')",
            (user, guild, f"f{fact}", at),
        )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


async def _ready_times(path: Path, since: datetime) -> tuple[list[float], list]:
    store = await Store.open(path, clock=lambda: MONDAY + timedelta(days=5))
    try:
        board = await store.cards.learned_board(0, since, limit=100)
        times = []
        for _ in range(READS):
            t = time.perf_counter()
            await store.cards.learned_board(0, since, limit=100)
            times.append(time.perf_counter() - t)
    finally:
        await store.close()
    return times, board


def _scan_times(path: Path, since: datetime) -> tuple[list[float], list]:
    conn = sqlite3.connect(path)
    params = {"guild": 0, "since": to_ms(since), "limit": 100}
    board = [tuple(r) for r in conn.execute(_FACTS_LEARNED, params)]
    times = []
    for _ in range(20):
        t = time.perf_counter()
        conn.execute(_FACTS_LEARNED, params).fetchall()
        times.append(time.perf_counter() - t)
    conn.close()
    return times, board


def main() -> list[dict]:
    """Build the review log and time both boards beside the scan."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-facts-") as tmp:
        path = Path(tmp) / "facts.db"
        _build(path)
        for label, since in (("all time", EPOCH), ("this week", MONDAY)):
            ours, board = asyncio.run(_ready_times(path, since))
            scan, expected = _scan_times(path, since)
            assert board == expected, "the ready board differs from the scan"
            o50, s50 = statistics.median(ours), statistics.median(scan)
            name = f"rank_by:facts, largest guild, {label}, {REVIEWS:,} reviews"
            rows += [
                row(f"{name}, p50", o50 * 1e3, "ms", "scan of reviews p50", s50 * 1e3, s50 / o50,
                    "(info)", True),
                row(f"{name}, p99", p99(ours) * 1e3, "ms", "scan of reviews p99",
                    p99(scan) * 1e3, p99(scan) / p99(ours), "<= 5 ms", p99(ours) <= 0.005),
            ]  # fmt: skip
    return rows


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
