"""Ask about one person or body: the facts about that entity answer, from the right paragraphs.

The set below was written from the article alone, before the index was tuned for it: each
question names the entity it is about and the paragraphs whose facts must answer it. The first
hit must come from one of those paragraphs and be about the entity (its `about` list names it,
or its statement does).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ask import ArticleIndex, AskHit
from bot.core.bank import load_facts
from bot.core.matching import normalise

FACTS = Path(__file__).resolve().parents[2] / "questions" / "baku-belgrade" / "facts.yaml"

GAJIC = "Stevan Gajić"
ALIYEV = "Ilham Aliyev"
VUCIC = "Aleksandar Vučić"
TADIC = "Boris Tadić"
COUNCIL = "Strategic Partnership Council"
INSTITUTE = "Institute of European Studies"

# (question as a person would type it, the entity it is about, paragraphs that must answer)
ENTITY_QUESTIONS: list[tuple[str, str, frozenset[int]]] = [
    ("Where does Stevan Gajić work?", GAJIC, frozenset({13})),
    ("Who is Gajić?", GAJIC, frozenset({13})),
    ("What did Gajić say about Kosovo?", GAJIC, frozenset({17})),
    ("What is Stevan Gajic's job?", GAJIC, frozenset({13})),
    ("Which institute is Gajic a research fellow at?", GAJIC, frozenset({13})),
    ("Who interviewed Stevan Gajić?", GAJIC, frozenset({13})),
    ("What did Gajić say about the direct flight?", GAJIC, frozenset({15})),
    ("What did Gajić say about Boris Tadić?", GAJIC, frozenset({14})),
    ("What did Gajic say about the highway?", GAJIC, frozenset({14})),
    ("Why does Azerbaijan support Serbia, according to Gajić?", GAJIC, frozenset({17})),
    ("What did Gajić say about NATO?", GAJIC, frozenset({17})),
    ("What did Gajić say about the Western countries?", GAJIC, frozenset({17})),
    ("What does Gajić think of relations between the two countries today?", GAJIC, frozenset({14})),
    ("Who is Ilham Aliyev?", ALIYEV, frozenset({1, 2})),
    ("What did Aliyev call Vučić?", ALIYEV, frozenset({10})),
    ("When did Aliyev come to Belgrade?", ALIYEV, frozenset({1})),
    ("Who did Aliyev meet in Belgrade?", ALIYEV, frozenset({2})),
    ("Who is Aleksandar Vučić?", VUCIC, frozenset({2})),
    ("What did Vučić say about the ties with Azerbaijan?", VUCIC, frozenset({10})),
    ("What did Vucic achieve by stressing the symbolism of the date?", VUCIC, frozenset({4})),
    ("Who is Boris Tadić?", TADIC, frozenset({14})),
    ("What started under President Tadić?", TADIC, frozenset({14})),
    ("What is the Institute of European Studies?", INSTITUTE, frozenset({13})),
    ("Where is the Institute of European Studies?", INSTITUTE, frozenset({13})),
    ("What is Caliber.Az?", "Caliber.Az", frozenset({13})),
    ("What did NATO do to Serbia?", "NATO", frozenset({17})),
    ("What does the Strategic Partnership Council provide for?", COUNCIL, frozenset({4})),
    (
        "When did the Strategic Partnership Council meet for the first time?",
        COUNCIL,
        frozenset({2}),
    ),
    ("What is the Strategic Partnership Council meant to withstand?", COUNCIL, frozenset({9})),
    ("What have the Western countries not recognised?", "Western countries", frozenset({17})),
    (
        "What do Azerbaijan's closest allies think about Kosovo?",
        "Azerbaijan's closest allies",
        frozenset({17}),
    ),
    ("What is Azerbaijan's position on Kosovo?", "Azerbaijan", frozenset({17})),
    ("Why is Kosovo important to Serbs?", "Kosovo", frozenset({17})),
    ("What kind of foreign policy does Azerbaijan pursue?", "Azerbaijan", frozenset({9})),
    ("What role does Azerbaijan have in supplying Europe?", "Azerbaijan", frozenset({5})),
    ("What does Baku gain from working on renewable energy?", "Baku", frozenset({6})),
    ("What does Belgrade get out of the renewables cooperation?", "Belgrade", frozenset({6})),
    ("How does Baku see Belgrade?", "Baku", frozenset({12})),
    (
        "What do the Azerbaijani authorities do about Kosovo?",
        "Azerbaijani authorities",
        frozenset({17}),
    ),
]


@pytest.fixture(scope="module")
def index() -> ArticleIndex:
    return ArticleIndex(load_facts(FACTS).facts)


def about(hit: AskHit, entity: str) -> bool:
    """Tell whether a hit's fact is about the entity: listed in `about`, or named in it."""
    wanted = normalise(entity)
    listed = {normalise(name) for name in getattr(hit.fact, "about", ())}
    return wanted in listed or f" {wanted} " in f" {normalise(hit.fact.statement)} "


def verdict(index: ArticleIndex, question: str, entity: str, paragraphs: frozenset[int]) -> str:
    """Return "" when the question is answered well, or what went wrong."""
    hits = index.ask(question)
    if not hits:
        return "no answer"
    shown = [(h.fact.id, h.fact.paragraph) for h in hits]
    first = hits[0]
    if first.fact.paragraph not in paragraphs:
        wanted = sorted(paragraphs)
        return f"first hit from paragraph {first.fact.paragraph}, wanted {wanted}: {shown}"
    if not about(first, entity):
        return f"first hit {first.fact.id} is not about {entity}: {shown}"
    return ""


def test_the_set_is_large_enough_and_names_known_paragraphs() -> None:
    assert len(ENTITY_QUESTIONS) >= 30
    assert len({q for q, _, _ in ENTITY_QUESTIONS}) == len(ENTITY_QUESTIONS)
    assert all(p and all(1 <= n <= 17 for n in p) for _, _, p in ENTITY_QUESTIONS)


@pytest.mark.parametrize(("question", "entity", "paragraphs"), ENTITY_QUESTIONS)
def test_entity_questions_are_answered_by_facts_about_the_entity(
    index: ArticleIndex, question: str, entity: str, paragraphs: frozenset[int]
) -> None:
    assert verdict(index, question, entity, paragraphs) == ""
