"""Drafts from articles of any field and region: kinds, classes, regions, quotes and ids."""

from __future__ import annotations

import re

import pytest

from bot.authoring.candidates import find_candidates
from bot.authoring.extract import context_of, extract, slug
from bot.authoring.gazetteer import gazetteer
from bot.authoring.sentences import parse_article
from bot.core.distractors import pools as shared_pools
from bot.core.models import Fact, FactKind, FactSet

LANDER = (
    "A small probe built by the Pune firm Orbitra touched down at 6:04 p.m. India Standard "
    "Time on 23 August 2024.\n"
    "The probe lifted off from the launch centre in Sriharikota aboard an LVM3 rocket, and its "
    "rover named Vayu rolled out two hours later.\n"
    "The company has proposed the name Kaveri Point for the landing site.\n"
    "Ground stations in Johannesburg and Bengaluru received the first signals.\n"
    "The mission was first planned for November 2019."
)
BRIDGE = (
    "Lisbon's council voted on Thursday to back a new bridge across the Tagus River to the "
    "town of Barreiro.\n"
    'Mayor Ana Costa spoke first. Costa said: "This bridge joins two halves of one city. '
    'For too long the south bank has waited."\n'
    "«We are being asked to sign a blank cheque», said Miguel Sardinha, who leads the "
    "opposition.\n"
    "The Minister of Infrastructure, João Pereira, said Madrid would be three hours away."
)


def draft(body: str) -> FactSet:
    return extract(f"A test article\n{body}\n", "test")


def by_answer(factset: FactSet) -> dict[str, Fact]:
    return {f.answer: f for f in factset.facts}


def test_slug_spells_letters_that_do_not_decompose():
    assert slug("Đoković") == "djokovic"
    assert slug("Novak Đoković") == "novak-djokovic"
    assert slug("Łódź and Øresund") == "lodz-and-oresund"
    assert slug("İlham Əliyev") == "ilham-aliyev"
    assert slug("東京") == "fact"


def test_time_zones_are_no_people_and_coined_names_get_their_kind():
    facts = by_answer(draft(LANDER))
    assert not [a for a in facts if "Time" in a or a == "Standard"]
    assert facts["Orbitra"].kind is FactKind.ORGANISATION  # "the Pune firm Orbitra"
    assert facts["Vayu"].kind is FactKind.CLAIM  # "its rover named Vayu": a coined name
    assert facts["LVM3"].kind is FactKind.CLAIM  # "an LVM3 rocket" is no organisation
    assert facts["Kaveri Point"].kind is FactKind.PLACE
    assert not facts["Kaveri Point"].aliases  # no "Point" as a surname
    places = {a for a, f in facts.items() if f.kind is FactKind.PLACE}
    assert {"Sriharikota", "Johannesburg", "Bengaluru", "Pune"} <= places


@pytest.mark.parametrize(
    ("body", "answer", "cls"),
    [
        ("The jury praised the Japanese animated film Paper Lanterns.", "Paper Lanterns",
         "claim/work"),
        ("The top prize went to The Salt Garden, a debut.", "The Salt Garden", "claim/work"),
        ("She won the New Currents Award on Friday.", "New Currents Award", "claim/award"),
        ("Grace Wanjiku trained with Athletics Kenya for a year.", "Athletics Kenya",
         "organisation/body"),
        ("He grew up in Iten, a small town in the Rift Valley.", "Iten", "place/settlement"),
        ("The road links Chelas with the town of Barreiro.", "Barreiro", "place/settlement"),
        ("The group Zero said it would go to court.", "Zero", "organisation/body"),
        ("The decision lies with the Assembly of the Republic in the end.",
         "Assembly of the Republic", "organisation/government"),
        ("Work starts at the Maricunga salt flat in May.", "Maricunga", "place/nature"),
        ("The 25 de Abril Bridge carries many cars every day.", "25 de Abril Bridge",
         "place/venue"),
        ("Traders said the Nairobi City County promised shorter closures.",
         "Nairobi City County", "organisation/public"),
    ],
)  # fmt: skip
def test_names_get_the_class_their_words_and_neighbours_give(body, answer, cls):
    found = {c.answer: c.cls for c in find_candidates(parse_article(f"T\n{body}\n"))}
    assert found.get(answer) == cls, found


def test_an_age_and_a_portfolio_are_not_part_of_a_name():
    found = {c.answer: c.kind for c in find_candidates(parse_article(f"T\n{BRIDGE}\n"))}
    assert found["João Pereira"] is FactKind.PERSON
    assert "Infrastructure" not in found
    aged = find_candidates(parse_article("T\nNineteen-year-old Grace Wanjiku won the race.\n"))
    assert "Grace Wanjiku" in {c.answer for c in aged}


def test_region_and_field_are_read_from_the_article():
    article = parse_article(f"T\n{BRIDGE}\n")
    ctx = context_of(article, find_candidates(article))
    assert ctx.region == "southern-europe"
    assert ctx.domain == "politics"


def test_a_lisbon_article_never_gets_another_regions_pool():
    shared = {x for key, items in shared_pools().items() if key != "month" for x in items}
    other_regions = {
        name
        for name, region in gazetteer().region_of.items()
        if region not in ("southern-europe", "world")
    }
    for f in draft(BRIDGE).facts:
        assert not set(f.distractors) & shared, (f.answer, f.distractors)
        if f.kind is FactKind.PLACE:
            assert not set(f.distractors) & other_regions, (f.answer, f.distractors)


def test_people_get_names_of_their_region_and_shape():
    facts = by_answer(draft(BRIDGE))
    costa = facts["Ana Costa"].distractors
    assert len(costa) == 3 and {"Miguel Sardinha", "João Pereira"} <= set(costa)
    (built,) = set(costa) - {"Miguel Sardinha", "João Pereira"}
    style = gazetteer().names["southern-europe"][0]
    first, last = built.split()
    assert first in style.female and last in style.surnames  # a woman's name, like the answer
    korean = by_answer(draft("The director Han Ji-woo won in Busan, Korea, on Friday."))
    names = korean["Han Ji-woo"].distractors
    assert len(names) == 3
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+", n) for n in names), names
    assert korean["Han Ji-woo"].aliases == ("Han",)  # the family name comes first


@pytest.mark.parametrize(
    ("body", "answer", "pattern"),
    [
        ("The mission was first planned for November 2019, then delayed.", "November 2019",
         r"[A-Z][a-z]+ 20(1[4-9]|2[0-4])"),
        ("Construction started on 12 September 2021 in the rain.", "12 September 2021",
         r"\d{1,2} [A-Z][a-z]+ 202[0-2]"),
        ("The plant closed in the 1990s after a strike.", "1990s", r"19[6-9]0s|20[01]0s"),
        ("The bridge dates from 1999, like the station.", "1999", r"199[4-9]|200[0-4]"),
    ],
)  # fmt: skip
def test_dates_keep_their_form_and_stay_within_a_few_years(body, answer, pattern):
    fact = by_answer(draft(body))[answer]
    assert len(fact.distractors) == 3
    assert all(re.fullmatch(pattern, d) for d in fact.distractors), fact.distractors
    month = re.findall(r"[A-Z][a-z]+", answer)
    assert not any(re.findall(r"[A-Z][a-z]+", d) == month for d in fact.distractors if month)


def test_counts_shares_and_figures_keep_their_form():
    facts = by_answer(
        draft(
            "Roads were closed for seven hours on Sunday.\n"
            "The plant cuts the water it draws by almost two thirds.\n"
            "It will make 40,000 tonnes of lithium a year for 800,000 electric cars."
        )
    )
    assert all(d.isalpha() and d != "one" for d in facts["seven"].distractors)
    assert facts["two thirds"].kind is FactKind.CLAIM
    assert set(facts["two thirds"].distractors) <= {
        "half", "three quarters", "one tenth", "one fifth", "one quarter", "one third",
        "one half", "a tenth", "a fifth", "a quarter", "a third",
    }  # fmt: skip
    for answer in ("40,000", "800,000"):
        values = [float(d.replace(",", "")) for d in facts[answer].distractors]
        target = float(answer.replace(",", ""))
        assert len(values) == 3 and all(target / 5 <= v <= target * 5 for v in values)
        assert all("," in d for d in facts[answer].distractors)


@pytest.mark.parametrize(
    "quoted",
    [
        'Costa said: "This bridge joins two halves of one city."',
        "Costa said: “This bridge joins two halves of one city.”",
        "‘This bridge joins two halves of one city,’ Costa said.",
        "«This bridge joins two halves of one city», Costa said.",
        "„This bridge joins two halves of one city“, Costa said.",
    ],
)
def test_quotes_in_any_style_give_clean_prompts(quoted):
    facts = draft(f"Mayor Ana Costa spoke to the council on Monday.\n{quoted}").facts
    quotes = [f for f in facts if f.kind is FactKind.QUOTE]
    assert [(f.answer, f.quote) for f in quotes] == [
        ("Ana Costa", "This bridge joins two halves of one city")
    ]
    assert quotes[0].statement == "Ana Costa said: “This bridge joins two halves of one city.”"
    for f in facts:
        # The attribution is cut from what was said: no "Costa said" inside a prompt.
        assert "Costa said" not in f.question and "According to Ana Costa, Costa" not in (
            f.statement
        ), f
        assert not re.search(r"[\"«»„‘’]", f.question.replace("’s", "")), f.question
        assert f.question.count("“") == f.question.count("”"), f.question
