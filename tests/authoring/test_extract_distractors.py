"""The extractor's same-kind distractor source: the article's answers, nearest in length first."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.authoring.distractors import SameKind, pick, seed
from bot.authoring.gazetteer import gazetteer
from bot.core.models import FactKind

answers = st.lists(
    st.tuples(
        st.sampled_from([FactKind.PERSON, FactKind.QUOTE, FactKind.PLACE, FactKind.CLAIM]),
        st.sampled_from(
            ["Oslo", "Serbia", "Norway", "Lake Vost", "Bergen", "Ana Ruiz", "Tom Reed", "Lee",
             "mutual trust", "trade", "new air links", "a shared vision of growth", "tourism"]
        ) | st.text("abc ", min_size=1, max_size=12),
        st.integers(1, 4),
    ),
    max_size=30,
)  # fmt: skip


def expected(triples, kind: FactKind, answer: str, paragraph: int) -> list[str]:
    """Order the article's answers the slow way: filter, then sort everything."""
    kinds = (FactKind.PERSON, FactKind.QUOTE) if kind is FactKind.QUOTE else (kind,)
    same = {
        a for k, a, p in triples if k in kinds and not (kind is FactKind.CLAIM and p == paragraph)
    }
    if kind is FactKind.CLAIM:
        same = {a for a in same if abs(len(a.split()) - len(answer.split())) <= 1}
    out = sorted(same, key=lambda a: (abs(len(a) - len(answer)), seed(a), a))
    if kind is FactKind.PLACE:
        countries = gazetteer().countries
        first = answer in countries
        out.sort(key=lambda a: (a in countries) != first)
    return out


KINDS = (FactKind.PERSON, FactKind.QUOTE, FactKind.PLACE, FactKind.CLAIM)


@given(answers, st.sampled_from(["Oslo", "Serbia", "trade", "shared growth"]))
@example([(FactKind.PLACE, a, 1) for a in ("Oslo", "Bergen", "Lee", "Norway", "Tromsø")], "trade")
def test_near_yields_what_a_full_sort_would_give(triples, answer):
    same = SameKind(triples)
    for kind in KINDS:
        for paragraph in (1, 2):
            got = list(same.near(kind, answer, paragraph))
            assert got == expected(triples, kind, answer, paragraph)


def test_pick_prefers_the_articles_places_of_the_same_sort():
    same = SameKind(
        [(FactKind.PLACE, a, 1) for a in ("Oslo", "Bergen", "Serbia", "Norway", "Tromsø")]
    )
    picked = pick(
        FactKind.PLACE,
        answer="Sweden",
        aliases=(),
        question="Which country?",
        article_same_kind=same.near(FactKind.PLACE, "Sweden", 1),
    )
    assert set(picked[:2]) == {"Serbia", "Norway"}
