"""Review cards: every answer a player gives about a fact is one FSRS review of their card.

An answer — in a server game, the terminal, `/practice` or `/review` — is rated (`rating_for`),
the card rescheduled (`schedule`), saved, and the review logged with its source ("game",
"practice" or "review"). Nothing here imports discord.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Mapping, Set
from datetime import datetime

from bot.core.clock import Clock
from bot.core.models import Bank, Question
from bot.core.review import Rating, Scheduled, rating_for, review_queue, schedule
from bot.core.scoring import RoundResult
from bot.services.facts import facts_of
from bot.store import CardRow, Store

log = logging.getLogger(__name__)

REVIEW_COUNT = 10
_ROUNDS_REMEMBERED = 512
_MAX_IDLE_LOCKS = 10_000


class Cards:
    """Each player's review cards: rescheduled after every answer, read for what is due."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._locks: dict[int, asyncio.Lock] = {}
        self._rounds: OrderedDict[int, RoundResult] = OrderedDict()

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            if len(self._locks) > _MAX_IDLE_LOCKS:
                # Idle locks are cheap to recreate; drop them so the table stays small.
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[user_id] = asyncio.Lock()
        return lock

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
        store = self.store
        # One read-modify-write per player at a time: a game round and a review session
        # answering about the same fact must not overwrite each other's card.
        async with self._lock(user_id):
            now = self.clock.now()
            card = await store.cards.get(user_id, bank_slug, question.fact_id)
            done = schedule(card.card_json if card else None, rating, now, kind=question.kind)
            await store.cards.save(
                CardRow(
                    user_id=user_id,
                    bank=bank_slug,
                    fact_id=question.fact_id,
                    card_json=done.card_json,
                    due=done.due,
                    level=done.level,
                    reps=done.reps,
                    lapses=done.lapses,
                    updated_at=now,
                )
            )
            await store.cards.record_review(
                user_id, bank_slug, question.fact_id, int(rating), correct, now, source, guild_id
            )
        return done

    async def record_round(
        self, guild_id: int, bank_slug: str, result: RoundResult, seconds: float
    ) -> int:
        """Review the round's fact for every player who answered; return how many cards moved.

        The same result object is applied once only, however often it is passed; one player's
        failed write is logged and never costs the others their reviews.
        """
        if result.skipped or not result.entries:
            return 0
        key = id(result)
        if self._rounds.get(key) is result:
            return 0
        self._rounds[key] = result
        while len(self._rounds) > _ROUNDS_REMEMBERED:
            self._rounds.popitem(last=False)
        moved = 0
        for entry in result.entries:
            how = "exact" if entry.exact else "typo"
            rating = rating_for(entry.correct, how, entry.elapsed, seconds)
            try:
                await self.review(
                    entry.player_id, guild_id, bank_slug, result.question, rating,
                    entry.correct, "game",
                )  # fmt: skip
                moved += 1
            except Exception:
                log.exception("review card of %s after a round failed", entry.player_id)
        return moved

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
