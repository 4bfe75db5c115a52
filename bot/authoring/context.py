"""What an article is about as a whole: its region, its field, and the class of every answer.

Distractors must come from the answer's own class ("a city among cities"), and pools from the
article's own region and field, never another's. This module reads both from the article and
tells the class of any option, whether the article named it, a pool holds it, or its form shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from bot.authoring.gazetteer import MONTHS, gazetteer
from bot.core.matching import normalise
from bot.core.models import FactKind
from bot.core.numbers import parse_number

# A field must account for this share of the article's field words to count as its field.
DOMAIN_SHARE = 0.3
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_DAY_MONTH_YEAR = re.compile(rf"^\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}$")
_MONTH_DAY_YEAR = re.compile(rf"^(?:{'|'.join(MONTHS)}) \d{{1,2}},? \d{{4}}$")
_DAY_MONTH = re.compile(rf"^\d{{1,2}} (?:{'|'.join(MONTHS)})$")
_MONTH_DAY = re.compile(rf"^(?:{'|'.join(MONTHS)}) \d{{1,2}}$")
_MONTH_YEAR = re.compile(rf"^(?:{'|'.join(MONTHS)}) \d{{4}}$")
_YEAR = re.compile(r"^\d{4}$")
_DECADE = re.compile(r"^(?:the )?\d{3}0s$")
_FRACTION = re.compile(
    r"^(?:(?:a|one|two|three|four) (?:half|thirds?|quarters?|fifths?|tenths?)|half)$",
    re.IGNORECASE,
)
# Sub-classes that are the same thing for a quiz: a town among cities, an agency among other
# public bodies, a fund among companies.
_SAME = {
    "place/settlement": "place/city",
    "place/nature": "place/area",
    "organisation/government": "organisation/public",
    "organisation/body": "organisation/public",
    "organisation/finance": "organisation/company",
}


def group(cls: str) -> str:
    """Return the class options are matched by ("place/settlement" → "place/city")."""
    return _SAME.get(cls, cls)


def date_class(text: str) -> str:
    """Return the form of a date ("date/day-month", "date/year", …); "date" when unknown."""
    for name, pattern in (
        ("date/day-month-year", _DAY_MONTH_YEAR),
        ("date/month-day-year", _MONTH_DAY_YEAR),
        ("date/day-month", _DAY_MONTH),
        ("date/month-day", _MONTH_DAY),
        ("date/month-year", _MONTH_YEAR),
        ("date/year", _YEAR),
        ("date/decade", _DECADE),
    ):
        if pattern.match(text):
            return name
    return "date/month" if text in MONTHS else "date"


def number_class(text: str) -> str:
    """Return the form of a number: words, or digits with their unit or multiplier."""
    if not any(c.isdigit() for c in text):
        return "number/words"
    tail = re.sub(r"^[^\d]*[\d.,]+", "", text).strip().lower()
    return f"number/{tail}" if tail else "number"


def same_class(a: str, b: str) -> bool:
    """Return whether two classes may stand side by side as options.

    A bare kind ("organisation" for an unexplained acronym) says only the kind is known, so
    any class of that kind may stand beside it.
    """
    if not a or not b:
        return False
    if "/" not in a or "/" not in b:
        return a.split("/", maxsplit=1)[0] == b.split("/", maxsplit=1)[0]
    return group(a) == group(b)


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """An article's region and field, and the class of each answer it names."""

    region: str | None
    domain: str | None
    classes: dict[str, str] = field(default_factory=dict)  # normalised answer -> class

    def in_article(self, text: str) -> bool:
        """Return whether the article itself names text as an answer."""
        return normalise(text) in self.classes

    def class_of(self, text: str, kind: FactKind | None = None) -> str:
        """Return the class of an option: the article's, a pool's, or its form's; else ""."""
        if kind is FactKind.DATE:
            return date_class(text)
        if kind is FactKind.NUMBER:
            return number_class(text)
        found = self.classes.get(normalise(text))
        if found:
            return found
        if parse_number(text) is not None:
            return number_class(text)
        if _FRACTION.match(text):
            return "claim/fraction"
        form = date_class(text)
        return pool_class(text) or (form if form != "date" else "")


# The generator's own pools (bot/core/data/pools.yaml) were curated for the seed article's
# regions; a draft from elsewhere must never lean on them.
SHARED_POOL_REGIONS = frozenset({"balkans", "caucasus"})


@cache
def shared_pool() -> frozenset[str]:
    """Return every name in the generator's shared pools."""
    return frozenset(x for key, items in gazetteer().pools.items() if key != "month" for x in items)


def word_class(text: str) -> str:
    """Return the class a name's own words give ("Kasarani Stadium" → place/venue); "" if none."""
    from bot.authoring.rules import SKIP, label  # rules reads this module's neighbours

    words = text.split()
    if not words or not all(w[:1].isupper() or w in ("of", "de", "the", "and") for w in words):
        return ""
    cls, strong = label(words, frozenset(), titled=False)
    return cls if strong and cls != SKIP else ""


def pool_class(text: str) -> str:
    """Return the class of a name the shipped pools hold or build; "" when none does."""
    g = gazetteer()
    text = text.removeprefix("the ")  # "the Maldives", "the United States"
    if text in g.place_class:
        return g.place_class[text]
    for pools in (g.domain_pools, g.regional):
        for (_, cls), items in pools.items():
            if text in items:
                return cls
    return "person" if is_pool_name(text) else ""


def is_pool_name(text: str) -> bool:
    """Return whether text is a person's name built from a region's name parts."""
    parts = text.split()
    if len(parts) < 2:
        return False
    for styles in gazetteer().names.values():
        for style in styles:
            given = {*style.female, *style.male}
            family, first = (parts[0], parts[-1]) if style.family_first else (parts[-1], parts[0])
            if first in given and family in style.surnames:
                return True
    return False


def _region(names: Iterable[str], words: Counter[str]) -> str | None:
    """Return the world region most of the article's places (and demonyms) lie in."""
    g = gazetteer()
    votes: Counter[str] = Counter()
    for name in names:
        region = g.region_of.get(name)
        if region and region != "world":
            votes[region] += 1
    for demonym, country in g.demonyms.items():
        if " " not in demonym and words[demonym]:
            region = g.region_of.get(country)
            if region:
                votes[region] += words[demonym]
    if not votes:
        return None
    best = votes.most_common(2)
    if len(best) > 1 and best[0][1] == best[1][1]:
        return min(r for r, n in best if n == best[0][1])  # a tie: stable, never random
    return best[0][0]


def _domain(words: Counter[str]) -> str | None:
    """Return the field whose words the article uses most, when it clearly leads."""
    hits = Counter({d: sum(words[w] for w in ws) for d, ws in gazetteer().domain_words.items()})
    total = sum(hits.values())
    if not total:
        return None
    domain, n = hits.most_common(1)[0]
    return domain if n / total >= DOMAIN_SHARE else None


def article_context(
    paragraphs: Iterable[str], answers: Iterable[tuple[str, str]]
) -> ArticleContext:
    """Return the context of an article from its text and its (answer, class) pairs."""
    text = " ".join(paragraphs)
    words = Counter(_WORD.findall(text))
    lowered = Counter(w.lower() for w in _WORD.findall(text))
    pairs = list(answers)
    classes: dict[str, str] = {}
    for answer, cls in pairs:
        if cls:
            classes.setdefault(normalise(answer), cls)
    places = [a for a, cls in pairs if cls.startswith("place")]
    return ArticleContext(_region(places, words), _domain(lowered), classes)
