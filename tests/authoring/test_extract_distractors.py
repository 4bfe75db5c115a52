"""The extractor's same-class distractor source: the article's answers, nearest in length first."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.authoring.context import ArticleContext, group
from bot.authoring.distractors import SameKind, pick, seed
from bot.authoring.gazetteer import gazetteer
from bot.core.models import FactKind

CLASSES = ("person", "place/city", "place/settlement", "place/country", "claim/phrase")
answers = st.lists(
    st.tuples(
        st.sampled_from(CLASSES),
        st.sampled_from(
            ["Oslo", "Serbia", "Norway", "Lake Vost", "Bergen", "Ana Ruiz", "Tom Reed", "Lee",
             "mutual trust", "trade", "new air links", "a shared vision of growth", "tourism"]
        ) | st.text("abc ", min_size=1, max_size=12),
        st.integers(1, 4),
    ),
    max_size=30,
)  # fmt: skip


def expected(triples, cls: str, answer: str, paragraph: int) -> list[str]:
    """Order the article's answers the slow way: filter, then sort everything."""
    where: dict[str, set[int]] = {}
    for c, a, p in triples:
        if group(c) == group(cls):
            where.setdefault(a, set()).add(p)
    same = set(where)
    if cls == "claim/phrase":  # other paragraphs' phrases of about the same length in words
        same = {
            a
            for a in same
            if where[a] != {paragraph} and abs(len(a.split()) - len(answer.split())) <= 1
        }
    return sorted(same, key=lambda a: (abs(len(a) - len(answer)), seed(a), a))


@given(answers, st.sampled_from(["Oslo", "Serbia", "trade", "shared growth"]))
@example([("place/city", a, 1) for a in ("Oslo", "Bergen", "Lee", "Tromsø")], "trade")
def test_near_yields_what_a_full_sort_would_give(triples, answer):
    same = SameKind(triples)
    for cls in CLASSES:
        for paragraph in (1, 2):
            got = list(same.near(cls, answer, paragraph))
            assert got == expected(triples, cls, answer, paragraph)


def test_pick_takes_the_articles_countries_of_the_region_then_the_regions_pool():
    same = SameKind(
        [("place/city", a, 1) for a in ("Oslo", "Bergen", "Tromsø")]
        + [("place/country", a, 1) for a in ("Serbia", "Norway")]
    )
    picked = pick(
        FactKind.PLACE,
        "place/country",
        answer="Sweden",
        aliases=(),
        question="Which country?",
        statement="Sweden won.",
        article_same=same.near("place/country", "Sweden", 1),
        ctx=ArticleContext("nordic", None),
    )
    nordic = set(gazetteer().regional[("nordic", "place/country")])
    assert picked[0] == "Norway"  # the article's own country of the answer's region
    assert len(picked) == 3 and set(picked[1:]) <= nordic - {"Sweden", "Norway"}
    assert not {"Oslo", "Bergen", "Tromsø", "Serbia"} & set(picked)
