"""Topic mastery shares and day streaks, with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.mastery import TopicMastery, day_streak, topic_mastery
from bot.core.models import Fact, FactKind, QuestionKind
from bot.core.review import Rating, Scheduled, schedule

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """The card columns a store row carries."""

    fact_id: str
    card_json: str
    level: int
    due: datetime


def fact(fact_id: str, topic: str) -> Fact:
    """Build a minimal fact."""
    return Fact(
        id=fact_id,
        statement=f"statement {fact_id}",
        paragraph=1,
        kind=FactKind.CLAIM,
        topic=topic,
        question=f"question {fact_id}?",
        answer=f"answer {fact_id}",
        explanation="because",
    )


def row(fact_id: str, card: Scheduled) -> Row:
    """Return the stored form of a scheduled card."""
    return Row(fact_id, card.card_json, card.level, card.due)


def learnt(start: datetime) -> Scheduled:
    """Return a card answered well three times, once in choice and twice typed."""
    card = schedule(None, Rating.Good, start, kind=QuestionKind.CHOICE)
    card = schedule(card.card_json, Rating.Good, card.due, kind=QuestionKind.FILL)
    return schedule(card.card_json, Rating.Good, card.due, kind=QuestionKind.FILL)


def test_topic_mastery_counts_and_shares() -> None:
    facts = [
        fact("v1", "visit"),
        fact("t1", "trade"),
        fact("v2", "visit"),
        fact("v3", "visit"),
        fact("v4", "visit"),
        fact("t2", "trade"),
    ]
    mastered = learnt(T0)
    now = mastered.due - timedelta(days=1)  # before it falls due again
    assert mastered.mastered
    missed = schedule(None, Rating.Again, T0)  # due one hour after T0, long before `now`
    once = schedule(None, Rating.Good, now)  # seen just now, due later, not mastered
    cards = [
        row("v1", mastered),
        row("v2", missed),
        row("t1", once),
        row("gone", mastered),  # a fact no longer in the bank is ignored
    ]
    result = topic_mastery(facts, cards, now)
    assert [m.topic for m in result] == ["visit", "trade"]
    visit, trade = result
    assert visit == TopicMastery("visit", facts=4, mastered=1, seen=2, due=1, share_mastered=0.25)
    assert trade == TopicMastery("trade", facts=2, mastered=0, seen=1, due=0, share_mastered=0.0)


def test_mastery_lapses_when_the_card_is_long_overdue() -> None:
    facts = [fact("v1", "visit")]
    card = learnt(T0)
    (fresh,) = topic_mastery(facts, [row("v1", card)], card.due - timedelta(days=1))
    (stale,) = topic_mastery(facts, [row("v1", card)], card.due + timedelta(days=90))
    assert fresh.mastered == 1 and fresh.share_mastered == 1.0 and fresh.due == 0
    assert stale.mastered == 0 and stale.due == 1


def test_topic_mastery_without_cards() -> None:
    (only,) = topic_mastery([fact("a", "x")], [], T0)
    assert only == TopicMastery("x", 1, 0, 0, 0, 0.0)
    assert topic_mastery([], [], T0) == []


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([], 0),
        ([0], 1),
        ([1], 1),  # yesterday still counts: today's practice may not have happened yet
        ([2], 0),
        ([0, 1, 2, 3], 4),
        ([1, 2, 3], 3),
        ([0, 1, 3, 4], 2),  # a gap ends the streak
        ([0, 0, 1, 1], 2),  # several sessions a day count once
        ([0, 2, 3, 4], 1),
        ([-1, 0, 1], 2),  # a future day (clock skew) does not extend it
    ],
)
def test_day_streak(offsets: list[int], expected: int) -> None:
    today = date(2025, 3, 10)
    days = [today - timedelta(days=o) for o in offsets]
    assert day_streak(days, today) == expected


def test_day_streak_across_a_month_boundary() -> None:
    days = [date(2025, 2, 27), date(2025, 2, 28), date(2025, 3, 1)]
    assert day_streak(days, date(2025, 3, 1)) == 3
