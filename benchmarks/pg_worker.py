"""One bot process's write load for the PostgreSQL benchmark: many games at once, round by round.

`python -m benchmarks.pg_worker DSN GUILD_BASE GAMES ROUNDS PLAYERS` opens the store, plays
GAMES games at once (guilds GUILD_BASE …), each ROUNDS rounds of PLAYERS players closed with
`record_round` (answers, aggregates, cards and reviews in one write), and prints one JSON line:
the close times in seconds and the answers stored.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time

from bot.core.models import QuestionKind
from bot.core.review import rating_for
from bot.services.cards import reschedule
from bot.store import AnswerRecord, ReviewRecord, Store, utc_now


def round_records(
    game: int, guild: int, index: int, players: list[int], rng: random.Random
) -> tuple[list[AnswerRecord], list[ReviewRecord | None]]:
    """Return one round's answers and the reviews they make."""
    now = utc_now()
    records: list[AnswerRecord] = []
    reviews: list[ReviewRecord | None] = []
    for user in players:
        ok = rng.random() < 0.6
        elapsed = rng.randrange(300, 20_000)
        points = rng.randrange(100, 1000) if ok else 0
        topic = ("politics", "economy")[index % 2]
        record = AnswerRecord(
            game, index, guild, user, f"player {user}", f"q{index}", f"f{index % 40}", topic,
            "news", "A", ok, points, elapsed, index, now,
        )  # fmt: skip
        records.append(record)
        rating = int(rating_for(ok, "exact", elapsed / 1000, 20))
        reviews.append(ReviewRecord(user, guild, "news", f"f{index % 40}", rating, ok, now,
                                    "game", QuestionKind.CHOICE))  # fmt: skip
    return records, reviews


async def play(dsn: str, guild_base: int, games: int, rounds: int, players: int) -> dict:
    """Play the games at once; return the close times and how many answers were stored."""
    store = await Store.open(dsn, abort_running=False)
    closes: list[float] = []
    stored = 0

    async def one(g: int) -> None:
        nonlocal stored
        rng = random.Random(guild_base + g)
        guild = guild_base + g
        game = await store.games.start(guild, 1, "news", "buttons", None, 1, rounds)
        # Players of every process overlap: the same people play in many servers.
        who = rng.sample(range(10**17, 10**17 + 20_000), players)
        for index in range(rounds):
            await store.games.ask(game, index, f"q{index}", f"f{index % 40}", "politics")
            records, reviews = round_records(game, guild, index, who, rng)
            start = time.perf_counter()
            ok, _ = await store.answers.record_round(records, reviews, reschedule)
            closes.append(time.perf_counter() - start)
            stored += sum(ok)
            await asyncio.sleep(rng.random() * 0.05)  # rounds end at different moments
        await store.games.finish(game)

    try:
        started = time.perf_counter()
        await asyncio.gather(*(one(g) for g in range(games)))
        elapsed = time.perf_counter() - started
    finally:
        await store.close()
    return {"closes": closes, "stored": stored, "seconds": elapsed}


if __name__ == "__main__":
    dsn, *numbers = sys.argv[1:]
    base, games, rounds, players = map(int, numbers)
    print(json.dumps(asyncio.run(play(dsn, base, games, rounds, players))), flush=True)
