"""Game settings, and picking a game's questions: no repeats, distinct facts, unseen first."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import pytest
from support.banks import family_bank, question

from bot.core.models import FALSE, TRUE, Bank, FactKind, Question, QuestionKind
from bot.core.selection import (
    GameMode,
    GameSettings,
    NotEnoughQuestionsError,
    SettingsError,
    match_typed,
    pick_questions,
    read_option,
)


def pick(
    bank_or_questions: Bank | Iterable[Question], count: int, seed: int = 1, **kwargs: Any
) -> list[Question]:
    """Pick with a seeded generator."""
    return pick_questions(bank_or_questions, count, rng=random.Random(seed), **kwargs)


@pytest.mark.parametrize("seed", range(20))
def test_never_repeats_and_facts_are_distinct_when_possible(seed: int) -> None:
    bank = family_bank(facts=12, per_fact=3)
    picked = pick(bank, 10, seed)
    assert len(picked) == 10
    assert len({q.id for q in picked}) == 10
    assert len({q.fact_id for q in picked}) == 10


def test_facts_repeat_only_once_every_fact_is_used() -> None:
    bank = family_bank(facts=4, per_fact=3)
    picked = pick(bank, 10)
    assert len({q.id for q in picked}) == 10
    # The first four picks cover every fact before any fact comes back.
    assert len({q.fact_id for q in picked[:4]}) == 4
    assert max(Counter(q.fact_id for q in picked).values()) == 3


def test_a_small_pool_gives_every_question_once() -> None:
    bank = family_bank(facts=2, per_fact=2)
    picked = pick(bank, 10)
    assert sorted(q.id for q in picked) == sorted(q.id for q in bank.questions)


def test_duplicate_ids_in_the_input_count_once() -> None:
    q = question("same")
    assert [p.id for p in pick([q, q, q], 3)] == ["same"]


def test_prefers_unseen_questions_and_facts() -> None:
    bank = family_bank(facts=12, per_fact=2)
    # Players met one question of each of the first eight facts.
    seen = {f"f{f:02d}-q0" for f in range(8)}
    picked = pick(bank, 4, seen=seen)
    assert {q.fact_id for q in picked} == {f"f{f:02d}" for f in range(8, 12)}

    # Asking for more: unseen facts first, then unseen questions of known facts, seen ones last.
    picked = pick(bank, 12, seen=seen)
    assert {q.fact_id for q in picked[:4]} == {f"f{f:02d}" for f in range(8, 12)}
    assert all(q.id not in seen for q in picked)
    assert all(q.id.endswith("q1") for q in picked[4:])


def test_seen_questions_come_back_only_when_nothing_else_is_left() -> None:
    bank = family_bank(facts=3, per_fact=1)
    seen = {"f00-q0", "f01-q0"}
    picked = pick(bank, 3, seen=seen)
    assert picked[0].id == "f02-q0"
    assert {q.id for q in picked[1:]} == seen


def test_kinds_are_mixed() -> None:
    questions = [question(f"c{i}", QuestionKind.CHOICE) for i in range(10)]
    questions += [question(f"n{i}", QuestionKind.NUMERIC, answer="1990") for i in range(3)]
    questions += [question(f"t{i}", QuestionKind.TRUE_FALSE) for i in range(3)]
    picked = pick(questions, 9)
    kinds = Counter(q.kind for q in picked)
    assert kinds == {QuestionKind.CHOICE: 3, QuestionKind.NUMERIC: 3, QuestionKind.TRUE_FALSE: 3}
    # Kinds take turns rather than coming in blocks.
    assert len({q.kind for q in picked[:3]}) == 3


def test_deterministic_for_a_seed_and_independent_of_input_order() -> None:
    bank = family_bank(facts=20, per_fact=3)
    first = [q.id for q in pick(bank, 10, seed=7)]
    assert [q.id for q in pick(bank, 10, seed=7)] == first
    shuffled = list(bank.questions)
    random.Random(0).shuffle(shuffled)
    assert [q.id for q in pick(shuffled, 10, seed=7)] == first
    others = {tuple(q.id for q in pick(bank, 10, seed=s)) for s in range(8)}
    assert len(others) > 1  # the seed matters


def test_topic_filter() -> None:
    bank = family_bank(facts=12, per_fact=2, topics=("economy", "politics", "sport"))
    picked = pick(bank, 10, topic="sport")
    assert picked and {q.topic for q in picked} == {"sport"}
    assert len(picked) == 8  # every sport question, fewer than asked for
    plain = pick(list(bank.questions), 10, topic="sport")
    assert {q.topic for q in plain} == {"sport"}


def test_classic_mode_skips_true_false() -> None:
    bank = family_bank(facts=10, per_fact=5)
    assert any(q.kind is QuestionKind.TRUE_FALSE for q in pick(bank, 10))
    classic = pick(bank, 10, mode=GameMode.CLASSIC)
    assert len(classic) == 10
    assert all(q.kind is not QuestionKind.TRUE_FALSE for q in classic)


def test_not_enough_questions() -> None:
    bank = family_bank(facts=3, per_fact=1)
    with pytest.raises(NotEnoughQuestionsError, match="not enough questions for topic nope"):
        pick(bank, 5, topic="nope")
    only_tf = [question("t", QuestionKind.TRUE_FALSE)]
    with pytest.raises(NotEnoughQuestionsError) as err:
        pick(only_tf, 1, mode=GameMode.CLASSIC, topic="history")
    assert err.value.topic == "history"
    with pytest.raises(NotEnoughQuestionsError, match="this game"):
        pick([], 1)
    with pytest.raises(ValueError, match="at least 1"):
        pick(bank, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "count must be a whole number from 1 to 50, got 0"),
        ({"count": 51}, "count must be a whole number from 1 to 50"),
        ({"count": True}, "count must be"),
        ({"seconds": 4}, "seconds must be a whole number from 5 to 120, got 4"),
        ({"seconds": 121}, "seconds must be"),
        ({"seconds": 7.5}, "seconds must be"),
        ({"mode": "speed"}, "mode must be one of buttons, classic, mixed, got 'speed'"),
    ],
)
def test_settings_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        GameSettings(**kwargs)  # type: ignore[arg-type]


def test_settings_accept_bounds_and_mode_names() -> None:
    s = GameSettings(count=50, seconds=5, mode="classic", topic="  ")  # type: ignore[arg-type]
    assert s.mode is GameMode.CLASSIC
    assert s.topic is None
    assert GameSettings(count=1, seconds=120).mode is GameMode.BUTTONS


YEARS = ("1990", "2008", "2012", "2016")
NAMES = ("Baku", "Belgrade", "Riga", "Oslo")


@pytest.mark.parametrize(
    ("text", "options", "index"),
    [
        ("Belgrade", NAMES, 1),
        ("  riga ", NAMES, 2),
        ("b", NAMES, 1),
        ("B)", NAMES, 1),
        ("3", NAMES, 2),
        ("z", NAMES, 25),  # a letter past the options: the caller refuses it as no option
        ("5", NAMES, None),
        ("Paris", NAMES, None),
        ("2012", YEARS, 2),  # a number typed among number options is that option, not #2012
        ("2", YEARS, None),
        ("t", (TRUE, FALSE), 0),
        ("no", (TRUE, FALSE), 1),
        ("²", NAMES, 1),  # folded to "2"
        ("\u1369", NAMES, None),  # Ethiopic one: a digit, but not one int() reads
        ("a", (), None),
    ],
)
def test_read_option(text: str, options: tuple[str, ...], index: int | None) -> None:
    assert read_option(text, options) == index


def test_a_who_said_answer_is_matched_as_a_person_name() -> None:
    who = question(
        "who",
        QuestionKind.WHO_SAID,
        answer="JD Vance",
        choices=("Ilham Aliyev", "JD Vance", "Stevan Gajić", "Boris Tadić"),
        fact_kind=FactKind.QUOTE,
    )
    assert match_typed("Vance", who).how == "surname"
    assert not match_typed("Tadic", who).accepted  # another option is never taken for it


@pytest.mark.parametrize("seed", range(10))
def test_a_question_that_shows_other_facts_is_never_asked_beside_them(seed: int) -> None:
    # An ordering shows facts a and b; while other facts remain, it is never picked with them.
    order = replace(question("order.order", QuestionKind.ORDER, fact="c"), reveals=("a", "b"))
    others = [question(f"{f}.choice", fact=f) for f in ("a", "b", "d", "e")]
    picked = pick([order, *others], 3, seed)
    facts = [f for q in picked for f in q.facts]
    assert len(facts) == len(set(facts)), [q.id for q in picked]


def test_classic_mode_never_asks_what_only_makes_sense_with_options() -> None:
    kinds = [
        question(f"{kind.value}.q", kind, fact=kind.value)
        for kind in QuestionKind
        if kind not in (QuestionKind.FILL, QuestionKind.NUMERIC)
    ] + [question("fill.q", QuestionKind.FILL, fact="fill")]
    typed = {q.kind for q in pick(kinds, len(kinds), mode=GameMode.CLASSIC)}
    assert typed == {QuestionKind.CHOICE, QuestionKind.WHO_SAID, QuestionKind.FILL}
    shown = {q.kind for q in pick(kinds, len(kinds), mode=GameMode.BUTTONS)}
    assert QuestionKind.FILL not in shown and QuestionKind.ORDER in shown
