"""How much of each topic a player has mastered, and how many days in a row they have practised."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.core.models import Fact
from bot.core.review import CardLike as ReviewCard
from bot.core.review import as_utc, is_mastered


class CardLike(ReviewCard, Protocol):
    """What mastery needs to know of a stored card (the store's CardRow fits)."""

    @property
    def card_json(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TopicMastery:
    """One topic's progress: its facts, how many are mastered, seen and due now, and the share."""

    topic: str
    facts: int
    mastered: int
    seen: int
    due: int
    share_mastered: float


def topic_mastery(
    facts: Sequence[Fact], cards: Iterable[CardLike], now: datetime
) -> list[TopicMastery]:
    """Return each topic's mastery, topics in the order they first appear among the facts."""
    now = as_utc(now)
    by_fact = {card.fact_id: card for card in cards}
    counts: dict[str, list[int]] = {}
    for fact in facts:
        row = counts.setdefault(fact.topic, [0, 0, 0, 0])
        row[0] += 1
        card = by_fact.get(fact.id)
        if card is None:
            continue
        row[2] += 1
        if is_mastered(card.card_json, card.level, now):
            row[1] += 1
        if as_utc(card.due) <= now:
            row[3] += 1
    return [
        TopicMastery(topic, total, mastered, seen, due, mastered / total if total else 0.0)
        for topic, (total, mastered, seen, due) in counts.items()
    ]


def day_streak(days: Iterable[date], today: date) -> int:
    """Return how many consecutive UTC days with practice end today (or yesterday, if not yet)."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    streak = 0
    while day in practised:
        streak += 1
        day -= timedelta(days=1)
    return streak
