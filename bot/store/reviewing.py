"""Apply many card reviews in the writer's transaction: read every card once, write in batches.

The scheduling itself is the caller's (`Reschedule`): the store only reads the cards the reviews
touch, hands each to the callback in order, and writes the new cards and the review log with one
`executemany` each. Running inside the single writer's transaction, a review can never overwrite
another written between its read and its write.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

from bot.store.conn import Conn, PgConn
from bot.store.records import CardRow, ReviewRecord
from bot.store.utc import to_ms

LEARNED_LEVEL = 2
#: From this many reviews in one write, scheduling runs off the event loop.
THREADED_REVIEWS = 64

#: Given a card's stored state (None: never reviewed) and a review, return the card after it.
Reschedule = Callable[[str | None, ReviewRecord], CardRow]

CARD_COLUMNS = "user_id, bank, fact_id, card_json, due, level, reps, lapses, updated_at"
# learned_at keeps the first time a card reached LEARNED_LEVEL, whatever happens to it later.
SAVE_CARD = f"""
INSERT INTO cards ({CARD_COLUMNS}, learned_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?6 >= {LEARNED_LEVEL} THEN CAST(?9 AS BIGINT) END)
ON CONFLICT (user_id, bank, fact_id) DO UPDATE SET
    card_json = excluded.card_json,
    due = excluded.due,
    level = excluded.level,
    reps = excluded.reps,
    lapses = excluded.lapses,
    updated_at = excluded.updated_at,
    learned_at = COALESCE(cards.learned_at, excluded.learned_at)
"""
INSERT_REVIEW = """
INSERT INTO reviews (user_id, guild_id, bank, fact_id, rating, correct, reviewed_at, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
# A round reviews one fact for many players: look their cards up by primary key in one query.
_CARDS_OF = """
SELECT user_id, card_json FROM cards
WHERE bank = ? AND fact_id = ? AND user_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
"""

_PG_CARDS = """
SELECT c.user_id, c.bank, c.fact_id, c.card_json
FROM unnest($1::bigint[], $2::text[], $3::text[]) AS k (user_id, bank, fact_id)
JOIN cards AS c ON c.user_id = k.user_id AND c.bank = k.bank AND c.fact_id = k.fact_id
"""


def card_params(card: CardRow) -> tuple[Any, ...]:
    """Return a card's values in SAVE_CARD's order."""
    return (
        card.user_id,
        card.bank,
        card.fact_id,
        card.card_json,
        to_ms(card.due),
        card.level,
        card.reps,
        card.lapses,
        to_ms(card.updated_at),
    )


def review_params(r: ReviewRecord) -> tuple[Any, ...]:
    """Return a review's values in INSERT_REVIEW's order."""
    return (
        r.user_id, r.guild_id, r.bank, r.fact_id, r.rating, int(r.correct),
        to_ms(r.reviewed_at), r.source,
    )  # fmt: skip


async def apply_reviews(
    db: Conn, reviews: Sequence[ReviewRecord], reschedule: Reschedule
) -> list[CardRow]:
    """Reschedule and save every review's card and log the reviews; return the new cards.

    Reviews of one card in the same call are applied in order, each seeing the one before.
    """
    if not reviews:
        return []
    wanted: dict[tuple[str, str], set[int]] = {}
    for r in reviews:
        wanted.setdefault((r.bank, r.fact_id), set()).add(r.user_id)
    state: dict[tuple[int, str, str], str | None] = {}
    if isinstance(db, PgConn):
        # Over the network each query is a round trip: every card the reviews touch at once.
        keys = sorted({(r.user_id, r.bank, r.fact_id) for r in reviews})
        users, banks, facts = (list(column) for column in zip(*keys, strict=True))
        for user_id, bank, fact_id, card_json in await db.raw.fetch(_PG_CARDS, users, banks, facts):
            state[(int(user_id), bank, fact_id)] = card_json
    else:
        for (bank, fact_id), users in wanted.items():
            rows = await db.execute_fetchall(_CARDS_OF, (bank, fact_id, json.dumps(sorted(users))))
            for user_id, card_json in rows:
                state[(int(user_id), bank, fact_id)] = card_json

    def schedule_all() -> list[CardRow]:
        cards: list[CardRow] = []
        for r in reviews:
            key = (r.user_id, r.bank, r.fact_id)
            card = reschedule(state.get(key), r)
            state[key] = card.card_json
            cards.append(card)
        return cards

    # A big round's scheduling (about 13 ms per 1,000 cards) runs in a worker thread so the
    # event loop keeps serving; the writer still waits for it, inside the same transaction.
    if len(reviews) >= THREADED_REVIEWS:
        cards = await asyncio.to_thread(schedule_all)
    else:
        cards = schedule_all()
    # Written in key order: two processes saving the same cards lock them in one order.
    # (A stable sort: two reviews of one card are still saved in the order they were made.)
    ordered = sorted(cards, key=lambda c: (c.user_id, c.bank, c.fact_id))
    await db.executemany(SAVE_CARD, [card_params(c) for c in ordered])
    await db.executemany(INSERT_REVIEW, [review_params(r) for r in reviews])
    return cards
