"""Ask the article: questions people would type, answered from the real facts file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ask import MAX_QUESTION_CHARS, ArticleIndex, AskHit, terms
from bot.core.bank import load_facts
from bot.core.models import Fact, FactKind

FACTS = Path(__file__).resolve().parents[2] / "questions" / "baku-belgrade" / "facts.yaml"


@pytest.fixture(scope="module")
def index() -> ArticleIndex:
    return ArticleIndex(load_facts(FACTS).facts)


def found(hits: list[AskHit], fact_id: str, answer: str) -> bool:
    """Tell whether a hit is the expected fact (by id, or by its answer if ids were renamed)."""
    return any(h.fact.id == fact_id or answer.casefold() in h.fact.answer.casefold() for h in hits)


# (question as a person would type it, expected fact id, a substring of its answer)
ANSWERED = [
    ("when did aliyev visit belgrade", "visit-date", "February 15"),
    ("what date was the visit", "visit-date", "February 15"),
    ("what is the strategic partnership council?", "council-name", "Strategic Partnership"),
    ("who is stevan gajic", "analyst-gajic", "Gajić"),
    ("how much did services trade grow", "services-growth", "16"),
    ("by how much has trade in services increased", "services-growth", "16"),
    ("when do the direct flights start", "flights-month", "May"),
    ("in which month will the flights start", "flights-month", "May"),
    ("what did aliyev call vucic", "dear-friend", "Aliyev"),
    ("who said my dear friend", "dear-friend", "Aliyev"),
    ("why was the visit on statehood day", "statehood-day", "Statehood Day"),
    ("who is the president of serbia", "host-vucic", "Vučić"),
    ("who visited serbia", "guest-aliyev", "Aliyev"),
    ("what was signed at the council meeting", "council-resolution", "resolution"),
    ("what does serbia want for its energy supplies", "diversifying-supplies", "diversifying"),
    ("does azerbaijan supply gas to europe", "gas-supplier", "gas supplier"),
    ("does the cooperation include renewable energy", "renewable-energy", "renewable"),
    ("compared to which year did services trade grow", "services-base-year", "2012"),
    ("which outlet interviewed gajic", "interview-outlet", "Caliber"),
    ("what institute does Gajić work for", "analyst-institute", "Institute of European"),
    ("what did an azerbaijani company build in serbia", "highway", "highway"),
    ("when did nato attack serbia", "aggression-year", "1999"),
    ("what happened in 1999", "aggression-year", "1999"),
    ("what is the kosovo issue", "kosovo-issue", "Kosovo"),
    ("since when have the two countries been developing relations", "since-tadic", "Tadić"),
    ("what kind of foreign policy do serbia and azerbaijan have", "multi-vector", "multi-vector"),
    ("what did vucic say about the ties", "shared-vision", "Vučić"),
    ("does azerbaijan support serbia's territorial integrity", "mutual-support", "territorial"),
    ("what is the council designed to withstand", "political-cycle", "political cycle"),
    ("which region is azerbaijan expanding its cooperation to", "to-the-balkans", "Balkans"),
    ("What did Gajić say about tourism?", "promote-tourism", "Gajić"),
    (
        "is the solidarity between Baku and Belgrade just declarative",
        "pragmatic-solidarity",
        "pragm",
    ),
    ("how does azerbaijan see serbia", "long-term-partner", "long-term partner"),
    ("what speeds up projects", "personal-trust", "personal trust"),
    ("why does the partnership look natural", "room-for-manoeuvre", "room for"),
    ("WHAT DID THE AZERBAIJANI COMPANY BUILD", "highway", "highway"),
]

NOT_ANSWERED = [
    "what is the population of baku",
    "who won the 2018 world cup",
    "what is the capital of france",
    "how do I bake bread",
    "what is the weather in belgrade tomorrow",
    "who is the president of france",
    "what is the gdp of serbia",
    "how many people live in belgrade",
    "what language do they speak in azerbaijan",
    "what time is it",
    "how old is aliyev",
    "who wrote hamlet",
    "what is the price of oil",
    "is it going to rain",
    "hello",
]


def test_the_real_facts_file_is_big_enough(index: ArticleIndex) -> None:
    assert len(index) >= 52


@pytest.mark.parametrize(("question", "fact_id", "answer"), ANSWERED)
def test_answers_questions_people_ask(
    index: ArticleIndex, question: str, fact_id: str, answer: str
) -> None:
    hits = index.ask(question)
    assert 1 <= len(hits) <= 2
    assert found(hits, fact_id, answer), [(h.fact.id, round(h.score, 2)) for h in hits]
    assert hits == sorted(hits, key=lambda h: -h.score)


@pytest.mark.parametrize("question", NOT_ANSWERED)
def test_says_nothing_when_the_article_does_not_answer(index: ArticleIndex, question: str) -> None:
    hits = index.ask(question)
    assert hits == [], [(h.fact.id, round(h.score, 2), round(h.coverage, 2)) for h in hits]


def test_hit_rates_over_the_whole_lists(index: ArticleIndex) -> None:
    answered = sum(found(index.ask(q), f, a) for q, f, a in ANSWERED)
    silent = sum(index.ask(q) == [] for q in NOT_ANSWERED)
    assert (answered, silent) == (len(ANSWERED), len(NOT_ANSWERED))


@pytest.mark.parametrize("question", ["", "   ", "?!?", "what is the", "who did it and why"])
def test_empty_or_stopword_questions_get_nothing(index: ArticleIndex, question: str) -> None:
    assert index.ask(question) == []


def test_long_questions_are_cut(index: ArticleIndex) -> None:
    noise = "x" * 2000
    assert index.ask(noise) == []
    long = "when do the direct flights start " + "please " * 400
    assert len(long) > MAX_QUESTION_CHARS
    assert found(index.ask(long), "flights-month", "May")
    # Words past the cut are not read at all.
    assert index.ask("zzz " * 100 + "when do the direct flights start") == []


def test_k_limits_the_hits(index: ArticleIndex) -> None:
    assert len(index.ask("who is stevan gajic", k=1)) == 1
    assert index.ask("who is stevan gajic", k=0) == []
    many = index.ask("what did the serbian analyst gajic say", k=5)
    assert 1 <= len(many) <= 5
    assert all(h.score >= many[0].score * 0.5 for h in many)


def test_an_empty_index_answers_nothing() -> None:
    assert ArticleIndex([]).ask("when do the direct flights start") == []


def test_terms_fold_accents_stem_and_merge_synonyms() -> None:
    assert terms("Vučić") == terms("vucic") == terms("VUCIC")
    assert terms("flights") == terms("flight")
    assert terms("visited") == terms("visit") == terms("visits")
    assert terms("commerce") == terms("trade")
    assert terms("increased") == terms("grew") == terms("growth")
    assert terms("Serbian") == terms("Serbia") == terms("Serbs")
    assert terms("modernisation") == terms("modernize")
    assert terms("what is the") == []
    assert terms("Baku") != terms("bake")


def test_question_words_favour_the_kind_asked_for() -> None:
    def fact(fact_id: str, kind: FactKind, answer: str, subject: str) -> Fact:
        return Fact(
            id=fact_id,
            statement=f"The {subject} opened {answer}.",
            paragraph=1,
            kind=kind,
            topic="t",
            question=f"The {subject}?",
            answer=answer,
            explanation="",
        )

    ferry = "ferry across the lake"
    others = ["museum of clocks", "bridge over the river", "airport terminal", "metro line"]
    index = ArticleIndex(
        [
            fact("when", FactKind.DATE, "in June", ferry),
            fact("who", FactKind.PERSON, "by Ana", ferry),
            fact("where", FactKind.PLACE, "at Ohrid", ferry),
            *(fact(f"other{i}", FactKind.CLAIM, "soon", o) for i, o in enumerate(others)),
        ]
    )
    assert index.ask("when did the ferry across the lake open", k=1)[0].fact.id == "when"
    assert index.ask("who opened the ferry across the lake", k=1)[0].fact.id == "who"
    assert index.ask("where did the lake ferry open", k=1)[0].fact.id == "where"
