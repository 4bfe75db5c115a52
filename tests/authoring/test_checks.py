"""Teacher-grade checks, the validator's verdict on a draft, and the evaluation set's figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.authoring.checks import audit, option_problem, swap_problem, swapped_in
from bot.authoring.context import ArticleContext, date_class, number_class
from bot.authoring.evaluate import evaluate, totals
from bot.authoring.extract import extract
from bot.authoring.review import review
from bot.core.generate import generate
from bot.core.models import Bank, Fact, FactKind, FactSet, Question, QuestionKind

ROOT = Path(__file__).resolve().parents[2]
EVALUATION = sorted(p for p in (ROOT / "tests/data/evaluation").iterdir() if p.is_dir())
SEED = Path(os.environ.get("QUIZBOT_ARTICLE") or ROOT.parent / "shared/seed/article.txt")
SEED_FACTS = ROOT / "questions/baku-belgrade/facts.yaml"
LISBON = ArticleContext(
    "southern-europe",
    "politics",
    {"lisbon": "place/city", "barreiro": "place/settlement", "tagus river": "place/water",
     "ana costa": "person", "socialist party": "organisation/party"},
)  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "answer", "distractor", "problem"),
    [
        ("It was an idea of Lisbon.", "Lisbon", "Porto", None),
        ("It is an energy hub.", "energy hub", "transit route", "“an transit route”"),
        ("It is a transit route.", "transit route", "energy hub", "“a energy hub”"),
        ("It reached the Balkans.", "Balkans", "the Caucasus", "repeats the article"),
        ("Lisbon and Porto signed it.", "Lisbon", "Porto", "already named"),
        ("Tourism grew fast.", "Tourism", "transport", "small letter"),
        ("It needs new air links.", "new air links", "energy hub", "differ in number"),
    ],
)
def test_a_false_statement_must_read_naturally(statement, answer, distractor, problem):
    got = swap_problem(statement, answer, distractor, "claim/phrase")
    assert (got is None) if problem is None else (problem in (got or "")), got


@pytest.mark.parametrize(
    ("kind", "cls", "answer", "option", "problem"),
    [
        (FactKind.PLACE, "place/city", "Lisbon", "Barreiro", None),
        (FactKind.PLACE, "place/city", "Lisbon", "Tagus River", "class"),
        (FactKind.PLACE, "place/city", "Lisbon", "Porto", None),
        (FactKind.PLACE, "place/city", "Lisbon", "Ljubljana", "another region"),
        (FactKind.PERSON, "person", "Ana Costa", "Recep Tayyip Erdoğan", "shared Balkan"),
        (FactKind.ORGANISATION, "organisation/party", "Socialist Party", "Green Party", None),
        (FactKind.ORGANISATION, "organisation/party", "Socialist Party", "Lisbon", "class"),
        (FactKind.DATE, "date/month-year", "November 2019", "November 2519", "more than"),
        (FactKind.DATE, "date/month-year", "November 2019", "14 November 2019", "form"),
        (FactKind.DATE, "date/year", "1998", "2003", None),
        (FactKind.NUMBER, "number", "16-fold", "12-fold", None),
        (FactKind.NUMBER, "number", "1.8 billion", "18 billion", "magnitude"),
        (FactKind.NUMBER, "number", "40 percent", "40 km", "written like"),
    ],
)  # fmt: skip
def test_options_must_be_of_the_answers_class_region_and_form(kind, cls, answer, option, problem):
    got = option_problem(kind, cls, answer, option, LISBON)
    assert (got is None) if problem is None else (problem in (got or "")), got


def test_forms_of_dates_and_numbers():
    assert [date_class(d) for d in ("15 February 2024", "February 15", "May", "1999", "1990s")] == [
        "date/day-month-year", "date/month-day", "date/month", "date/year", "date/decade",
    ]  # fmt: skip
    assert number_class("16-fold") == number_class("8-fold") != number_class("16")
    assert number_class("seven") == "number/words"


def _bank(fact: Fact, questions: list[Question]) -> Bank:
    return Bank("b", "B", "s", tuple(questions), {"t": "T"}, facts=(fact,))


def _q(qid: str, kind: QuestionKind, prompt: str, answer: str, choices=()) -> Question:
    return Question(qid, kind, prompt, answer, "E", "f", 1, "t", FactKind.PLACE, tuple(choices))


def test_audit_finds_the_false_statement_and_the_longest_option_of_a_bank():
    fact = Fact("f", "The bridge reaches Barreiro.", 1, FactKind.PLACE, "t", "Where?", "Barreiro",
                "E")  # fmt: skip
    prompt = "True or false? The bridge reaches Tagus River."
    assert swapped_in(fact.statement, fact.answer, prompt) == "Tagus River"
    bank = _bank(fact, [
        _q("f.tf", QuestionKind.TRUE_FALSE, prompt, "False", ("True", "False")),
        _q("f.choice", QuestionKind.CHOICE, "Where?", "Barreiro", ("Barreiro", "Lx", "A", "B")),
    ])  # fmt: skip
    found = {(f.question_id, f.rule) for f in audit(bank, LISBON)}
    assert found == {("f.tf", "false-statement"), ("f.choice", "longest")}


def test_the_validators_verdict_is_attributed_to_the_questions_of_the_fact():
    good = Fact("good", "The plant opened in Antofagasta.", 1, FactKind.PLACE, "t",
                "Where did the plant open?", "Antofagasta", "E",
                distractors=("Iquique", "Calama", "Arica"), reviewed=False)  # fmt: skip
    leaky = Fact("leaky", "The plant cost 40 million.", 1, FactKind.NUMBER, "t",
                 "Did it cost 40 million?", "40 million", "E", reviewed=False)  # fmt: skip
    verdict = review(FactSet("b", "B", "s", (good, leaky), {"t": "T"}, 1))
    failed = {q for q, _ in verdict.failed}
    assert failed and all(q.startswith("leaky.") for q in failed)
    assert verdict.passed == verdict.questions - len(failed) > 0
    assert "gives the answer away" in verdict.failed[0][1]


@pytest.mark.parametrize("folder", EVALUATION, ids=lambda p: p.name)
def test_every_drafted_fact_of_the_evaluation_set_meets_the_teacher_grade_checks(folder):
    text = (folder / "article.txt").read_text(encoding="utf-8")
    draft = extract(text, folder.name)
    e = evaluate(folder / "article.txt", folder / "facts.yaml")
    assert e.review.passed == e.review.questions, e.review.failed[:3]
    assert len(generate(draft, include_unreviewed=True).questions) == e.review.questions
    # Options the draft itself chose are always of the answer's class; the few findings left
    # come from the generator filling a question that has fewer than three options.
    by_fact = {f.id: f for f in draft.facts}
    for finding in e.findings:
        fact = by_fact[finding.question_id.split(".")[0]]
        assert len(fact.distractors) < 3 or finding.rule == "longest", finding


def test_the_evaluation_set_meets_the_targets():
    t = totals([evaluate(d / "article.txt", d / "facts.yaml") for d in EVALUATION])
    assert len(EVALUATION) >= 5
    assert t.recall >= 0.75 and t.precision >= 0.8, t
    assert t.kind_accuracy >= 0.9 and t.validator_share >= 0.7, t


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")
def test_the_seed_articles_figures_do_not_drop():
    # Before the evaluation set: 44 hand-written answers found, precision 59/72. The reference
    # has since grown (paraphrased claims no rule finds), so recall is held by count.
    q = evaluate(SEED, SEED_FACTS, "seed").quality
    assert q.reference_count - len(q.missed) >= 44 and q.precision >= 59 / 72, q.summary()
