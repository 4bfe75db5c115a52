"""Spaced review: ratings, scheduling with a fixed clock, format progression and the queue."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.core.models import FactKind, Question, QuestionKind
from bot.core.review import (
    MASTERY_STABILITY_DAYS,
    Rating,
    is_mastered,
    next_level,
    question_for,
    rating_for,
    read_card,
    retrievability,
    review_queue,
    schedule,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def q(fact_id: str, kind: QuestionKind, topic: str = "visit", n: int = 0) -> Question:
    """Build a minimal question of one kind for a fact."""
    return Question(
        id=f"{fact_id}-{kind.value}-{n}",
        kind=kind,
        prompt=f"prompt {fact_id} {kind.value}",
        answer="Belgrade",
        explanation="because",
        fact_id=fact_id,
        paragraph=1,
        topic=topic,
        fact_kind=FactKind.PLACE,
        choices=("Belgrade", "Baku", "Sofia", "Zagreb") if kind.has_choices else (),
    )


def full_fact(fact_id: str, topic: str = "visit") -> list[Question]:
    """Return a fact with one question of each of the three main formats."""
    return [
        q(fact_id, QuestionKind.CHOICE, topic),
        q(fact_id, QuestionKind.TRUE_FALSE, topic),
        q(fact_id, QuestionKind.FILL, topic),
    ]


# --- ratings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "how", "elapsed", "expected"),
    [
        (False, "rejected", 1.0, Rating.Again),
        (False, None, 29.0, Rating.Again),
        (False, "empty", 0.0, Rating.Again),
        (True, "exact", 5.0, Rating.Easy),  # fast (<= 10 s of 30) and exact
        (True, "exact", 10.0, Rating.Easy),  # exactly one third is still fast
        (True, None, 3.0, Rating.Easy),  # a button press carries no match kind
        (True, "alias", 5.0, Rating.Good),  # fast but not exact
        (True, "surname", 5.0, Rating.Good),
        (True, "number", 5.0, Rating.Good),
        (True, "exact", 15.0, Rating.Good),  # middle third
        (True, "exact", 20.0, Rating.Good),  # exactly two thirds is not slow yet
        (True, "exact", 21.0, Rating.Hard),  # slow
        (True, "exact", 45.0, Rating.Hard),  # late
        (True, "typo", 2.0, Rating.Hard),  # a typo is Hard even when fast
        (True, "typo", 15.0, Rating.Hard),
    ],
)
def test_rating_table(correct: bool, how: str | None, elapsed: float, expected: Rating) -> None:
    assert rating_for(correct, how, elapsed, 30.0) is expected


def test_rating_without_time_limit_uses_the_match_only() -> None:
    assert rating_for(True, "exact", 100.0, 0) is Rating.Good
    assert rating_for(True, "typo", 1.0, 0) is Rating.Hard
    assert rating_for(False, "exact", 1.0, 0) is Rating.Again


# --- scheduling --------------------------------------------------------------------------


def test_missed_fact_comes_back_sooner_than_a_known_one() -> None:
    again = schedule(None, Rating.Again, T0)
    hard = schedule(None, Rating.Hard, T0)
    good = schedule(None, Rating.Good, T0)
    easy = schedule(None, Rating.Easy, T0)
    assert again.due < hard.due < good.due < easy.due
    # Hours-scale learning steps: a miss is back within the hour, a new fact known well in days.
    assert again.due - T0 == timedelta(hours=1)
    assert good.due - T0 == timedelta(hours=6)
    assert easy.due - T0 >= timedelta(days=1)


def test_miss_on_a_known_card_comes_back_sooner_than_a_recall() -> None:
    first = schedule(None, Rating.Good, T0)
    second = schedule(first.card_json, Rating.Good, first.due)
    assert second.due - first.due >= timedelta(days=1)
    missed = schedule(second.card_json, Rating.Again, second.due)
    recalled = schedule(second.card_json, Rating.Good, second.due)
    assert missed.due < recalled.due
    assert missed.due - second.due == timedelta(hours=6)  # relearning step
    assert missed.lapses == 1 and recalled.lapses == 0
    assert missed.reps == recalled.reps == 3


def test_card_survives_a_restart() -> None:
    ratings = [Rating.Good, Rating.Again, Rating.Good, Rating.Good, Rating.Easy, Rating.Hard]
    # Without a round trip: keep the decoded card in memory.
    kept = None
    straight = []
    now = T0
    for rating in ratings:
        kept = schedule(kept.card_json if kept else None, rating, now)
        straight.append(kept)
        now = kept.due
    # With a round trip: re-encode through plain JSON text, as a database row would.
    restored = None
    now = T0
    for rating, expected in zip(ratings, straight, strict=True):
        text = json.dumps(json.loads(restored.card_json)) if restored else None
        restored = schedule(text, rating, now)
        assert restored == expected
        assert read_card(restored.card_json, now).card.to_dict() == (
            read_card(expected.card_json, now).card.to_dict()
        )
        now = restored.due


def test_schedule_accepts_any_utc_offset_and_refuses_naive_times() -> None:
    plus_two = T0.astimezone(timezone(timedelta(hours=2)))
    assert schedule(None, Rating.Good, plus_two) == schedule(None, Rating.Good, T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(None, Rating.Good, datetime(2025, 3, 1, 12))


def test_unreadable_card_starts_over() -> None:
    fresh = schedule(None, Rating.Good, T0)
    assert schedule("{not json", Rating.Good, T0) == fresh
    assert schedule('{"v": 1}', Rating.Good, T0) == fresh
    # JSON allows Infinity; a counter holding it must not end the review with an error.
    damaged = json.loads(fresh.card_json) | {"level": float("inf")}
    assert schedule(json.dumps(damaged), Rating.Good, T0) == fresh


def test_retrievability_falls_with_time() -> None:
    assert retrievability(None, T0) == 0
    card = schedule(schedule(None, Rating.Good, T0).card_json, Rating.Good, T0 + timedelta(hours=6))
    soon = retrievability(card.card_json, card.due)
    later = retrievability(card.card_json, card.due + timedelta(days=30))
    assert 0.85 < soon <= 1.0
    assert later < soon


# --- format progression --------------------------------------------------------------------


def test_progression_from_choice_to_free_text() -> None:
    questions = full_fact("f1")
    now = T0
    first = question_for(questions, 0)
    assert first.kind is QuestionKind.CHOICE

    after_choice = schedule(None, Rating.Good, now, kind=first.kind)
    assert after_choice.level == 1
    asked = {question_for(questions, 1, i).kind for i in range(2)}
    assert asked == {QuestionKind.TRUE_FALSE, QuestionKind.FILL}

    # A true/false success keeps the card at level 1: a coin flip is not recall.
    now = after_choice.due
    tf = schedule(after_choice.card_json, Rating.Easy, now, kind=QuestionKind.TRUE_FALSE)
    assert tf.level == 1

    now = tf.due
    typed = schedule(tf.card_json, Rating.Good, now, kind=QuestionKind.FILL)
    assert typed.level == 2
    assert {question_for(questions, 2, i).kind for i in range(5)} == {QuestionKind.FILL}

    # A miss drops one level, back to true/false or fill-in; another miss back to choice.
    now = typed.due
    miss = schedule(typed.card_json, Rating.Again, now, kind=QuestionKind.FILL)
    assert miss.level == 1
    miss2 = schedule(miss.card_json, Rating.Again, miss.due, kind=QuestionKind.TRUE_FALSE)
    assert miss2.level == 0
    assert question_for(questions, miss2.level).kind is QuestionKind.CHOICE
    assert schedule(miss2.card_json, Rating.Again, miss2.due).level == 0


@pytest.mark.parametrize(
    ("level", "rating", "kind", "expected"),
    [
        (0, Rating.Again, QuestionKind.CHOICE, 0),
        (0, Rating.Hard, QuestionKind.CHOICE, 0),
        (0, Rating.Good, QuestionKind.CHOICE, 1),
        (0, Rating.Easy, QuestionKind.CHOICE, 1),
        (1, Rating.Good, QuestionKind.TRUE_FALSE, 1),
        (1, Rating.Good, QuestionKind.FILL, 2),
        (1, Rating.Easy, QuestionKind.NUMERIC, 2),
        (1, Rating.Good, None, 2),
        (1, Rating.Hard, QuestionKind.FILL, 1),
        (1, Rating.Again, QuestionKind.FILL, 0),
        (2, Rating.Good, QuestionKind.FILL, 2),
        (2, Rating.Hard, QuestionKind.FILL, 2),
        (2, Rating.Again, QuestionKind.FILL, 1),
    ],
)
def test_next_level_rule(
    level: int, rating: Rating, kind: QuestionKind | None, expected: int
) -> None:
    assert next_level(level, rating, kind) == expected


def test_question_for_falls_back_when_a_format_is_missing() -> None:
    numeric_only = [q("n", QuestionKind.NUMERIC), q("n", QuestionKind.CHOICE)]
    assert question_for(numeric_only, 2).kind is QuestionKind.NUMERIC
    # Level 1 without a true/false question asks the free-text one both times.
    assert {question_for(numeric_only, 1, i).kind for i in range(2)} == {QuestionKind.NUMERIC}
    quote = [q("w", QuestionKind.WHO_SAID), q("w", QuestionKind.TRUE_FALSE)]
    assert question_for(quote, 0).kind is QuestionKind.WHO_SAID
    assert question_for(quote, 2).kind is QuestionKind.WHO_SAID  # a choice beats a coin flip
    tf_only = [q("t", QuestionKind.TRUE_FALSE)]
    assert question_for(tf_only, 0).kind is QuestionKind.TRUE_FALSE
    with pytest.raises(ValueError, match="at least one question"):
        question_for([], 0)


def test_question_for_picks_among_variants_with_a_seeded_rng() -> None:
    variants = [q("v", QuestionKind.CHOICE, n=i) for i in range(4)]
    picks = [question_for(variants, 0, random.Random(seed)).id for seed in range(20)]
    assert picks == [question_for(variants, 0, random.Random(seed)).id for seed in range(20)]
    assert len(set(picks)) > 1
    assert [question_for(variants, 0, i).id for i in range(4)] == [v.id for v in variants]


# --- mastery -------------------------------------------------------------------------------


def test_mastery_needs_free_text_recall_and_stability() -> None:
    now = T0
    card = schedule(None, Rating.Good, now, kind=QuestionKind.CHOICE)
    card = schedule(card.card_json, Rating.Good, card.due, kind=QuestionKind.FILL)
    assert card.level == 2
    assert not card.mastered  # recalled once, but only stable for about two days
    card = schedule(card.card_json, Rating.Good, card.due, kind=QuestionKind.FILL)
    fsrs_card = read_card(card.card_json, card.due).card
    assert fsrs_card.stability is not None and fsrs_card.stability >= MASTERY_STABILITY_DAYS
    assert card.mastered
    last = fsrs_card.last_review
    assert last is not None
    assert is_mastered(card.card_json, card.level, last + timedelta(days=1))
    # Long overdue: recall is no longer likely, so it no longer counts as mastered.
    assert not is_mastered(card.card_json, card.level, card.due + timedelta(days=60))
    # The same card at a lower level is not mastered.
    assert not is_mastered(card.card_json, 1, last + timedelta(days=1))
    assert not is_mastered(None, 2, now)


def test_easy_answers_in_choice_alone_do_not_master_a_fact() -> None:
    card = schedule(None, Rating.Easy, T0, kind=QuestionKind.CHOICE)
    for _ in range(4):
        card = schedule(card.card_json, Rating.Easy, card.due, kind=QuestionKind.TRUE_FALSE)
    assert card.level == 1
    assert not card.mastered


# --- review queue --------------------------------------------------------------------------


def bank_questions() -> list[Question]:
    """Return five facts in two topics, each with three formats."""
    out: list[Question] = []
    for fact_id, topic in [
        ("a", "visit"),
        ("b", "visit"),
        ("c", "trade"),
        ("d", "trade"),
        ("e", "visit"),
    ]:
        out.extend(full_fact(fact_id, topic))
    return out


def test_review_queue_due_first_then_unseen_without_duplicates() -> None:
    questions = bank_questions()
    cards = [
        ("d", T0 - timedelta(hours=1), 0),  # due, slightly overdue
        ("b", T0 - timedelta(days=3), 2),  # due, most overdue
        ("a", T0 + timedelta(days=5), 1),  # seen, not due
    ]
    queue = review_queue(questions, cards, T0, count=10)
    assert [x.fact_id for x in queue] == ["b", "d", "c", "e"]
    assert len({x.fact_id for x in queue}) == len(queue)
    kinds = {x.fact_id: x.kind for x in queue}
    assert kinds["b"] is QuestionKind.FILL  # level 2
    assert kinds["d"] is QuestionKind.CHOICE  # level 0
    assert kinds["c"] is QuestionKind.CHOICE  # unseen

    assert [x.fact_id for x in review_queue(questions, cards, T0, count=3)] == ["b", "d", "c"]
    ahead = review_queue(questions, cards, T0, count=10, ahead=True)
    assert [x.fact_id for x in ahead] == ["b", "d", "c", "e", "a"]
    assert review_queue(questions, cards, T0, count=0) == []


def test_review_queue_by_topic_and_seeded_unseen_order() -> None:
    questions = bank_questions()
    cards = [("d", T0 - timedelta(hours=1), 0), ("b", T0 - timedelta(days=3), 2)]
    assert [x.fact_id for x in review_queue(questions, cards, T0, 10, topic="trade")] == ["d", "c"]
    orders = {
        tuple(x.fact_id for x in review_queue(questions, [], T0, 10, rng=random.Random(s)))
        for s in range(10)
    }
    assert len(orders) > 1
    assert all(sorted(o) == ["a", "b", "c", "d", "e"] for o in orders)
    same = [x.id for x in review_queue(questions, [], T0, 10, rng=random.Random(7))]
    assert same == [x.id for x in review_queue(questions, [], T0, 10, rng=random.Random(7))]


def test_review_queue_alternates_level_one_formats_between_reviews() -> None:
    questions = full_fact("a")
    kinds = set()
    card = schedule(None, Rating.Good, T0, kind=QuestionKind.CHOICE)
    for _ in range(2):
        (asked,) = review_queue(questions, [("a", card.due, card.level, card.reps)], card.due, 1)
        kinds.add(asked.kind)
        card = schedule(card.card_json, Rating.Hard, card.due, kind=asked.kind)
    assert kinds == {QuestionKind.TRUE_FALSE, QuestionKind.FILL}


def test_review_queue_alternates_even_without_a_review_count() -> None:
    questions = full_fact("a")
    asked = {
        review_queue(questions, [("a", T0 + timedelta(hours=h), 1)], T0 + timedelta(days=1), 1)[
            0
        ].kind
        for h in range(8)
    }
    assert asked == {QuestionKind.TRUE_FALSE, QuestionKind.FILL}
