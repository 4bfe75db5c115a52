"""Pictures drawn at once on several threads come out exactly as drawn one by one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial

from bot.pictures import (
    BoardCard,
    BoardRow,
    Podium,
    PodiumPlace,
    Progress,
    TopicProgress,
    WeekReviews,
    leaderboard_png,
    podium_png,
    progress_png,
)

NAMES = ("Јована", "Gülşən 🦄", "Ağa İsmayıl", "Marko 🇷🇸", "Zoë", "Đorđe", "Nina 👍🏽", "Elnur")


def _jobs() -> list[Callable[[], bytes]]:
    jobs: list[Callable[[], bytes]] = []
    for i, name in enumerate(NAMES):
        places = [PodiumPlace(r, NAMES[(i + r) % len(NAMES)], 1000 - 100 * r) for r in (1, 2, 3)]
        rows = [
            BoardRow(r + 1, NAMES[(i + r) % len(NAMES)], 900 - r, 0.5, r == i) for r in range(8)
        ]
        topics = [TopicProgress(f"{name} topic {t}", 5 + t, t, t + 1) for t in range(4)]
        weeks = [WeekReviews(date(2026, 1, 5) + timedelta(weeks=w), w * i) for w in range(8)]
        jobs += [
            partial(podium_png, Podium(f"Bank {name}", places, topic=name)),
            partial(leaderboard_png, BoardCard(f"Board {name}", rows)),
            partial(progress_png, Progress(name, topics, weeks)),
        ]
    return jobs


def test_concurrent_drawing_gives_the_same_bytes_as_serial_drawing() -> None:
    jobs = _jobs()
    serial = [job() for job in jobs]
    assert len(set(serial)) == len(jobs), "every input draws a different picture"
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(2):
            parallel = list(pool.map(lambda job: job(), jobs))
            assert parallel == serial


async def test_pictures_drawn_through_asyncio_to_thread() -> None:
    jobs = _jobs()
    serial = [job() for job in jobs]
    assert await asyncio.gather(*(asyncio.to_thread(job) for job in jobs)) == serial
