"""Broken facts and bank files each get a located message, through the library and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.core.bank import load_bank_text, load_facts_text, read_bank, read_facts
from bot.core.generate import bank_to_yaml, generate
from bot.core.models import BankError

FACTS = """\
bank: "mini"
title: "A small article"
source: "test"
paragraphs: 3
topics:
  main: "Main"
facts:
  - id: "visit-city"
    paragraph: 1
    kind: "place"
    topic: "main"
    statement: "The president travelled to Belgrade for the visit."
    question: "Which city did the president travel to for the visit?"
    answer: "Belgrade"
    aliases: ["Beograd"]
    distractors: ["Sarajevo", "Zagreb", "Skopje"]
    explanation: "The capital of Serbia hosted the visit."
    ask: ["choice", "true_false", "fill"]
    false: "The president travelled to Zagreb for the visit."
  - id: "trade-growth"
    paragraph: 2
    kind: "number"
    topic: "main"
    statement: "Trade in services grew 16-fold since 2012."
    question: "By how much did trade in services grow since 2012?"
    answer: "16-fold"
    distractors: ["8-fold", "12-fold", "20-fold"]
    explanation: "Services such as tourism and transport drove the growth."
    ask: ["choice", "true_false", "numeric"]
"""


def _bank_text() -> str:
    return bank_to_yaml(generate(load_facts_text(FACTS, "facts.yaml")), FACTS)


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_valid_fixture_loads() -> None:
    factset = load_facts_text(FACTS, "facts.yaml")
    assert [f.id for f in factset.facts] == ["visit-city", "trade-growth"]
    bank = load_bank_text(_bank_text(), "bank.yaml")
    assert {q.kind.value for q in bank.questions} == {"choice", "true_false", "fill", "numeric"}


FACT_CASES = [
    (
        "not yaml",
        _edit(FACTS, 'title: "A small article"', "title: [unclosed"),
        "facts.yaml:3: yaml: not valid YAML",
    ),
    (
        "unknown key",
        _edit(FACTS, "    paragraph: 1\n", '    paragraph: 1\n    colour: "red"\n'),
        "facts.yaml:10: facts[0].colour: unknown key",
    ),
    (
        "missing key",
        _edit(FACTS, '    explanation: "The capital of Serbia hosted the visit."\n', ""),
        "facts.yaml:8: facts[0].explanation: missing required key",
    ),
    (
        "yes coerced",
        _edit(FACTS, 'answer: "Belgrade"', "answer: yes"),
        "facts.yaml:14: facts[0].answer: expected text but YAML reads 'yes' as a boolean",
    ),
    (
        "year coerced",
        _edit(FACTS, '["Sarajevo", "Zagreb", "Skopje"]', '[1999, "Zagreb", "Skopje"]'),
        "facts.yaml:16: facts[0].distractors[0]: expected text but YAML reads '1999' as a number",
    ),
    (
        "paragraph as text",
        _edit(FACTS, "paragraph: 1", 'paragraph: "one"'),
        "facts.yaml:9: facts[0].paragraph: expected a whole number",
    ),
    (
        "paragraph in octal",  # YAML 1.1 reads 012 as the number 10
        _edit(FACTS, "paragraph: 1", "paragraph: 012"),
        "facts.yaml:9: facts[0].paragraph: write whole numbers in plain digits, got '012'",
    ),
    (
        "paragraph in base 60",
        _edit(FACTS, "paragraph: 1", "paragraph: 1:30"),
        "facts.yaml:9: facts[0].paragraph: write whole numbers in plain digits, got '1:30'",
    ),
    (
        "paragraph out of range",
        _edit(FACTS, "paragraph: 2", "paragraph: 9"),
        "facts.yaml:21: facts[1].paragraph: paragraph 9 does not exist (the article has 3)",
    ),
    (
        "duplicate id",
        _edit(FACTS, 'id: "trade-growth"', 'id: "visit-city"'),
        "facts.yaml:20: facts[1].id: duplicate id 'visit-city'",
    ),
    (
        "unknown kind",
        _edit(FACTS, 'kind: "place"', 'kind: "colour"'),
        "facts.yaml:10: facts[0].kind: 'colour' is not one of",
    ),
    (
        "unknown topic",
        _edit(FACTS, 'topic: "main"\n    statement: "The', 'topic: "sport"\n    statement: "The'),
        "facts.yaml:11: facts[0].topic: unknown topic 'sport'",
    ),
    (
        "answer not in statement",
        _edit(FACTS, "travelled to Belgrade", "travelled to Serbia"),
        "facts.yaml:12: facts[0].statement: must contain the answer 'Belgrade'",
    ),
    (
        "answer in question",
        _edit(FACTS, "Which city did the president", "Which city, Beograd, did the president"),
        "facts.yaml:13: facts[0].question: gives the answer away ('Beograd' appears in it)",
    ),
    (
        "negative stem",
        _edit(
            FACTS, "Which city did the president travel", "Which city did the president not travel"
        ),
        "facts.yaml:13: facts[0].question: negative stem",
    ),
    (
        "distractor too close",
        _edit(FACTS, '"Sarajevo", "Zagreb"', '"Belgrad", "Zagreb"'),
        "facts.yaml:16: facts[0].distractors[0]: 'Belgrad' is too close to the answer",
    ),
    (
        "duplicate key",
        _edit(FACTS, '    answer: "16-fold"\n', '    answer: "16-fold"\n    answer: "8-fold"\n'),
        "facts.yaml:27: facts[1].answer: key appears twice",
    ),
    (
        "python tag",
        _edit(FACTS, 'source: "test"', "source: !!python/name:os.system"),
        "facts.yaml:3: yaml: tags are not allowed",
    ),
    (
        "custom tag",
        _edit(FACTS, 'source: "test"', 'source: !secret "test"'),
        "facts.yaml:3: yaml: tags are not allowed",
    ),
    (
        "number fact without number",
        _edit(_edit(FACTS, 'answer: "16-fold"', 'answer: "a lot"'), "grew 16-fold", "grew a lot"),
        "facts.yaml:26: facts[1].answer: a number fact needs a number",
    ),
    ("empty file", "", "facts.yaml:1: yaml: the file is empty"),
    (
        "facts not a list",
        FACTS.split("facts:\n", maxsplit=1)[0] + 'facts: "none"\n',
        "facts.yaml:7: facts: expected a list, got text",
    ),
]


@pytest.mark.parametrize(("fault", "text", "expected"), FACT_CASES, ids=[c[0] for c in FACT_CASES])
def test_broken_facts_are_located(fault: str, text: str, expected: str) -> None:
    factset, problems = read_facts(text, "facts.yaml")
    assert factset is None
    messages = [str(p) for p in problems]
    assert any(m.startswith(expected) for m in messages), messages


def test_every_problem_is_reported_at_once() -> None:
    text = _edit(_edit(FACTS, 'answer: "Belgrade"', "answer: yes"), "paragraph: 2", "paragraph: 9")
    with pytest.raises(BankError) as err:
        load_facts_text(text, "facts.yaml")
    fields = {p.field for p in err.value.problems}
    assert {"facts[0].answer", "facts[1].paragraph"} <= fields


BANK_CASES = [
    (
        "answer not among choices",
        lambda t: _edit(t, "  answer: Belgrade\n  choices:", "  answer: Nis\n  choices:"),
        "bank.yaml:",
        "visit-city.choice.answer: 'Nis' is not among the choices",
    ),
    (
        "duplicate question id",
        lambda t: _edit(t, "id: trade-growth.choice", "id: visit-city.choice"),
        "bank.yaml:",
        "visit-city.choice.id: duplicate id",
    ),
    (
        "choices coerced",
        lambda t: _edit(t, "- Zagreb", "- no"),
        "bank.yaml:",
        "choices[",
        "expected text but YAML reads 'no' as a boolean",
    ),
    (
        "hand edited but valid",
        lambda t: _edit(t, "The capital of Serbia hosted", "Serbia's capital hosted"),
        "bank.yaml:",
        "bank: differs from what `quizbot generate` makes",
    ),
    (
        "not generated",
        lambda t: _edit(t, "generated: true", "generated: false"),
        "bank.yaml:3: generated: a bank must be generated by quizbot",
    ),
    (
        "unknown question kind",
        lambda t: _edit(t, "kind: fill", "kind: essay"),
        "bank.yaml:",
        "kind: 'essay' is not one of",
    ),
    (
        "true/false with other choices",
        lambda t: _edit(t, "- 'True'\n  - 'False'", "- 'Yes'\n  - 'False'"),
        "bank.yaml:",
        "true_false.choices: a true/false question has choices",
    ),
]


def _write_bank(tmp_path: Path, edit) -> Path:
    bank_dir = tmp_path / "mini"
    bank_dir.mkdir()
    (bank_dir / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (bank_dir / "bank.yaml").write_text(edit(_bank_text()), encoding="utf-8")
    return bank_dir


@pytest.mark.parametrize("case", BANK_CASES, ids=[c[0] for c in BANK_CASES])
def test_broken_banks_fail_check_with_located_messages(
    case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fault, edit, *expected = case
    bank_dir = _write_bank(tmp_path, edit)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "mini"]) == 1
    err = capsys.readouterr().err
    line = next((ln for ln in err.splitlines() if all(e in ln for e in expected)), None)
    assert line is not None, err
    assert line.startswith(str(bank_dir.relative_to(tmp_path) / "bank.yaml") + ":")
    assert "Traceback" not in err


def test_broken_facts_fail_check_and_generate_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(_edit(FACTS, 'answer: "Belgrade"', "answer: on"), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert main(["generate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:14: facts[0].answer: expected text but YAML reads 'on' as a boolean" in err
    assert "Traceback" not in err
    assert not (tmp_path / "bank.yaml").exists()


def test_generate_then_check_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank_dir = tmp_path / "mini"
    bank_dir.mkdir()
    (bank_dir / "facts.yaml").write_text(FACTS, encoding="utf-8")
    assert main(["generate", str(bank_dir)]) == 0
    first = (bank_dir / "bank.yaml").read_text(encoding="utf-8")
    assert main(["generate", str(bank_dir)]) == 0
    assert (bank_dir / "bank.yaml").read_text(encoding="utf-8") == first
    assert main(["check", str(bank_dir)]) == 0
    assert "ok," in capsys.readouterr().out


def test_unreadable_and_oversized_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    _, problems = read_bank("", "bank.yaml")
    assert str(problems[0]).startswith("bank.yaml:1: yaml: the file is empty")
    big = tmp_path / "bank.yaml"
    big.write_bytes(b"# " + b"x" * 1_100_000)
    with pytest.raises(BankError, match="too large"):
        from bot.core.bank import load_bank

        load_bank(big)
    with pytest.raises(BankError, match="cannot read"):
        from bot.core.bank import load_bank

        load_bank(missing)


def test_load_banks_skips_a_broken_bank_only_when_asked(tmp_path: Path) -> None:
    from bot.core.bank import load_banks

    good = tmp_path / "good"
    good.mkdir()
    (good / "bank.yaml").write_text(_bank_text(), encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bank.yaml").write_text("generated: [", encoding="utf-8")

    with pytest.raises(BankError) as err:
        load_banks(tmp_path)
    assert all(p.file.endswith("broken/bank.yaml") for p in err.value.problems)

    skipped: list[str] = []
    banks = load_banks(tmp_path, on_error=lambda path, problems: skipped.append(path.parent.name))
    assert list(banks) == ["mini"]
    assert skipped == ["broken"]


def test_a_loaded_bank_carries_only_the_facts_it_asks_about(tmp_path: Path) -> None:
    from bot.core.bank import load_bank

    draft = """\
  - id: "draft-city"
    paragraph: 3
    kind: "place"
    topic: "main"
    statement: "The delegation flew on to Riga afterwards."
    question: "Where did the delegation fly on to afterwards?"
    answer: "Riga"
    distractors: ["Tallinn", "Vilnius", "Helsinki"]
    explanation: "A draft nobody has checked yet."
    reviewed: false
"""
    bank_dir = tmp_path / "mini"
    bank_dir.mkdir()
    (bank_dir / "facts.yaml").write_text(FACTS + draft, encoding="utf-8")
    assert main(["generate", str(bank_dir)]) == 0
    bank = load_bank(bank_dir / "bank.yaml")
    # The unreviewed draft has no question, so it is neither answered from nor counted.
    assert [f.id for f in bank.facts] == ["visit-city", "trade-growth"]
    assert main(["generate", "--include-drafts", str(bank_dir)]) == 0
    assert [f.id for f in load_bank(bank_dir / "bank.yaml").facts][-1] == "draft-city"
