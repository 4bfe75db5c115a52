"""Spaced review: one card per player and (bank, fact), the review log, learning boards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.store.conn import Conn, Row
from bot.store.database import Database
from bot.store.records import CardRow, ReviewRecord
from bot.store.reviewing import (
    CARD_COLUMNS,
    INSERT_REVIEW,
    LEARNED_LEVEL,
    SAVE_CARD,
    Reschedule,
    apply_reviews,
    card_params,
)
from bot.store.utc import DAY_MS, from_ms, to_ms

__all__ = ["LEARNED_LEVEL", "CardsRepo"]

WEEK_MS = 7 * DAY_MS

_CARD_COLUMNS = CARD_COLUMNS
_REVIEW_DAYS = f"""
SELECT day FROM (
    SELECT reviewed_at / {DAY_MS} AS day FROM reviews WHERE user_id = :user
    UNION
    SELECT answered_at / {DAY_MS} AS day FROM answers WHERE user_id = :user
) AS days
ORDER BY day DESC
"""
_FACTS_LEARNED = """
WITH touched AS (
    SELECT DISTINCT user_id, bank, fact_id FROM reviews
    WHERE guild_id = :guild AND reviewed_at >= :since
)
SELECT t.user_id, COALESCE(p.name, CAST(t.user_id AS TEXT)), COUNT(*) AS learned
FROM touched AS t
JOIN cards AS c ON c.user_id = t.user_id AND c.bank = t.bank AND c.fact_id = t.fact_id
LEFT JOIN players AS p ON p.user_id = t.user_id
WHERE c.learned_at >= :since
GROUP BY t.user_id, p.name
ORDER BY learned DESC, t.user_id
LIMIT :limit
"""
# The same board, kept ready by triggers (migration 0006) for all time and for each ISO week.
_FACTS_LEARNED_READY = """
SELECT f.user_id, COALESCE(p.name, CAST(f.user_id AS TEXT)), f.learned
FROM facts_learned AS f
LEFT JOIN players AS p ON p.user_id = f.user_id
WHERE f.guild_id = :guild AND f.since = :since
ORDER BY f.learned DESC, f.user_id
LIMIT :limit
"""
_MONDAY_MS = 4 * DAY_MS  # 1970-01-05, the first Monday after the epoch
_WEEKLY_REVIEWS = f"""
SELECT (reviewed_at - :start) / {WEEK_MS} AS week, COUNT(*)
FROM reviews
WHERE user_id = :user AND reviewed_at >= :start AND reviewed_at < :end
GROUP BY week
"""
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _card(row: Row) -> CardRow:
    return CardRow(
        user_id=row[0],
        bank=row[1],
        fact_id=row[2],
        card_json=row[3],
        due=from_ms(row[4]),
        level=row[5],
        reps=row[6],
        lapses=row[7],
        updated_at=from_ms(row[8]),
    )


class CardsRepo:
    """Read and write review cards and the review log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int, bank: str, fact_id: str) -> CardRow | None:
        """Return a player's card for one fact, or None."""
        rows = await self._db.fetchall(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE user_id = ? AND bank = ? AND fact_id = ?",
            (user_id, bank, fact_id),
        )
        return _card(rows[0]) if rows else None

    async def save(self, card: CardRow) -> None:
        """Insert or replace a card (the first time it reaches level 2 is kept)."""
        params = card_params(card)

        async def op(db: Conn) -> None:
            await db.execute(SAVE_CARD, params)

        await self._db.write(op)

    async def review_many(
        self, reviews: list[ReviewRecord], reschedule: Reschedule
    ) -> list[CardRow]:
        """Apply reviews in one write: read each card, reschedule it, save it, log the review.

        The read and the write happen in the writer's transaction, so two reviews of one card
        (a game round and a `/review` session at once) never overwrite each other.
        """
        if not reviews:
            return []

        async def op(db: Conn) -> list[CardRow]:
            return await apply_reviews(db, reviews, reschedule)

        return await self._db.write(op)

    async def due(
        self, user_id: int, now: datetime, bank: str | None = None, limit: int = 20
    ) -> list[CardRow]:
        """Return a player's cards due at `now`, most overdue first."""
        bank_filter = "" if bank is None else "AND bank = :bank"
        rows = await self._db.fetchall(
            f"""SELECT {_CARD_COLUMNS} FROM cards
                WHERE user_id = :user AND due <= :now {bank_filter}
                ORDER BY due, bank, fact_id LIMIT :limit""",
            {"user": user_id, "now": to_ms(now), "bank": bank, "limit": limit},
        )
        return [_card(row) for row in rows]

    async def for_user(self, user_id: int, bank: str | None = None) -> list[CardRow]:
        """Return all of a player's cards (of one bank if given), by bank and fact."""
        bank_filter = "" if bank is None else "AND bank = :bank"
        rows = await self._db.fetchall(
            f"""SELECT {_CARD_COLUMNS} FROM cards WHERE user_id = :user {bank_filter}
                ORDER BY bank, fact_id""",
            {"user": user_id, "bank": bank},
        )
        return [_card(row) for row in rows]

    async def record_review(  # noqa: PLR0917 - the agreed positional API
        self,
        user_id: int,
        bank: str,
        fact_id: str,
        rating: int,
        correct: bool,
        reviewed_at: datetime,
        source: str,
        guild_id: int = 0,
    ) -> None:
        """Log one review of a fact (quiz answer or practice) for streaks and learning boards."""
        params = (
            user_id,
            guild_id,
            bank,
            fact_id,
            rating,
            int(correct),
            to_ms(reviewed_at),
            source,
        )

        async def op(db: Conn) -> None:
            await db.execute(INSERT_REVIEW, params)

        await self._db.write(op)

    async def review_days(self, user_id: int) -> list[date]:
        """Return the distinct UTC days on which a player reviewed or answered, newest first."""
        rows = await self._db.fetchall(_REVIEW_DAYS, {"user": user_id})
        return [date.fromordinal(_EPOCH_DAY + row[0]) for row in rows]

    async def weekly_reviews(
        self, user_id: int, now: datetime, weeks: int = 8
    ) -> list[tuple[date, int]]:
        """Return (Monday, reviews) for the `weeks` ISO weeks (UTC) up to `now`'s, oldest first.

        Weeks without a review are there with 0, so a chart has one column per week.
        """
        if weeks < 1:
            raise ValueError("weeks must be positive")
        today = now.astimezone(UTC).date()
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=weeks - 1)
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        params = {"user": user_id, "start": to_ms(start), "end": to_ms(start) + weeks * WEEK_MS}
        rows = await self._db.fetchall(_WEEKLY_REVIEWS, params)
        counts = {int(week): int(n) for week, n in rows}
        return [(first + timedelta(weeks=i), int(counts.get(i, 0))) for i in range(weeks)]

    async def learned_board(
        self, guild_id: int, since: datetime, limit: int = 10
    ) -> list[tuple[int, str, int]]:
        """Return (user id, name, facts learned) for the players who learned most since `since`.

        A fact counts for a player when their card for it first reached level 2 at or after
        `since` (the card's `updated_at` when saved at that level) and they reviewed that fact
        in this guild at or after `since`. Ties are ordered by user id.
        """
        since_ms = to_ms(since)
        # All time and a week from its Monday are kept ready; any other moment is computed.
        ready = since_ms == 0 or (since_ms - _MONDAY_MS) % WEEK_MS == 0
        rows = await self._db.fetchall(
            _FACTS_LEARNED_READY if ready else _FACTS_LEARNED,
            {"guild": guild_id, "since": since_ms, "limit": limit},
        )
        return [(row[0], row[1], row[2]) for row in rows]
