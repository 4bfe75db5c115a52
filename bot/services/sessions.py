"""Personal practice and review sessions: a few questions, one at a time, each training a card.

Sessions are held in memory, one per user: starting a new one replaces the old. A session
idles out after `SESSION_IDLE` seconds of the injected clock; a sweeper task (running only
while sessions exist) ends idle ones and tells the adapter through `on_expire`. Discord and
the terminal both drive sessions through this service. Nothing here imports discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Awaitable, Callable, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.models import Bank, Question
from bot.core.practice import CurrentQuestion, PracticeOutcome, PracticeSession, PracticeSummary
from bot.core.review import Scheduled
from bot.core.selection import pick_questions
from bot.services.cards import REVIEW_COUNT, Cards
from bot.store import Store

log = logging.getLogger(__name__)

# Under the 15-minute life of an interaction token, so the session's message can still be
# edited to say it ended.
SESSION_IDLE = 600.0
SWEEP_EVERY = 60.0
# Self-paced questions: long enough to read a prompt and type in a modal, short enough that
# speed still tells an easy recall from a hard one.
SECONDS_PER_QUESTION = 60.0
PRACTICE_COUNT = 5

__all__ = [
    "PRACTICE_COUNT",
    "REVIEW_COUNT",
    "LearnSession",
    "SessionKind",
    "Sessions",
]


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
    #: What the adapter keeps to update the session's message when it idles out (on Discord,
    #: the latest interaction).
    handle: object = None
    #: The card of each fact after its answer this session (for "next review" lines).
    scheduled: dict[str, Scheduled] = field(default_factory=dict)

    @property
    def current(self) -> CurrentQuestion | None:
        """Return the open question, or None once the session is over."""
        return self.core.current

    def summary(self) -> PracticeSummary:
        """Return the score so far."""
        return self.core.summary()


class Sessions:
    """The live personal sessions of one bot, and the cards their answers train."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        cards: Cards,
        *,
        idle: float = SESSION_IDLE,
        hidden: Callable[[], Set[tuple[str, str]]] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.cards = cards
        self.idle = idle
        #: (bank, fact id) pairs a live game is asking now: not asked, nor judged, until it closes.
        self.hidden = hidden or frozenset
        #: Called with each session that idled out (Discord edits its message to say so).
        self.on_expire: Callable[[LearnSession], Awaitable[None]] | None = None
        self.rng = random.Random()
        self._sessions: dict[int, LearnSession] = {}
        self._sweeper: asyncio.Task[None] | None = None

    def _new(  # noqa: PLR0917 - private; every field of a new session
        self,
        user_id: int,
        guild_id: int,
        kind: SessionKind,
        bank: Bank,
        questions: Sequence[Question],
        topic: str | None,
    ) -> LearnSession:
        self.end(user_id)
        session: LearnSession = LearnSession(
            session_id=secrets.token_hex(4),
            user_id=user_id,
            guild_id=guild_id,
            kind=kind,
            bank=bank,
            core=PracticeSession(questions, self.clock.monotonic, SECONDS_PER_QUESTION),
            last_active=self.clock.monotonic(),
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
        seen = await self.store.answers.seen([user_id], bank.slug)
        hidden = self._hidden_in(bank)
        pool = [q for q in bank.questions if q.fact_id not in hidden] if hidden else bank
        questions = pick_questions(pool, count, topic=topic, seen=seen, rng=self.rng)
        return self._new(user_id, guild_id, SessionKind.PRACTICE, bank, questions, topic)

    async def start_review(
        self,
        user_id: int,
        guild_id: int,
        bank: Bank,
        topic: str | None = None,
        count: int = REVIEW_COUNT,
    ) -> LearnSession | None:
        """Open a review session, or return None when nothing is due and nothing is unseen."""
        hidden = self._hidden_in(bank)
        questions = await self.cards.review_questions(user_id, bank, topic, count, hidden)
        if not questions:
            return None
        return self._new(user_id, guild_id, SessionKind.REVIEW, bank, questions, topic)

    def _hidden_in(self, bank: Bank) -> set[str]:
        return {fact for slug, fact in self.hidden() if slug == bank.slug}

    def is_hidden(self, session: LearnSession) -> bool:
        """Tell whether a live game is asking the session's open question's fact right now."""
        current = session.current
        if current is None:
            return False
        return (session.bank.slug, current.question.fact_id) in self.hidden()

    def get(self, user_id: int, session_id: str) -> LearnSession | None:
        """Return the user's live session with this id (None if ended, replaced or idle)."""
        session = self._sessions.get(user_id)
        if session is None or session.session_id != session_id:
            return None
        if self._idle(session):
            self._sessions.pop(user_id, None)
            return None
        session.last_active = self.clock.monotonic()
        return session

    async def answer(
        self, session: LearnSession, choice: int | None = None, text: str | None = None
    ) -> PracticeOutcome:
        """Judge an answer (neither given: a pass) and reschedule the fact's card if it counted."""
        outcome = session.core.answer(choice_index=choice, text=text)
        session.last_active = self.clock.monotonic()
        if outcome.recorded and outcome.rating is not None:
            q = outcome.question
            session.scheduled[q.fact_id] = await self.cards.review(
                session.user_id, session.guild_id, session.bank.slug, q, outcome.rating,
                outcome.correct, session.kind.value,
            )  # fmt: skip
        return outcome

    def advance(self, session: LearnSession) -> CurrentQuestion | None:
        """Move to the next question; the session ends (and is forgotten) after the last one."""
        current = session.core.next()
        session.last_active = self.clock.monotonic()
        if current is None:
            self._forget(session)
        return current

    def end(self, user_id: int) -> LearnSession | None:
        """End the user's session, if any, and return it."""
        return self._sessions.pop(user_id, None)

    def _forget(self, session: LearnSession) -> None:
        if self._sessions.get(session.user_id) is session:
            del self._sessions[session.user_id]

    def live(self) -> list[LearnSession]:
        """Return the sessions that are open now."""
        return list(self._sessions.values())

    # -- idle sessions ----------------------------------------------------------------------
    def _idle(self, session: LearnSession) -> bool:
        return self.clock.monotonic() - session.last_active >= self.idle

    def _ensure_sweeper(self) -> None:
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(self._sweep(), name="learning-sessions-sweeper")

    async def _sweep(self) -> None:
        """End idle sessions until none are left."""
        while self._sessions:
            await self.clock.sleep(min(SWEEP_EVERY, self.idle))
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
