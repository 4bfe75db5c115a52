"""Mixed load: 200 live games closing rounds while players open leaderboards, on 1M answers.

200 games (3-12 players each, in guilds of the 1M-answer database) close a round every 5 s
(the games start spread over the first 5 s), each close through `record_round` with card
updates on, while a reader opens a leaderboard (top 10 + caller rank) in a random one of
those guilds every 50 ms, for `DURATION` seconds of real time. Reported: close → reveal and
leaderboard p50/p99, beside the same figures with no other game running (a lone game, a lone
reader), and how much RSS grew during the run.

Run: `python -m benchmarks.bench_mixed` (or `python -m benchmarks mixed`); about 2 minutes.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.bench_round import _build, _reviews, _round_records
from benchmarks.bench_store import NOW
from benchmarks.table import p99, print_table, row
from bot.services.cards import reschedule
from bot.store import Store

GAMES = 200
ROUND_SECONDS = 5.0
READ_EVERY = 0.05
DURATION = 60.0
SIZE = 1_000_000


async def _load(
    path: Path, pools: dict[int, list[int]], games: int, duration: float
) -> tuple[list[float], list[float], float, float]:
    """Run `games` games and the reader for `duration` s; return closes, reads and RSS."""
    process = psutil.Process()
    store = await Store.open(path, clock=lambda: NOW)
    closes: list[float] = []
    reads: list[float] = []
    guilds = list(pools)
    stop = time.monotonic() + duration
    try:
        rss_start = process.memory_info().rss

        async def game(n: int) -> None:
            rng = random.Random(n)
            guild = guilds[n % len(guilds)]
            players = rng.sample(pools[guild], min(len(pools[guild]), rng.randint(3, 12)))
            game_id = await store.games.start(guild, n, "news", "buttons", None, 1, 1000)
            await asyncio.sleep(rng.random() * ROUND_SECONDS)
            index = 0
            while time.monotonic() < stop:
                await store.games.ask(game_id, index, f"q{index}", f"f{index % 40}", "places")
                await asyncio.sleep(ROUND_SECONDS)
                records = _round_records(game_id, guild, index, players, rng)
                start = time.perf_counter()
                await store.answers.record_round(records, _reviews(records), reschedule)
                closes.append(time.perf_counter() - start)
                index += 1
            await store.games.finish(game_id)

        async def reader() -> None:
            rng = random.Random(-1)
            while time.monotonic() < stop:
                guild = rng.choice(guilds)
                start = time.perf_counter()
                await store.boards.leaderboard(guild, caller_id=rng.choice(pools[guild]))
                reads.append(time.perf_counter() - start)
                await asyncio.sleep(READ_EVERY)

        await asyncio.gather(reader(), *(game(n) for n in range(games)))
        rss_end = process.memory_info().rss
    finally:
        await store.close()
    return closes, reads, rss_start / 2**20, rss_end / 2**20


def _pools(path: Path, count: int) -> dict[int, list[int]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        top = conn.execute(
            "SELECT guild_id FROM answers GROUP BY guild_id ORDER BY COUNT(*) DESC LIMIT ?",
            (count,),
        ).fetchall()
        return {
            int(g): [r[0] for r in conn.execute(
                "SELECT DISTINCT user_id FROM answers WHERE guild_id = ?", (g,))]
            for (g,) in top
        }  # fmt: skip
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> list[dict]:
    """Build the 1M-answer database, run the mixed load and the lone baseline."""
    del argv
    with tempfile.TemporaryDirectory(prefix="bench-mixed-") as tmp:
        base, _, _ = _build(Path(tmp), SIZE)
        pools = _pools(base, 50)
        lone_closes, lone_reads, _, _ = asyncio.run(_load(base, pools, 1, 20.0))
        closes, reads, rss0, rss1 = asyncio.run(_load(base, pools, GAMES, DURATION))
    label = f"{GAMES} games, {ROUND_SECONDS:.0f} s rounds, a board every {READ_EVERY * 1e3:.0f} ms"
    return [
        row(f"mixed load ({label}), 1M answers: round close -> reveal, cards on, p50",
            statistics.median(closes) * 1e3, "ms", "one game alone p50",
            statistics.median(lone_closes) * 1e3, None, "(info)", True),
        row(f"mixed load: round close -> reveal, cards on, p99 ({len(closes)} rounds)",
            p99(closes) * 1e3, "ms", "one game alone p99", p99(lone_closes) * 1e3, None,
            "<= 50 ms", p99(closes) <= 0.050),
        row("mixed load: leaderboard top 10 + caller rank, p50",
            statistics.median(reads) * 1e3, "ms", "reader alone p50",
            statistics.median(lone_reads) * 1e3, None, "(info)", True),
        row(f"mixed load: leaderboard top 10 + caller rank, p99 ({len(reads)} reads)",
            p99(reads) * 1e3, "ms", "reader alone p99", p99(lone_reads) * 1e3, None,
            "<= 5 ms", p99(reads) <= 0.005),
        # The process also built the database, so only the growth over the run says anything.
        row(f"mixed load: RSS growth over {DURATION:.0f} s of play", rss1 - rss0, "MB",
            "RSS at its start", rss0, rss1 / rss0, "(info)", True),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(print_table(main(sys.argv[1:])))
