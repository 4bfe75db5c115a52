"""Apply many card reviews in the writer's transaction: read every card once, write in batches.

The scheduling itself is the caller's (`Reschedule`): the store only reads the cards the reviews
touch, hands each to the callback in order, and writes the new cards and the review log with one
`executemany` each. Running inside the single writer's transaction, a review can never overwrite
another written between its read and its write.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
_CARD_UPSERT = """ON CONFLICT (user_id, bank, fact_id) DO UPDATE SET
    card_json = excluded.card_json,
    due = excluded.due,
    level = excluded.level,
    reps = excluded.reps,
    lapses = excluded.lapses,
    updated_at = excluded.updated_at,
    learned_at = COALESCE(cards.learned_at, excluded.learned_at)
"""
SAVE_CARD = f"""
INSERT INTO cards ({CARD_COLUMNS}, learned_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?6 >= {LEARNED_LEVEL} THEN CAST(?9 AS BIGINT) END)
{_CARD_UPSERT}"""
INSERT_REVIEW = """
INSERT INTO reviews (user_id, guild_id, bank, fact_id, rating, correct, reviewed_at, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
# A round reviews one fact for many players: look their cards up by primary key in one query.
_CARDS_OF = """
SELECT user_id, card_json FROM cards
WHERE bank = ? AND fact_id = ? AND user_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
"""

# SQLite: a batch in one statement, its rows a JSON array. Run row by row (`executemany`), each
# row is a statement of its own, and in a big transaction each statement's journal costs more
# than the row: 1,000 reviews took 50 ms that way and 5 ms this way, on a 1M-answer database.
_ROW = "json_extract(value, '$[{}]')"
_SAVE_CARDS_JSON = f"""
INSERT INTO cards ({CARD_COLUMNS}, learned_at)
SELECT {", ".join(_ROW.format(i) for i in range(10))} FROM json_each(?) WHERE true
{_CARD_UPSERT}"""
_INSERT_REVIEWS_JSON = f"""
INSERT INTO reviews (user_id, guild_id, bank, fact_id, rating, correct, reviewed_at, source)
SELECT {", ".join(_ROW.format(i) for i in range(8))} FROM json_each(?) ORDER BY key
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


CardKey = tuple[int, str, str]


async def read_cards(db: Conn, reviews: Sequence[ReviewRecord]) -> dict[CardKey, str | None]:
    """Return the stored state of every card the reviews touch (absent: never reviewed)."""
    state: dict[CardKey, str | None] = {}
    if isinstance(db, PgConn):
        # Over the network each query is a round trip: every card the reviews touch at once.
        keys = sorted({(r.user_id, r.bank, r.fact_id) for r in reviews})
        users, banks, facts = (list(column) for column in zip(*keys, strict=True))
        for user_id, bank, fact_id, card_json in await db.raw.fetch(_PG_CARDS, users, banks, facts):
            state[(int(user_id), bank, fact_id)] = card_json
        return state
    wanted: dict[tuple[str, str], set[int]] = {}
    for r in reviews:
        wanted.setdefault((r.bank, r.fact_id), set()).add(r.user_id)
    for (bank, fact_id), users in wanted.items():
        rows = await db.execute_fetchall(_CARDS_OF, (bank, fact_id, json.dumps(sorted(users))))
        for user_id, card_json in rows:
            state[(int(user_id), bank, fact_id)] = card_json
    return state


def schedule_cards(
    reviews: Sequence[ReviewRecord], stored: dict[CardKey, str | None], reschedule: Reschedule
) -> list[CardRow]:
    """Return each review's card after it, in order; `stored` is left as it was."""
    state = dict(stored)
    cards: list[CardRow] = []
    for r in reviews:
        key = (r.user_id, r.bank, r.fact_id)
        card = reschedule(state.get(key), r)
        state[key] = card.card_json
        cards.append(card)
    return cards


@dataclass(slots=True)
class Ahead:
    """A closed round's reviews, their cards read, to be scheduled beside the aggregates' upsert.

    The cards are read at the start of the writer's transaction, and nothing but the reviews
    writes them before the end of it, so the schedule stands for exactly these reviews (the
    same objects in the same order); `apply_reviews` uses it then, and schedules anew if the
    answers' results left some reviews out.

    `start` runs the scheduling in a worker thread. The writer calls it just before its longest
    statement (the aggregates' upsert, some 17 ms for 1,000 players, all inside SQLite, which
    holds no Python lock meanwhile), so the two run side by side. Started earlier, the thread
    would hold Python's lock while the writer's short statements wait up to 5 ms each for it.
    """

    reviews: list[ReviewRecord]
    stored: dict[CardKey, str | None]
    reschedule: Reschedule
    work: asyncio.Future[list[CardRow]] | None = None

    def start(self) -> None:
        """Start scheduling in a worker thread, once."""
        if self.work is None:
            self.work = asyncio.ensure_future(
                asyncio.to_thread(schedule_cards, self.reviews, self.stored, self.reschedule)
            )

    async def cards(self) -> list[CardRow]:
        """Return each review's card after it (starting the schedule if nobody did)."""
        self.start()
        assert self.work is not None
        return await self.work

    def serves(self, reviews: Sequence[ReviewRecord]) -> bool:
        """Return whether the schedule was made for exactly these reviews."""
        return len(reviews) == len(self.reviews) and all(
            a is b for a, b in zip(reviews, self.reviews, strict=True)
        )

    def covers(self, reviews: Sequence[ReviewRecord]) -> bool:
        """Return whether every one of these reviews was read ahead (its card is in `stored`)."""
        mine = {id(r) for r in self.reviews}
        return all(id(r) in mine for r in reviews)

    async def settle(self) -> None:
        """Wait for the worker thread, if started (its result or error is no longer wanted)."""
        if self.work is not None:
            with contextlib.suppress(Exception):
                await self.work


async def read_ahead(db: Conn, reviews: list[ReviewRecord], reschedule: Reschedule) -> Ahead | None:
    """Read the reviews' cards, to be scheduled beside the aggregates' upsert; None if small."""
    if len(reviews) < THREADED_REVIEWS:
        return None
    return Ahead(reviews, await read_cards(db, reviews), reschedule)


async def apply_reviews(
    db: Conn,
    reviews: Sequence[ReviewRecord],
    reschedule: Reschedule,
    ahead: Ahead | None = None,
) -> list[CardRow]:
    """Reschedule and save every review's card and log the reviews; return the new cards.

    Reviews of one card in the same call are applied in order, each seeing the one before.
    `ahead`, scheduled earlier in the same transaction, is used when it covers these reviews.
    """
    if not reviews:
        return []
    if ahead is not None and ahead.serves(reviews):
        cards = await ahead.cards()
    else:
        covered = ahead is not None and ahead.covers(reviews)
        stored = ahead.stored if ahead is not None and covered else await read_cards(db, reviews)
        # A big round's scheduling (about 15 ms per 1,000 cards) runs in a worker thread so
        # the event loop keeps serving; the writer still waits for it, in the same transaction.
        if len(reviews) >= THREADED_REVIEWS:
            cards = await asyncio.to_thread(schedule_cards, reviews, stored, reschedule)
        else:
            cards = schedule_cards(reviews, stored, reschedule)
    # Written in key order: two processes saving the same cards lock them in one order.
    # (A stable sort: two reviews of one card are still saved in the order they were made.)
    ordered = sorted(cards, key=lambda c: (c.user_id, c.bank, c.fact_id))
    if isinstance(db, PgConn):
        await db.executemany(SAVE_CARD, [card_params(c) for c in ordered])
        await db.executemany(INSERT_REVIEW, [review_params(r) for r in reviews])
    else:
        await db.execute(_SAVE_CARDS_JSON, (json.dumps(_latest_cards(ordered)),))
        await db.execute(_INSERT_REVIEWS_JSON, (json.dumps([review_params(r) for r in reviews]),))
    return cards


def _latest_cards(ordered: list[CardRow]) -> list[tuple[Any, ...]]:
    """Return one row per card, its last state, with the first time this batch learned it.

    One statement writes each card once, so a card reviewed twice in the batch keeps when it
    first reached LEARNED_LEVEL even if the later review dropped it below.
    """
    rows: dict[tuple[int, str, str], tuple[Any, ...]] = {}
    learned: dict[tuple[int, str, str], int] = {}
    for card in ordered:
        key = (card.user_id, card.bank, card.fact_id)
        params = card_params(card)
        rows[key] = params
        if card.level >= LEARNED_LEVEL:
            learned.setdefault(key, params[8])
    return [(*params, learned.get(key)) for key, params in rows.items()]
