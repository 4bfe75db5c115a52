"""Spaced review for players: cards updated by game rounds, and personal practice/review sessions.

Every answer a player gives about a fact — in a server game, a `/practice` or a `/review` —
becomes one FSRS review of that player's card for the fact (`bot.core.review`): the answer is
rated (`rating_for`), the card rescheduled (`schedule`), saved, and the review logged with its
source ("game", "practice" or "review").

Sessions are personal and held in memory, one per user: starting a new one replaces the old.
A session idles out after `SESSION_IDLE` seconds of the injected clock; a sweeper task (running
only while sessions exist) ends idle ones and tells the adapter through `on_expire`.
Nothing here imports discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.core.models import Bank, Question
from bot.core.practice import CurrentQuestion, PracticeOutcome, PracticeSession, PracticeSummary
from bot.core.review import Rating, Scheduled, rating_for, review_queue, schedule
from bot.core.scoring import RoundResult
from bot.core.selection import pick_questions
from bot.services.learning_facts import facts_of
from bot.store.records import CardRow

log = logging.getLogger(__name__)

# Under the 15-minute life of an interaction token, so the session's message can still be
# edited to say it ended.
SESSION_IDLE = 600.0
SWEEP_EVERY = 60.0
# Self-paced questions: long enough to read a prompt and type in a modal, short enough that
# speed still tells an easy recall from a hard one.
SECONDS_PER_QUESTION = 60.0
DEFAULT_ROUND_SECONDS = 20.0
PRACTICE_COUNT = 5
REVIEW_COUNT = 10
_ROUNDS_REMEMBERED = 512


class SessionKind(StrEnum):
    """Which command opened a session; also the `source` of its reviews."""

    PRACTICE = "practice"
    REVIEW = "review"


@dataclass(eq=False)
class LearnSession:
    """One player's private run through a few questions of one bank."""

    session_id: str
    user_id: int
    guild_id: int
    kind: SessionKind
    bank: Bank
    core: PracticeSession
    last_active: float
    topic: str | None = None
    #: What the adapter needs to update the session's message when it idles out.
    handle: Any = None
    #: The card of each fact after its answer this session (for "next review" lines).
    scheduled: dict[str, Scheduled] = field(default_factory=dict)

    @property
    def current(self) -> CurrentQuestion | None:
        """Return the open question, or None once the session is over."""
        return self.core.current

    def summary(self) -> PracticeSummary:
        """Return the score so far."""
        return self.core.summary()


OnExpire = Callable[[LearnSession], Awaitable[None]]


class LearningService:
    """Review cards and the live personal sessions of one bot (`host` has `store` and `clock`)."""

    def __init__(self, host: Any, *, idle: float = SESSION_IDLE) -> None:
        self.host = host
        self.idle = idle
        self.on_expire: OnExpire | None = None
        self.rng = random.Random()
        self._sessions: dict[int, LearnSession] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._rounds: OrderedDict[int, RoundResult] = OrderedDict()
        self._sweeper: asyncio.Task[None] | None = None

    # -- cards ------------------------------------------------------------------------------
    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            if len(self._locks) > 10_000:
                # Idle locks are cheap to recreate; drop them so the table stays small.
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[user_id] = asyncio.Lock()
        return lock

    async def review_fact(  # noqa: PLR0917 - one review is naturally this many facts
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
        store = self.host.store
        # One read-modify-write per player at a time: a game round and a review session
        # answering about the same fact must not overwrite each other's card.
        async with self._lock(user_id):
            now = self.host.clock.now()
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

        The same result object is applied once only, however often it is passed.
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
                await self.review_fact(
                    entry.player_id, guild_id, bank_slug, result.question, rating,
                    entry.correct, "game",
                )  # fmt: skip
                moved += 1
            except Exception:
                # One player's failed write must not cost the others their reviews.
                log.exception("review card of %s after a round failed", entry.player_id)
        return moved

    async def next_due(self, user_id: int, bank_slug: str | None = None) -> datetime | None:
        """Return when the player's next card falls due (None without cards)."""
        cards = await self.host.store.cards.for_user(user_id, bank_slug)
        return min((c.due for c in cards), default=None)

    # -- sessions ---------------------------------------------------------------------------
    def _new_session(  # noqa: PLR0917 - private; every field of a new session
        self,
        user_id: int,
        guild_id: int,
        kind: SessionKind,
        bank: Bank,
        questions: Sequence[Question],
        topic: str | None,
    ) -> LearnSession:
        self.end(user_id)
        clock = self.host.clock
        session = LearnSession(
            session_id=secrets.token_hex(4),
            user_id=user_id,
            guild_id=guild_id,
            kind=kind,
            bank=bank,
            core=PracticeSession(questions, clock.monotonic, SECONDS_PER_QUESTION),
            last_active=clock.monotonic(),
            topic=topic,
        )
        self._sessions[user_id] = session
        self._ensure_sweeper()
        return session

    async def start_practice(
        self,
        user_id: int,
        guild_id: int,
        bank: Bank,
        topic: str | None = None,
        count: int = PRACTICE_COUNT,
    ) -> LearnSession:
        """Open a practice session of fresh questions (raise NotEnoughQuestionsError if none)."""
        seen = await self.host.store.answers.seen([user_id], bank.slug)
        questions = pick_questions(bank, count, topic=topic, seen=seen, rng=self.rng)
        return self._new_session(user_id, guild_id, SessionKind.PRACTICE, bank, questions, topic)

    async def review_bank(self, user_id: int, banks: Mapping[str, Bank]) -> Bank | None:
        """Return the bank with most of the player's facts due, else the first with unseen facts."""
        if not banks:
            return None
        now = self.host.clock.now()
        due: dict[str, int] = {}
        seen: dict[str, int] = {}
        for card in await self.host.store.cards.for_user(user_id):
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
        self, user_id: int, bank: Bank, topic: str | None = None, count: int = REVIEW_COUNT
    ) -> list[Question]:
        """Return the questions a review would ask now: due facts first, then unseen ones."""
        cards = await self.host.store.cards.for_user(user_id, bank.slug)
        now = self.host.clock.now()
        return review_queue(bank.questions, cards, now, count, topic)

    async def start_review(
        self,
        user_id: int,
        guild_id: int,
        bank: Bank,
        topic: str | None = None,
        count: int = REVIEW_COUNT,
    ) -> LearnSession | None:
        """Open a review session, or return None when nothing is due and nothing is unseen."""
        questions = await self.review_questions(user_id, bank, topic, count)
        if not questions:
            return None
        return self._new_session(user_id, guild_id, SessionKind.REVIEW, bank, questions, topic)

    def session(self, user_id: int, session_id: str) -> LearnSession | None:
        """Return the user's live session with this id (None if ended, replaced or idle)."""
        session = self._sessions.get(user_id)
        if session is None or session.session_id != session_id:
            return None
        if self._idle(session):
            self._sessions.pop(user_id, None)
            return None
        session.last_active = self.host.clock.monotonic()
        return session

    async def answer(
        self, session: LearnSession, choice: int | None = None, text: str | None = None
    ) -> PracticeOutcome:
        """Judge an answer (neither given: a pass) and reschedule the fact's card if it counted."""
        outcome = session.core.answer(choice_index=choice, text=text)
        session.last_active = self.host.clock.monotonic()
        if outcome.recorded and outcome.rating is not None:
            q = outcome.question
            session.scheduled[q.fact_id] = await self.review_fact(
                session.user_id, session.guild_id, session.bank.slug, q, outcome.rating,
                outcome.correct, session.kind.value,
            )  # fmt: skip
        return outcome

    def advance(self, session: LearnSession) -> CurrentQuestion | None:
        """Move to the next question; the session ends (and is forgotten) after the last one."""
        current = session.core.next()
        session.last_active = self.host.clock.monotonic()
        if current is None:
            self._forget(session)
        return current

    def end(self, user_id: int) -> LearnSession | None:
        """End the user's session, if any, and return it."""
        return self._sessions.pop(user_id, None)

    def _forget(self, session: LearnSession) -> None:
        if self._sessions.get(session.user_id) is session:
            del self._sessions[session.user_id]

    def live_sessions(self) -> list[LearnSession]:
        """Return the sessions that are open now."""
        return list(self._sessions.values())

    # -- idle sessions ----------------------------------------------------------------------
    def _idle(self, session: LearnSession) -> bool:
        return self.host.clock.monotonic() - session.last_active >= self.idle

    def _ensure_sweeper(self) -> None:
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(self._sweep(), name="learning-sessions-sweeper")

    async def _sweep(self) -> None:
        """End idle sessions until none are left."""
        while self._sessions:
            await self.host.clock.sleep(min(SWEEP_EVERY, self.idle))
            await self.expire_idle()

    async def expire_idle(self) -> list[LearnSession]:
        """End every idle session and tell the adapter; return them."""
        idle = [s for s in self._sessions.values() if self._idle(s)]
        for session in idle:
            self._forget(session)
            if self.on_expire is not None:
                try:
                    await self.on_expire(session)
                except Exception:
                    log.exception("ending idle session of %s failed", session.user_id)
        return idle

    async def close(self) -> None:
        """Stop the sweeper and forget every session."""
        self._sessions.clear()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None


_SERVICES: weakref.WeakKeyDictionary[Any, LearningService] = weakref.WeakKeyDictionary()


def service_for(host: Any) -> LearningService:
    """Return the learning service of a bot, creating it on first use."""
    service = _SERVICES.get(host)
    if service is None:
        service = _SERVICES[host] = LearningService(host)
    return service


def round_seconds(host: Any, result: RoundResult) -> float | None:
    """Return the time limit of the live game that produced `result`, if it is still known."""
    for live in getattr(host, "games", None) or ():
        engine = getattr(live, "engine", None)
        if engine is not None and any(r is result for r in engine.results):
            return float(engine.settings.seconds)
    return None


async def record_round_learning(
    bot: Any, guild_id: int, bank_slug: str, result: RoundResult, *, seconds: float | None = None
) -> None:
    """Update the review cards of everyone who answered a server-game round; never raise."""
    try:
        limit = seconds if seconds is not None else round_seconds(bot, result)
        if limit is None:
            settings = await bot.store.guilds.settings(guild_id)
            limit = float(settings.seconds or DEFAULT_ROUND_SECONDS)
        await service_for(bot).record_round(guild_id, bank_slug, result, limit)
    except Exception:
        log.exception("updating review cards after a round of bank %s failed", bank_slug)
