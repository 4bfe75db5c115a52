"""The facts-learned board kept ready by triggers equals the board computed from the reviews."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.storekit import FakeClock

from bot.store import CardRow, ReviewRecord, Store, migrate, to_ms
from bot.store.cards import _FACTS_LEARNED

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _level_up(card_json: str | None, review: ReviewRecord) -> CardRow:
    """A stand-in scheduler: two right answers in a row make a card learned (level 2)."""
    level = 0 if card_json is None else int(card_json)
    level = level + 1 if review.correct else 0
    return CardRow(review.user_id, review.bank, review.fact_id, str(level),
                   review.reviewed_at, level, 1, 0, review.reviewed_at)  # fmt: skip


def _scanned(path: Path, guild: int, since: datetime) -> list[tuple[int, str, int]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(_FACTS_LEARNED, {"guild": guild, "since": to_ms(since), "limit": 50})
        return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        conn.close()


async def _scan(store: Store, guild: int, since: datetime) -> list[tuple[int, str, int]]:
    """The board computed from the reviews, by the store's own connection (either backend)."""
    params = {"guild": guild, "since": to_ms(since), "limit": 50}
    return [
        (int(r[0]), str(r[1]), int(r[2])) for r in await store.db.fetchall(_FACTS_LEARNED, params)
    ]


async def _play(store: Store, rng: random.Random, start: datetime, n: int) -> None:
    for i in range(n):
        at = start + timedelta(hours=3 * i + rng.randrange(3))
        user, guild = rng.randrange(1, 6), rng.choice((9, 10))
        reviews = [ReviewRecord(user, guild, rng.choice(("news", "sport")), f"f{rng.randrange(4)}",
                                3, rng.random() < 0.7, at, "game")]  # fmt: skip
        await store.cards.review_many(reviews, _level_up)


@pytest.mark.parametrize("seed", range(6))
async def test_the_ready_board_equals_the_scan(db_url: str, clock: FakeClock, seed: int) -> None:
    rng = random.Random(seed)
    store = await Store.open(db_url, clock=clock)
    try:
        # From the week before to the end of this one: a week board is read during its week.
        await _play(store, rng, MONDAY - timedelta(days=10), 130)
        for guild in (9, 10):
            for since in (EPOCH, MONDAY, MONDAY + timedelta(weeks=1)):
                expected = await _scan(store, guild, since)
                assert await store.cards.learned_board(guild, since, limit=50) == expected
        assert any([await _scan(store, g, MONDAY) for g in (9, 10)])  # the week is not empty
    finally:
        await store.close()


async def test_the_migration_counts_what_was_already_learned(
    db_path: Path, clock: FakeClock
) -> None:
    await migrate(db_path, target=5)
    conn = sqlite3.connect(db_path)
    rows = [(1, 9, "news", "f1", 3, 1, to_ms(MONDAY + timedelta(hours=h)), "game") for h in (1, 5)]
    rows.append((2, 9, "news", "f1", 3, 1, to_ms(MONDAY - timedelta(days=3)), "game"))
    conn.executemany(
        """INSERT INTO reviews (user_id, guild_id, bank, fact_id, rating, correct, reviewed_at,
                                source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows)  # fmt: skip
    for user, learned in ((1, MONDAY + timedelta(hours=5)), (2, MONDAY - timedelta(days=3))):
        conn.execute(
            """INSERT INTO cards VALUES (?, 'news', 'f1', '2', 0, 2, 2, 0, 0, ?)""",
            (user, to_ms(learned)),
        )
    conn.commit()
    conn.close()
    store = await Store.open(db_path, clock=clock)
    try:
        assert await store.cards.learned_board(9, EPOCH) == [(1, "1", 1), (2, "2", 1)]
        assert await store.cards.learned_board(9, MONDAY) == [(1, "1", 1)]
        assert await store.cards.learned_board(9, MONDAY) == _scanned(db_path, 9, MONDAY)
    finally:
        await store.close()
