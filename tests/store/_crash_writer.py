"""Write answers in a loop and print each one once its write is acknowledged.

Run as `python _crash_writer.py DB CONCURRENCY [FOLD_EVERY]`; the crash tests kill it with
SIGKILL. With FOLD_EVERY > 0 the store folds only when asked: after every FOLD_EVERY questions
the script prints `folding`, folds the answers since the last fold, and prints `folded N`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from bot.store import AnswerRecord, Store

LIMIT = 100_000  # a bound in case nobody kills the process


async def main(path: str, concurrency: int, fold_every: int = 0) -> None:
    if fold_every:
        store = await Store.open(path, fold_delay=None, fold_backlog=10**9)
    else:
        store = await Store.open(path)
    print(f"aborted {' '.join(map(str, store.aborted_at_open))}", flush=True)
    game_id = await store.games.start(1, 2, "news", "buttons", None, 3, LIMIT)
    print(f"game {game_id}", flush=True)

    async def one(index: int, user_id: int) -> None:
        record = AnswerRecord(
            game_id, index, 1, user_id, f"u{user_id}", f"q{index % 40}", f"f{index % 40}",
            ("politics", "economy")[index % 2], "news", "A", user_id % 3 == 0,
            (user_id % 7) * 10, 1000, index % 5, datetime.now(UTC),
        )  # fmt: skip
        await store.answers.record(record)
        print(f"ack {game_id} {index} {user_id}", flush=True)

    for index in range(LIMIT):
        await store.games.ask(game_id, index, f"q{index % 40}", f"f{index % 40}", "politics")
        await asyncio.gather(*(one(index, 1000 + u) for u in range(concurrency)))
        if fold_every and (index + 1) % fold_every == 0:
            print("folding", flush=True)
            print(f"folded {await store.fold()}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], *map(int, sys.argv[2:])))
