"""Each teacher-grade rule catches its broken example and passes the fixed one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.article import parse_article
from bot.core.bank import load_bank_text, load_facts_text
from bot.core.generate import bank_to_yaml, generate
from bot.core.models import Bank, BankError, FactKind, Question, QuestionKind
from bot.core.quality import check_bank, check_grounding, false_statement_problem

ARTICLE = parse_article(
    "A small article\n"
    "The president of Azerbaijan, Ilham Aliyev, visited Belgrade on February 15.\n"
    "Trade in services such as tourism and transport grew 16-fold compared to 2012.\n"
)


def _q(**changes: object) -> Question:
    base = Question(
        id="guest.choice",
        kind=QuestionKind.CHOICE,
        prompt="Which president visited Belgrade on February 15?",
        answer="Ilham Aliyev",
        explanation="Paragraph 1 names the guest: Ilham Aliyev, president of Azerbaijan.",
        fact_id="guest",
        paragraph=1,
        topic="main",
        fact_kind=FactKind.PERSON,
        choices=("Ilham Aliyev", "Boris Tadić", "Rumen Radev", "Klaus Iohannis"),
        answer_class="president",
    )
    return replace(base, **changes)


def _rules(*questions: Question) -> list[str]:
    bank = Bank("mini", "Mini", "test", tuple(questions), {"main": "Main"})
    return [p.field.rsplit(".", 1)[-1] for p in check_bank(bank)]


def test_a_fair_question_breaks_no_rule() -> None:
    assert _rules(_q()) == []


def test_an_option_of_another_class_is_flagged() -> None:
    # A prime minister offered for "which president".
    broken = _q(choices=("Ilham Aliyev", "Boris Tadić", "Nikol Pashinyan", "Rumen Radev"))
    assert _rules(broken) == ["class"]
    sectors = _q(
        prompt="Which service sector grew?",
        answer="tourism",
        answer_class="service sector",
        choices=("tourism", "mining", "banking", "insurance"),
    )
    assert _rules(sectors) == ["class"]
    assert _rules(replace(sectors, choices=("tourism", "retail", "banking", "insurance"))) == []


def test_the_longest_answer_cue_is_flagged_per_item_and_across_the_bank() -> None:
    long = _q(
        prompt="What did the visit show, according to the article?",
        answer="a lasting and carefully built partnership",
        answer_class=None,
        choices=("a lasting and carefully built partnership", "a rivalry", "a truce", "a feud"),
    )
    assert "longest" in _rules(long)
    # Eight fair items, four of them with the answer (slightly) the longest: 50% > 30%.
    fair = [
        _q(id=f"q{i}.choice", fact_id=f"f{i}", prompt=f"Which president came, case {i}?")
        for i in range(8)
    ]
    leaning = [
        replace(q, choices=("Ilham Aliyev", "Rumen Radev", "Boris Tadić", "Edi Rama"))
        if i % 2
        else replace(q, choices=("Ilham Aliyev", "Klaus Iohannis", "Rumen Radev", "Boris Tadić"))
        for i, q in enumerate(fair)
    ]
    assert "questions" in _rules(*leaning)
    assert "questions" not in _rules(*fair)


def test_a_stem_word_that_only_the_answer_shares_is_a_giveaway() -> None:
    broken = _q(
        prompt="Which investment projects interest Azerbaijan?",
        answer="infrastructure projects",
        answer_class=None,
        choices=(
            "infrastructure projects",
            "professional football clubs",
            "regional film studios",
            "luxury fashion houses",
        ),
    )
    assert _rules(broken) == ["giveaway"]
    fixed = replace(
        broken,
        choices=(
            "infrastructure projects",
            "housing projects",
            "mining projects",
            "renewable art projects",
        ),
    )
    assert _rules(fixed) == []


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("the visit took place in May.", "capital"),
        ("The visit took place in May", "end like a sentence"),
        ("The the visit took place in May.", "repeats"),
        ("It was an military action by the OSCE.", "'an' before 'military'"),
        ("It was a OSCE-led meeting of ministers.", None),  # an acronym: "a" is fine as read
        ("The analyst said “it was good.", "unbalanced"),
        ("Visit in May.", "too short"),
        ("The council is a one-off event for a European partner.", None),
        ("The president arrived in Belgrade on February 15.", None),
    ],
)
def test_a_false_statement_must_read_as_a_sentence(statement: str, problem: str | None) -> None:
    found = false_statement_problem(statement)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_a_broken_false_statement_is_an_error_that_stops_the_bank() -> None:
    facts = """\
bank: "mini"
title: "Mini"
source: "test"
topics:
  main: "Main"
facts:
  - id: "guest"
    paragraph: 1
    kind: "person"
    topic: "main"
    statement: "The president Ilham Aliyev visited Belgrade."
    question: "Which president visited Belgrade?"
    answer: "Ilham Aliyev"
    distractors: ["Boris Tadić", "Rumen Radev", "Klaus Iohannis"]
    explanation: "Paragraph 1 names him."
    false: "the president Boris Tadić visited Belgrade"
"""
    text = bank_to_yaml(generate(load_facts_text(facts)), facts)
    with pytest.raises(BankError) as caught:
        load_bank_text(text)
    assert "guest.true_false.false-statement" in str(caught.value)
    fixed = facts.replace(
        '"the president Boris Tadić visited Belgrade"', '"Rumen Radev visited Belgrade."'
    )
    fixed_text = bank_to_yaml(generate(load_facts_text(fixed)), fixed)
    assert load_bank_text(fixed_text).question("guest.true_false") is not None


def test_near_copies_of_one_stem_are_flagged() -> None:
    choice = _q()
    numeric = _q(id="guest.numeric", kind=QuestionKind.FILL, choices=(), prompt=choice.prompt)
    assert _rules(choice, numeric) == ["duplicate"]
    other = replace(numeric, prompt="Who was the guest on Statehood Day?")
    assert _rules(choice, other) == []


def test_an_explanation_must_stay_within_its_paragraphs_or_mark_background() -> None:
    bank = Bank("mini", "Mini", "test", (_q(),), {"main": "Main"})
    assert check_grounding(bank, ARTICLE) == []
    outside = _q(explanation="Ilham Aliyev has led Azerbaijan since 2003, after Heydar Aliyev.")
    found = check_grounding(replace(bank, questions=(outside,)), ARTICLE)
    assert len(found) == 1 and "2003" in found[0].message and "Heydar" in found[0].message
    # The same knowledge set apart as background is fine.
    moved = _q(background="Ilham Aliyev has led Azerbaijan since 2003.")
    assert check_grounding(replace(bank, questions=(moved,)), ARTICLE) == []
    # A fact resting on another paragraph cites it.
    trade = _q(explanation="Paragraph 2 gives the 16-fold growth since 2012.")
    assert check_grounding(replace(bank, questions=(trade,)), ARTICLE)
    cited = replace(trade, cites=(2,))
    assert check_grounding(replace(bank, questions=(cited,)), ARTICLE) == []
