"""Spaced review of facts with FSRS, and the question format that fits how well a fact is known.

Each player has one card per fact. A card is stored as JSON (``card_json``) holding the FSRS card
plus three counters of our own: ``level``, ``reps`` and ``lapses``. The scheduler works at the
scale of a chat: learning steps of 1 h and 6 h, a relearning step of 6 h, a desired retention of
0.9 and no fuzzing, so the same answers always give the same due times.

Ratings (``rating_for``), with ``seconds`` the time allowed and ``elapsed`` the time taken:
    wrong or no answer                              -> Again
    accepted with a typo, or slower than 2/3 of it  -> Hard
    accepted exactly within 1/3 of it               -> Easy
    any other accepted answer                       -> Good

Levels (format progression, ``next_level``):
    0  new or struggling          -> asked as multiple choice (or "who said it")
    1  answered well in a choice  -> asked as true/false or fill-in-the-blank, alternating
    2  recalled in free text      -> asked as fill-in-the-blank or numeric only
    Again      -> one level down (never below 0)
    Hard       -> level unchanged
    Good/Easy  -> one level up (at most 2); a true/false answer never lifts a card to level 2,
                  because a coin flip is not recall.

Mastery (``is_mastered``): the card is at level 2, in the FSRS Review state, its stability is at
least ``MASTERY_STABILITY_DAYS`` days (the scheduler expects 90% recall a week after the last
review) and its retrievability now is still at least ``MASTERY_RETRIEVABILITY``, i.e. it is not
overdue.
"""

from __future__ import annotations

import json
import logging
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from fsrs import Card, Rating, Scheduler, State

from bot.core.models import Question, QuestionKind

log = logging.getLogger(__name__)

__all__ = [
    "FREE_TEXT_KINDS",
    "MASTERY_RETRIEVABILITY",
    "MASTERY_STABILITY_DAYS",
    "SCHEDULER",
    "CardState",
    "Rating",
    "Scheduled",
    "as_utc",
    "is_mastered",
    "next_level",
    "question_for",
    "rating_for",
    "read_card",
    "retrievability",
    "review_queue",
    "schedule",
]

MAX_LEVEL = 2
MASTERY_STABILITY_DAYS = 7.0
MASTERY_RETRIEVABILITY = 0.9
CARD_FORMAT = 1

SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(timedelta(hours=1), timedelta(hours=6)),
    relearning_steps=(timedelta(hours=6),),
    enable_fuzzing=False,
)

CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.WHO_SAID)
FREE_TEXT_KINDS = (QuestionKind.FILL, QuestionKind.NUMERIC)
TRUE_FALSE_KINDS = (QuestionKind.TRUE_FALSE,)

# Formats to try, best first, for each level; level 1 alternates its first two groups.
_PREFERENCES: dict[int, tuple[tuple[QuestionKind, ...], ...]] = {
    0: (CHOICE_KINDS, TRUE_FALSE_KINDS, FREE_TEXT_KINDS),
    1: (TRUE_FALSE_KINDS, FREE_TEXT_KINDS, CHOICE_KINDS),
    2: (FREE_TEXT_KINDS, CHOICE_KINDS, TRUE_FALSE_KINDS),
}


def rating_for(correct: bool, how: str | None, elapsed: float, seconds: float) -> Rating:
    """Return the FSRS rating of one answer from its correctness, match kind and speed."""
    if not correct:
        return Rating.Again
    if seconds <= 0:
        # Without a time limit speed says nothing; judge by the match alone.
        return Rating.Hard if how == "typo" else Rating.Good
    if how == "typo" or elapsed > seconds * 2 / 3:
        return Rating.Hard
    if elapsed <= seconds / 3 and how in (None, "exact"):
        return Rating.Easy
    return Rating.Good


def next_level(level: int, rating: Rating, kind: QuestionKind | str | None = None) -> int:
    """Return the format level after an answer rated `rating` to a question of `kind`."""
    level = min(max(level, 0), MAX_LEVEL)
    if rating == Rating.Again:
        return max(level - 1, 0)
    if rating == Rating.Hard:
        return level
    raised = min(level + 1, MAX_LEVEL)
    if raised == MAX_LEVEL and kind is not None and QuestionKind(kind) in TRUE_FALSE_KINDS:
        return level
    return raised


@dataclass(frozen=True, slots=True)
class CardState:
    """A player's card for one fact, decoded from its JSON."""

    card: Card
    level: int = 0
    reps: int = 0
    lapses: int = 0

    def to_json(self) -> str:
        """Serialise the card for storage."""
        return json.dumps(
            {
                "v": CARD_FORMAT,
                "fsrs": self.card.to_dict(),
                "level": self.level,
                "reps": self.reps,
                "lapses": self.lapses,
            },
            sort_keys=True,
        )


@dataclass(frozen=True, slots=True)
class Scheduled:
    """The card after one review, with the columns the store keeps beside it."""

    card_json: str
    due: datetime
    level: int
    reps: int
    lapses: int
    mastered: bool


def as_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; naive datetimes are refused because their zone is a guess."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return moment.astimezone(UTC)


def _new_card(now: datetime) -> Card:
    """Return a fresh card due now, with an id that does not depend on the wall clock."""
    return Card(card_id=int(now.timestamp() * 1000), state=State.Learning, due=now)


def read_card(card_json: str | None, now: datetime) -> CardState:
    """Decode a stored card; a missing or unreadable one starts over as a new card."""
    now = as_utc(now)
    if not card_json:
        return CardState(_new_card(now))
    try:
        data: dict[str, Any] = json.loads(card_json)
        card = Card.from_dict(data["fsrs"])
        # Old rows may carry a zone other than the UTC singleton the scheduler insists on.
        card.due = as_utc(card.due)
        if card.last_review is not None:
            card.last_review = as_utc(card.last_review)
        level = min(max(int(data.get("level", 0)), 0), MAX_LEVEL)
        return CardState(card, level, int(data.get("reps", 0)), int(data.get("lapses", 0)))
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # A damaged row should not lock a player out of a fact; relearning it is harmless.
        log.warning("unreadable card, starting over: %s", exc)
        return CardState(_new_card(now))


def retrievability(card_json: str | None, now: datetime) -> float:
    """Return the predicted chance of recalling the fact now (0 for an unseen fact)."""
    state = read_card(card_json, now)
    return float(SCHEDULER.get_card_retrievability(state.card, as_utc(now)))


def _mastered(state: CardState, level: int, now: datetime) -> bool:
    """Apply the mastery rule to a decoded card."""
    card = state.card
    return (
        level >= MAX_LEVEL
        and card.state == State.Review
        and card.stability is not None
        and card.stability >= MASTERY_STABILITY_DAYS
        and SCHEDULER.get_card_retrievability(card, now) >= MASTERY_RETRIEVABILITY
    )


def is_mastered(card_json: str | None, level: int, now: datetime) -> bool:
    """Return whether a fact is stable and recalled (see the module docstring for the rule)."""
    if not card_json:
        return False
    now = as_utc(now)
    return _mastered(read_card(card_json, now), level, now)


def schedule(
    card_json: str | None,
    rating: Rating,
    now: datetime,
    *,
    kind: QuestionKind | str | None = None,
) -> Scheduled:
    """Review a card (None for a fact never seen) with `rating` at `now` and return it updated."""
    now = as_utc(now)
    state = read_card(card_json, now)
    lapsed = rating == Rating.Again and state.card.state == State.Review
    card, _ = SCHEDULER.review_card(state.card, Rating(rating), now)
    level = next_level(state.level, Rating(rating), kind)
    new = CardState(card, level, state.reps + 1, state.lapses + int(lapsed))
    return Scheduled(
        card_json=new.to_json(),
        due=card.due,
        level=level,
        reps=new.reps,
        lapses=new.lapses,
        mastered=_mastered(new, level, now),
    )


def _pick_index(pick: int | random.Random, size: int) -> int:
    """Return a position below `size` from an index or a seeded generator."""
    return pick.randrange(size) if isinstance(pick, random.Random) else pick % size


def question_for(
    questions: Sequence[Question], level: int, pick: int | random.Random = 0
) -> Question:
    """Return the question of one fact to ask at `level`, falling back to the nearest format.

    `pick` chooses among the candidates: an int (e.g. the card's review count, so level 1
    alternates between true/false and fill-in) or a seeded `random.Random`.
    """
    if not questions:
        raise ValueError("a fact needs at least one question")
    level = min(max(level, 0), MAX_LEVEL)
    groups = list(_PREFERENCES[level])
    if level == 1:
        flip = pick.random() < 0.5 if isinstance(pick, random.Random) else pick % 2 == 1
        if flip:
            groups[0], groups[1] = groups[1], groups[0]
    for kinds in groups:
        found = [q for q in questions if q.kind in kinds]
        if found:
            return found[_pick_index(pick, len(found))]
    # A kind outside every group (a future format): still ask something rather than nothing.
    return questions[_pick_index(pick, len(questions))]


class CardLike(Protocol):
    """What `review_queue` needs to know of a stored card."""

    @property
    def fact_id(self) -> str: ...
    @property
    def due(self) -> datetime: ...
    @property
    def level(self) -> int: ...


CardInfo = CardLike | tuple[str, datetime, int] | tuple[str, datetime, int, int]


def _card_fields(card: CardInfo) -> tuple[str, datetime, int, int | None]:
    """Return (fact id, due, level, review count or None) of a stored card or a tuple."""
    if isinstance(card, tuple):
        reps = card[3] if len(card) > 3 else None
        return card[0], card[1], card[2], reps
    return card.fact_id, card.due, card.level, getattr(card, "reps", None)


def _variant(fact_id: str, due: datetime, reps: int | None) -> int:
    """Return which variant to ask: the review count, or (unknown) a value that moves with due."""
    if reps is not None:
        return reps
    # Each review moves `due`, so this still alternates formats between reviews.
    return zlib.crc32(f"{fact_id}|{due.isoformat()}".encode())


def review_queue(
    questions: Sequence[Question],
    cards: Sequence[CardInfo],
    now: datetime,
    count: int,
    topic: str | None = None,
    *,
    rng: random.Random | None = None,
    ahead: bool = False,
) -> list[Question]:
    """Return up to `count` questions, one per fact: due facts first, then unseen ones.

    Due facts come most overdue first; unseen facts follow in bank order (shuffled with `rng`
    when given). With `ahead`, facts seen but not yet due fill any room left, soonest first.
    """
    now = as_utc(now)
    by_fact: dict[str, list[Question]] = {}
    for q in questions:
        if topic is None or q.topic == topic:
            by_fact.setdefault(q.fact_id, []).append(q)
    order = {fact_id: i for i, fact_id in enumerate(by_fact)}

    known: dict[str, tuple[datetime, int, int | None]] = {}
    for card in cards:
        fact_id, due, level, reps = _card_fields(card)
        if fact_id in by_fact:
            known[fact_id] = (as_utc(due), level, reps)

    due_ids = sorted(
        (f for f, (due, _, _) in known.items() if due <= now),
        key=lambda f: (known[f][0], order[f]),
    )
    unseen_ids = [f for f in by_fact if f not in known]
    if rng is not None:
        rng.shuffle(unseen_ids)
    later_ids: list[str] = []
    if ahead:
        later_ids = sorted(
            (f for f, (due, _, _) in known.items() if due > now),
            key=lambda f: (known[f][0], order[f]),
        )

    picked: list[Question] = []
    for fact_id in [*due_ids, *unseen_ids, *later_ids][: max(count, 0)]:
        if fact_id in known:
            due, level, reps = known[fact_id]
            variant = _variant(fact_id, due, reps)
        else:
            level, variant = 0, 0
        pick: int | random.Random = rng if rng is not None and fact_id not in known else variant
        picked.append(question_for(by_fact[fact_id], level, pick))
    return picked
