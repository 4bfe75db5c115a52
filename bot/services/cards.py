"""Review cards: every answer a player gives about a fact is one FSRS review of their card.

An answer — in a server game, the terminal, `/practice` or `/review` — is rated (`rating_for`),
the card rescheduled (`schedule`), saved, and the review logged with its source ("game",
"practice" or "review"). Nothing here imports discord.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Set
from datetime import datetime

from bot.core.clock import Clock
from bot.core.models import Bank, Question
from bot.core.review import (
    Rating,
    Scheduled,
    rating_for,
    review_queue,
    schedule,
)
from bot.core.scoring import RoundResult
from bot.services.facts import facts_of
from bot.store import CardRow, ReviewRecord, Store

log = logging.getLogger(__name__)

REVIEW_COUNT = 10
_ROUNDS_REMEMBERED = 512


def reschedule(card_json: str | None, review: ReviewRecord) -> CardRow:
    """Schedule one review (pure FSRS) and return the card to store; the store calls this."""
    return _card_of(_schedule(card_json, review), review)


def _reschedule_now(card_json: str | None, review: ReviewRecord) -> CardRow:
    return reschedule(card_json, review)


def _schedule(card_json: str | None, review: ReviewRecord) -> Scheduled:
    return schedule(card_json, Rating(review.rating), review.reviewed_at, kind=review.kind)


def _card_of(done: Scheduled, review: ReviewRecord) -> CardRow:
    return CardRow(
        user_id=review.user_id,
        bank=review.bank,
        fact_id=review.fact_id,
        card_json=done.card_json,
        due=done.due,
        level=done.level,
        reps=done.reps,
        lapses=done.lapses,
        updated_at=review.reviewed_at,
    )


class Cards:
    """Each player's review cards: rescheduled after every answer, read for what is due.

    Every card's read-modify-write runs inside the store's single writer transaction (the
    store calls `reschedule`), so a round and a review session answering about the same fact
    at the same time cannot overwrite each other, and no per-player lock is needed.
    """

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._rounds: OrderedDict[int, RoundResult] = OrderedDict()

    async def review(  # noqa: PLR0917 - one review is naturally this many facts
        self,
        user_id: int,
        guild_id: int,
        bank_slug: str,
        question: Question,
        rating: Rating,
        correct: bool,
        source: str,
    ) -> Scheduled:
        """Reschedule a player's card for a question's fact after one answer; log the review."""
        now = self.clock.now()
        review = ReviewRecord(
            user_id=user_id, guild_id=guild_id, bank=bank_slug, fact_id=question.fact_id,
            rating=int(rating), correct=correct, reviewed_at=now, source=source,
            kind=str(question.kind) if question.kind is not None else None,
        )  # fmt: skip
        outcome: list[Scheduled] = []

        def keep(card_json: str | None, r: ReviewRecord) -> CardRow:
            # The caller wants the scheduler's view too (whether the fact is now mastered).
            done = _schedule(card_json, r)
            outcome.append(done)
            return _card_of(done, r)

        await self.store.cards.review_many([review], keep)
        return outcome[-1]

    def round_reviews(
        self, guild_id: int, bank_slug: str, result: RoundResult, seconds: float
    ) -> list[ReviewRecord]:
        """Return the review each answer of a closed round makes, in the entries' order."""
        if result.skipped:
            return []
        now = self.clock.now()
        q = result.question
        kind = str(q.kind) if q.kind is not None else None
        reviews: list[ReviewRecord] = []
        for entry in result.entries:
            how = "exact" if entry.exact else "typo"
            rating = rating_for(entry.correct, how, entry.elapsed, seconds)
            reviews.append(
                ReviewRecord(
                    user_id=entry.player_id, guild_id=guild_id, bank=bank_slug,
                    fact_id=q.fact_id, rating=int(rating), correct=entry.correct,
                    reviewed_at=now, source="game", kind=kind,
                ),
            )  # fmt: skip
        return reviews

    async def record_round(
        self, guild_id: int, bank_slug: str, result: RoundResult, seconds: float
    ) -> int:
        """Review the round's fact for every player who answered; return how many cards moved.

        The same result object is applied once only, however often it is passed. All the
        cards are read, rescheduled and written in one transaction.
        """
        if result.skipped or not result.entries:
            return 0
        key = id(result)
        if self._rounds.get(key) is result:
            return 0
        self._rounds[key] = result
        while len(self._rounds) > _ROUNDS_REMEMBERED:
            self._rounds.popitem(last=False)
        reviews = self.round_reviews(guild_id, bank_slug, result, seconds)
        try:
            # Looked up at call time, so the scheduling can be swapped as a whole.
            return len(await self.store.cards.review_many(reviews, _reschedule_now))
        except Exception:
            log.exception("review cards of a round in guild %s failed", guild_id)
            return 0

    async def next_due(self, user_id: int, bank_slug: str | None = None) -> datetime | None:
        """Return when the player's next card falls due (None without cards)."""
        cards = await self.store.cards.for_user(user_id, bank_slug)
        return min((c.due for c in cards), default=None)

    async def bank_to_review(self, user_id: int, banks: Mapping[str, Bank]) -> Bank | None:
        """Return the bank with most of the player's facts due, else the first with unseen facts."""
        if not banks:
            return None
        now = self.clock.now()
        due: dict[str, int] = {}
        seen: dict[str, int] = {}
        for card in await self.store.cards.for_user(user_id):
            seen[card.bank] = seen.get(card.bank, 0) + 1
            if card.due <= now:
                due[card.bank] = due.get(card.bank, 0) + 1
        ordered = sorted(banks)
        most_due = max(ordered, key=lambda slug: due.get(slug, 0))
        if due.get(most_due):
            return banks[most_due]
        for slug in ordered:
            if seen.get(slug, 0) < len(facts_of(banks[slug])):
                return banks[slug]
        return banks[ordered[0]]

    async def review_questions(
        self,
        user_id: int,
        bank: Bank,
        topic: str | None = None,
        count: int = REVIEW_COUNT,
        hidden: Set[str] = frozenset(),
    ) -> list[Question]:
        """Return the questions a review would ask now: due facts first, then unseen ones.

        Facts in `hidden` (fact ids a live game is asking right now) wait for a later review.
        """
        cards = await self.store.cards.for_user(user_id, bank.slug)
        questions = [q for q in bank.questions if q.fact_id not in hidden]
        return review_queue(questions, cards, self.clock.now(), count, topic)
