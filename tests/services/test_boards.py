"""Board pages, the facts-learned board, derived facts and the ask index cache, on a real store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.models import Bank, FactKind, Question, QuestionKind
from bot.core.review import Rating
from bot.services.ask import Asker
from bot.services.boards import BoardQuery, Boards, week_start
from bot.services.cards import Cards
from bot.services.facts import facts_of
from bot.store import Store

GUILD = 9


@dataclass(eq=False)
class Host:
    store: Store
    clock: ManualClock
    cards: Cards
    boards: Boards


@pytest_asyncio.fixture
async def host(tmp_path: Path) -> AsyncIterator[Host]:
    clock = ManualClock()  # Monday 2026-11-23 12:00 UTC
    store = await Store.open(tmp_path / "boards.db", clock=clock.now)
    try:
        yield Host(store, clock, Cards(store, clock), Boards(store, clock))
    finally:
        await store.close()


PLACES = ("harbour", "bridge", "tower", "market", "orchard", "chapel")
COLOURS = ("red", "green", "blue", "amber", "violet", "white")


def _fill(n: int) -> Question:
    place, colour = PLACES[n % len(PLACES)], COLOURS[n % len(COLOURS)]
    return Question(
        id=f"f{n}.fill",
        kind=QuestionKind.FILL,
        prompt=f"Fill in: the {colour} lantern hangs over the _____.",
        answer=place,
        explanation=f"The {colour} lantern marks the {place}.",
        fact_id=f"f{n}",
        paragraph=n,
        topic="fair",
        fact_kind=FactKind.PLACE,
    )


def test_week_start_is_monday_midnight_utc() -> None:
    sunday = datetime(2026, 11, 29, 23, 59, tzinfo=UTC)
    assert week_start(sunday) == datetime(2026, 11, 23, tzinfo=UTC)
    assert week_start(datetime(2026, 11, 30, 0, 0, tzinfo=UTC)) == datetime(
        2026, 11, 30, tzinfo=UTC
    )


async def test_facts_board_pages_and_caller(host: Host) -> None:
    # Player p learns p + 1 facts (two good recalls of a fill-in each), so ranks are distinct.
    for player in range(12):
        await host.store.players.upsert(100 + player, f"learner{player}")
        for n in range(player + 1):
            for _ in range(2):
                await host.cards.review(
                    100 + player, GUILD, "fair", _fill(n), Rating.Good, True, "review"
                )
    caller = 100  # one fact: last place
    first = await host.boards.page(GUILD, BoardQuery(caller, "week", "facts"))
    assert (first.pages, first.total_players) == (2, 12)
    assert [line.facts for line in first.lines] == list(range(12, 2, -1))
    assert first.lines[0].name == "learner11"
    assert first.caller is not None
    assert (first.caller.rank, first.caller.facts) == (12, 1)

    second = await host.boards.page(GUILD, BoardQuery(caller, "week", "facts", page=1))
    assert [line.rank for line in second.lines] == [11, 12]
    assert second.caller is None  # on the page already
    clamped = await host.boards.page(GUILD, BoardQuery(caller, "week", "facts", page=7))
    assert clamped.query.page == 1

    # Next week, last week's learning no longer counts; all time it still does.
    await host.clock.advance(timedelta(days=7).total_seconds())
    assert (await host.boards.page(GUILD, BoardQuery(caller, "week", "facts"))).empty
    assert (await host.boards.page(GUILD, BoardQuery(caller, "all", "facts"))).total_players == 12


def test_facts_are_derived_from_questions_when_missing() -> None:
    bank = Bank(slug="fair", title="Fair", source="s", questions=(_fill(1), _fill(2)))
    facts = facts_of(bank)
    assert [f.id for f in facts] == ["f1", "f2"]
    assert facts[0].statement == "The green lantern marks the bridge."
    assert facts[0].paragraph == 1
    assert facts_of(bank) is facts


def test_ask_index_is_built_once_per_bank_object() -> None:
    questions = tuple(_fill(n) for n in range(len(PLACES)))
    bank = Bank(slug="fair", title="Fair", source="s", questions=questions)
    service = Asker()
    index = service.index_for(bank)
    assert service.index_for(bank) is index
    answers = service.ask([bank], "Where does the blue lantern hang?")
    assert [(a.fact.id, a.bank.slug) for a in answers] == [("f2", "fair")]
    replaced = Bank(slug="fair", title="Fair", source="s", questions=(_fill(3),))
    assert service.index_for(replaced) is not index
    assert service.ask([replaced], "What does the moon weigh?") == []
