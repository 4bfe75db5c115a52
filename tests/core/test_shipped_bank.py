"""The shipped bank is valid, large and varied, and every question traces to a fact."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.bank import load_bank, load_banks, load_facts
from bot.core.models import FactKind, QuestionKind

ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = ROOT / "questions" / "baku-belgrade"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK_DIR / "bank.yaml")


def test_check_passes_on_the_shipped_banks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_the_shipped_bank_draws_no_teacher_grade_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every rule of `quizbot check`, grounding in the article included where it can be found
    # (a checkout without the article beside it says so, and only that).
    monkeypatch.chdir(ROOT)
    main(["check"])
    warnings = [
        line
        for line in capsys.readouterr().err.splitlines()
        if ": warning: " in line and ": source: warning: article" not in line
    ]
    assert warnings == []


def test_bank_is_large_and_varied(bank) -> None:
    kinds = Counter(q.kind for q in bank.questions)
    assert len(bank.questions) >= 120
    assert set(kinds) == set(QuestionKind), "every kind of question is in the bank"
    assert kinds[QuestionKind.WHO_SAID] >= 10
    # Variety, not rewordings: at most two questions are made from one fact's own sentence.
    made = (QuestionKind.CHOICE, QuestionKind.TRUE_FALSE, QuestionKind.FILL, QuestionKind.NUMERIC)
    per_fact = Counter(q.fact_id for q in bank.questions if q.kind in made)
    assert max(per_fact.values()) <= 2


def test_every_question_traces_to_a_fact_and_its_paragraph(bank) -> None:
    facts = {f.id: f for f in load_facts(BANK_DIR / "facts.yaml").facts}
    for q in bank.questions:
        assert q.fact_id in facts, q.id
        fact = facts[q.fact_id]
        assert (q.paragraph, q.topic) == (fact.paragraph, fact.topic)
        # A "who said it" item is answered with a name, whatever its fact is about.
        who = q.kind is QuestionKind.WHO_SAID and q.fact_kind is FactKind.PERSON
        assert who or q.fact_kind is fact.kind
        assert q.explanation.strip()


def test_true_false_is_about_half_false_and_says_what_is_true(bank) -> None:
    tf = [q for q in bank.questions if q.kind is QuestionKind.TRUE_FALSE]
    false = [q for q in tf if q.answer == "False"]
    assert 0.4 <= len(false) / len(tf) <= 0.6
    facts = {f.id: f for f in bank.facts}
    for q in false:
        # The written false version is asked; the reveal states what the article says.
        fact = facts[q.fact_id]
        assert q.prompt == f"True or false? {fact.false}"
        assert q.explanation.startswith(f"False. {fact.statement}")


def test_correct_positions_are_spread_evenly(bank) -> None:
    positions = Counter(
        q.correct_index
        for q in bank.questions
        if q.kind in (QuestionKind.CHOICE, QuestionKind.WHO_SAID)
    )
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.values()) - min(positions.values()) <= 1


def test_load_banks_finds_every_bank() -> None:
    banks = load_banks(ROOT / "questions")
    assert "baku-belgrade" in banks
    assert banks["baku-belgrade"].facts
