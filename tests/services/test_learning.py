"""Cards and sessions against a real SQLite file and a ManualClock: game rounds train cards,
personal sessions answer and expire, reviews come due first."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.game import Game
from bot.core.models import Bank, FactKind, Question, QuestionKind
from bot.core.review import Rating
from bot.core.scoring import RoundResult
from bot.core.selection import GameSettings
from bot.services import cards as cards_module
from bot.services.cards import Cards
from bot.services.sessions import SESSION_IDLE, LearnSession, SessionKind, Sessions
from bot.store import CardRow, ReviewRecord, Store

GUILD = 42
ALICE, BOB = 1, 2


def _q(fact: str, kind: QuestionKind, answer: str, **extra: Any) -> Question:
    return Question(
        id=f"{fact}.{kind.value}",
        kind=kind,
        prompt=f"Question about {fact}?",
        answer=answer,
        explanation=f"Why {fact}.",
        fact_id=fact,
        paragraph=3,
        topic="places",
        fact_kind=FactKind.PLACE,
        **extra,
    )


CAPITAL = _q("capital", QuestionKind.CHOICE, "Belgrade", choices=("Nis", "Belgrade", "Novi Sad"))
BORDER = _q("border", QuestionKind.FILL, "Bulgaria")
RIVER = _q("river", QuestionKind.CHOICE, "Danube", choices=("Sava", "Danube", "Drina"))
BANK = Bank(slug="mini", title="Mini", source="tests", questions=(CAPITAL, BORDER, RIVER))


@dataclass(eq=False)
class Host:
    """A store and a clock, and the learning services built on them."""

    store: Store
    clock: ManualClock
    cards: Cards
    sessions: Sessions


@pytest_asyncio.fixture
async def host(tmp_path: Path) -> AsyncIterator[Host]:
    clock = ManualClock()
    store = await Store.open(tmp_path / "learn.db", clock=clock.now)
    cards = Cards(store, clock)
    sessions = Sessions(store, clock, cards)
    try:
        yield Host(store, clock, cards, sessions)
    finally:
        await sessions.close()
        await store.close()


async def _round(
    clock: ManualClock, answers: dict[int, tuple[int, float]], seconds: int = 30
) -> Game:
    """Play one round of CAPITAL: player → (option, seconds after opening); return the game."""
    game = Game([CAPITAL], GameSettings(count=1, seconds=seconds), clock=clock.monotonic)
    game.open()
    start = clock.monotonic()
    for player, (option, after) in sorted(answers.items(), key=lambda kv: kv[1][1]):
        await clock.advance(start + after - clock.monotonic())
        game.answer(player, option, name=f"p{player}")
    return game


def _reviews(host: Host) -> list[tuple[int, int, int, str, int]]:
    with sqlite3.connect(host.store.path) as conn:
        return conn.execute(
            "SELECT user_id, rating, correct, source, guild_id FROM reviews ORDER BY review_id"
        ).fetchall()


async def test_round_trains_cards_wrong_answer_due_sooner(host: Host) -> None:
    result = (await _round(host.clock, {ALICE: (1, 2.0), BOB: (0, 3.0)})).close()
    await host.cards.record_round(GUILD, "mini", result, 30)
    right = await host.store.cards.get(ALICE, "mini", "capital")
    wrong = await host.store.cards.get(BOB, "mini", "capital")
    assert right is not None and wrong is not None
    assert wrong.due < right.due
    assert (right.level, wrong.level) == (1, 0)
    assert (right.reps, wrong.reps) == (1, 1)
    assert sorted(_reviews(host)) == [
        (ALICE, int(Rating.Easy), 1, "game", GUILD),
        (BOB, int(Rating.Again), 0, "game", GUILD),
    ]


async def test_the_same_round_counts_once(host: Host) -> None:
    result = (await _round(host.clock, {ALICE: (1, 2.0)})).close()
    await host.cards.record_round(GUILD, "mini", result, 30)
    await host.cards.record_round(GUILD, "mini", result, 30)
    card = await host.store.cards.get(ALICE, "mini", "capital")
    assert card is not None and card.reps == 1
    assert len(_reviews(host)) == 1


async def test_skipped_round_changes_nothing(host: Host) -> None:
    game = await _round(host.clock, {ALICE: (1, 2.0)})
    result = game.skip()
    assert result.skipped
    await host.cards.record_round(GUILD, "mini", result, 30)
    assert await host.store.cards.for_user(ALICE) == []



async def test_a_failure_never_reaches_the_game(
    host: Host, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    result: RoundResult = (await _round(host.clock, {ALICE: (1, 2.0), BOB: (0, 2.0)})).close()
    calls: list[int] = []
    real = cards_module.reschedule

    def disk_full(card_json: str | None, review: ReviewRecord) -> CardRow:
        calls.append(review.user_id)
        if review.user_id == BOB:
            raise sqlite3.OperationalError("database or disk is full")
        return real(card_json, review)

    monkeypatch.setattr(cards_module, "reschedule", disk_full)
    with caplog.at_level(logging.ERROR, logger="bot.services.cards"):
        assert await host.cards.record_round(GUILD, "mini", result, 30) == 0
    # The round's cards are one write: Bob's failure undid Alice's card too, and was logged.
    assert sorted(calls) == [ALICE, BOB]
    assert caplog.text.count("review cards of a round") == 1
    assert await host.store.cards.for_user(ALICE) == []
    assert _reviews(host) == []


async def test_practice_session_answers_and_trains(host: Host) -> None:
    service = host.sessions
    session = await service.start_practice(ALICE, GUILD, BANK, count=3)
    assert session.kind is SessionKind.PRACTICE
    assert [q.fact_id for q in session.core.questions].count("capital") == 1
    answered = 0
    while (current := session.current) is not None:
        q = current.question
        outcome = await service.answer(session, text=q.answer)
        assert outcome.correct and outcome.recorded
        answered += 1
        service.advance(session)
    assert answered == 3
    assert service.live() == []
    assert {c.fact_id for c in await host.store.cards.for_user(ALICE)} == {
        "capital",
        "border",
        "river",
    }
    assert {source for *_, source, _ in _reviews(host)} == {"practice"}


async def test_review_asks_due_facts_first_then_unseen(host: Host) -> None:
    service = host.sessions
    await host.cards.review(ALICE, GUILD, "mini", RIVER, Rating.Again, False, "game")
    await host.cards.review(ALICE, GUILD, "mini", CAPITAL, Rating.Easy, True, "game")
    await host.clock.advance(2 * 3600)
    session = await service.start_review(ALICE, GUILD, BANK, count=5)
    assert session is not None
    assert [q.fact_id for q in session.core.questions] == ["river", "border"]


async def test_review_is_none_when_caught_up(host: Host) -> None:
    service = host.sessions
    for q in BANK.questions:
        await host.cards.review(ALICE, GUILD, "mini", q, Rating.Good, True, "review")
    assert await service.start_review(ALICE, GUILD, BANK) is None
    soonest = await host.cards.next_due(ALICE, "mini")
    assert soonest is not None and soonest > host.clock.now()
    await host.clock.advance((soonest - host.clock.now()).total_seconds())
    assert await service.start_review(ALICE, GUILD, BANK) is not None


async def test_idle_sessions_expire_on_the_clock(host: Host) -> None:
    service = host.sessions
    ended: list[LearnSession] = []

    async def on_expire(session: LearnSession) -> None:
        ended.append(session)

    service.on_expire = on_expire
    session = await service.start_practice(ALICE, GUILD, BANK, count=2)
    await host.clock.advance(SESSION_IDLE - 1)
    assert service.get(ALICE, session.session_id) is session  # touching it keeps it alive
    await host.clock.advance(SESSION_IDLE - 1)
    assert ended == []
    await host.clock.advance(SESSION_IDLE)
    assert ended == [session]
    assert service.get(ALICE, session.session_id) is None
    assert host.clock.sleepers == 0


async def test_a_new_session_replaces_the_old(host: Host) -> None:
    service = host.sessions
    old = await service.start_practice(ALICE, GUILD, BANK, count=1)
    new = await service.start_practice(ALICE, GUILD, BANK, count=1)
    assert service.get(ALICE, old.session_id) is None
    assert service.get(ALICE, new.session_id) is new
    assert service.get(BOB, new.session_id) is None


async def test_review_bank_prefers_most_due_then_unseen_facts(host: Host) -> None:
    other = Bank(slug="alpha", title="Alpha", source="tests", questions=(CAPITAL, BORDER))
    banks = {"alpha": other, "mini": BANK}

    async def answer(bank: str, q: Question, rating: Rating) -> None:
        await host.cards.review(ALICE, GUILD, bank, q, rating, rating != Rating.Again, "review")

    assert await host.cards.bank_to_review(ALICE, {}) is None
    # Nothing seen yet: the first bank by name.
    assert await host.cards.bank_to_review(ALICE, banks) is other
    # Every fact of "alpha" seen, none due yet: "mini" has unseen facts.
    await answer("alpha", CAPITAL, Rating.Easy)  # due in days
    await answer("alpha", BORDER, Rating.Again)  # due in an hour
    assert await host.cards.bank_to_review(ALICE, banks) is BANK
    # Once the missed fact of "alpha" is due, due facts go before unseen ones.
    await host.clock.advance(3600)
    assert await host.cards.bank_to_review(ALICE, banks) is other
    # Two facts of "mini" due against one of "alpha": the bank with the most due.
    for q in (CAPITAL, RIVER):
        await answer("mini", q, Rating.Again)
    await host.clock.advance(3600)
    assert await host.cards.bank_to_review(ALICE, banks) is BANK
