"""Draft distractors of the answer's own class: the article's first, then its region's and field's.

Order of preference:
1. the article's own answers of the same class ("a city among cities"), nearest in length;
2. the shipped pool of that class for the answer's region (the article's region when the answer
   is not a known place), then the pool of that class for the article's field;
3. for numbers and dates, nearby values in the answer's own form: 16-fold → 12-fold, a year
   within a few years, "26 October" → "9 November".
Nothing else: when too few fit, the draft gets fewer options rather than absurd ones.
"""

from __future__ import annotations

import heapq
import random
import re
import zlib
from collections.abc import Iterable, Iterator

from bot.authoring.context import ArticleContext, group
from bot.authoring.gazetteer import MONTHS, gazetteer
from bot.authoring.numbers import NUMBER_WORDS
from bot.core.distractors import number_neighbours
from bot.core.matching import normalise
from bot.core.models import FactKind
from bot.core.validate import contains_answer, same_form, too_close

COUNT = 3
_DAY_MONTH = re.compile(rf"^(\d{{1,2}}) ({'|'.join(MONTHS)})(?: (\d{{4}}))?$")
_MONTH_DAY = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{1,2}})(?:, (\d{{4}}))?$")
_MONTH_YEAR = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{4}})$")
_DECADE = re.compile(r"^(the )?(\d{3}0)s$")
_FRACTIONS = (
    "a tenth", "a fifth", "a quarter", "a third", "half", "two thirds", "three quarters",
    "one tenth", "one fifth", "one quarter", "one third", "one half",
)  # fmt: skip
# Moves of (months, days, years) for a full date: the month always changes, so no option is
# a near-copy of the answer; the year moves by at most one.
_DATE_MOVES = ((1, 3, 0), (-1, 5, 0), (2, -6, 0), (-2, 2, 0), (3, 0, 0), (1, -4, 1), (-3, 7, 0))


def seed(text: str) -> int:
    """Return a stable seed for text (Python's hash() changes between runs)."""
    return zlib.crc32(text.encode("utf-8"))


def _shuffled(items: Iterable[str], key: str) -> list[str]:
    out = list(items)
    random.Random(seed(key)).shuffle(out)
    return out


def year_variants(answer: str) -> list[str]:
    """Return other years one to five years away, in a stable but unpredictable order."""
    year = int(answer)
    return _shuffled((str(year + d) for d in range(-5, 6) if d), answer)


def month_variants(answer: str) -> list[str]:
    """Return other months, in a stable but unpredictable order."""
    return _shuffled((m for m in MONTHS if m != answer), answer)


def decade_variants(answer: str) -> list[str]:
    """Return decades one to three decades away, written like the answer ("the 1990s")."""
    m = _DECADE.match(answer)
    if m is None:
        return []
    the, start = m.group(1) or "", int(m.group(2))
    return _shuffled((f"{the}{start + d}s" for d in (-30, -20, -10, 10, 20)), answer)


def date_variants(answer: str) -> list[str]:
    """Return other dates of the answer's own form, within a year of it."""
    if answer.isdigit():
        return year_variants(answer)
    if answer in MONTHS:
        return month_variants(answer)
    if _DECADE.match(answer):
        return decade_variants(answer)
    m = _MONTH_YEAR.match(answer)
    if m:
        k, year = MONTHS.index(m.group(1)), int(m.group(2))
        moves = ((2, 0), (-3, 0), (0, -1), (4, 1), (-1, -1), (5, 0))
        return _shuffled(
            (f"{MONTHS[(k + dm) % 12]} {year + dy + (k + dm) // 12}" for dm, dy in moves), answer
        )
    day_first = _DAY_MONTH.match(answer)
    m = day_first or _MONTH_DAY.match(answer)
    if m is None:
        return []
    if day_first:
        day, month, year = int(m.group(1)), m.group(2), m.group(3)
    else:
        month, day, year = m.group(1), int(m.group(2)), m.group(3)
    k = MONTHS.index(month)
    out: list[str] = []
    for dm, dd, dy in _shuffled_moves(answer):
        d = day + dd
        if not 1 <= d <= 28:
            d = max(1, min(28, day - dd))
        name = MONTHS[(k + dm) % 12]
        y = f"{int(year) + dy + (k + dm) // 12}" if year else ""
        if day_first:
            out.append(f"{d} {name}" + (f" {y}" if y else ""))
        else:
            out.append(f"{name} {d}" + (f", {y}" if y else ""))
    return out


def _shuffled_moves(answer: str) -> list[tuple[int, int, int]]:
    moves = list(_DATE_MOVES)
    random.Random(seed(answer)).shuffle(moves)
    return moves


def word_number_variants(answer: str) -> list[str]:
    """Return nearby counts written in words, as the answer is: "seven" → "five", "nine" …."""
    low = answer.lower()
    if low not in NUMBER_WORDS:
        return []
    n = NUMBER_WORDS.index(low)
    # Never "one": the noun after a count is plural ("one minutes").
    near = [n + d for d in (-2, -1, 1, 2, 3, -3, 5) if 2 <= n + d < len(NUMBER_WORDS)]
    words = [NUMBER_WORDS[k] for k in near]
    return [w.capitalize() if answer[:1].isupper() else w for w in words]


def fraction_variants(answer: str) -> list[str]:
    """Return other shares written as words ("a third" → "a quarter", "half", …)."""
    low = answer.lower()
    same_article = [f for f in _FRACTIONS if f.split()[0] == low.split()[0]]
    rest = [f for f in _FRACTIONS if f not in same_article]
    return [f for f in same_article + rest if f != low]


def _stable_order(text: str) -> tuple[int, str]:
    """Return a sort key that orders texts unpredictably but the same in every run."""
    return seed(text), text


def _nearest(by_length: dict[int, list[str]], length: int) -> Iterator[str]:
    """Yield the words of by_length (each list in stable order), nearest to length first."""
    yield from by_length.get(length, ())
    for d in range(1, max(length, max(by_length, default=0)) + 1):
        below, above = by_length.get(length - d, ()), by_length.get(length + d, ())
        yield from heapq.merge(below, above, key=_stable_order)


class SameKind:
    """The article's own answers by class, to draw distractors from: nearest in length first.

    Indexed once per article, so each fact costs only the few answers it looks at.
    """

    def __init__(self, answers: Iterable[tuple[str, str, int]]) -> None:
        """Index (class, answer, paragraph) triples."""
        self._paragraphs: dict[str, dict[str, set[int]]] = {}
        for cls, answer, paragraph in answers:
            key = group(cls)
            self._paragraphs.setdefault(key, {}).setdefault(answer, set()).add(paragraph)
        self._groups: dict[str, dict[int, list[str]]] = {}

    def _by_length(self, cls: str) -> dict[int, list[str]]:
        if cls not in self._groups:
            group: dict[int, list[str]] = {}
            for a in sorted(self._paragraphs.get(cls, {}), key=_stable_order):
                group.setdefault(len(a), []).append(a)
            self._groups[cls] = group
        return self._groups[cls]

    def near(self, cls: str, answer: str, paragraph: int) -> Iterator[str]:
        """Yield the article's answers of a class, the nearest in length first.

        A key phrase takes others of about its word count from other paragraphs.
        """
        key = group(cls)
        found = _nearest(self._by_length(key), len(answer))
        if key != "claim/phrase":
            yield from found
            return
        words = len(answer.split())
        own = self._paragraphs.get(key, {})
        for a in found:
            if own[a] != {paragraph} and abs(len(a.split()) - words) <= 1:
                yield a


def _gender(given: str) -> str | None:
    """Return "female" or "male" when a region's name lists know the given name."""
    for styles in gazetteer().names.values():
        for style in styles:
            if given in style.female:
                return "female"
            if given in style.male:
                return "male"
    return None


def people(answer: str, region: str | None) -> Iterator[str]:
    """Yield plausible names of the region's people, written and gendered like the answer.

    "Han Ji-woo" (family name first, a hyphenated given name) gets other names of that shape;
    "Ana Costa" gets other women's names of the region. Built, never real people looked up.
    """
    styles = gazetteer().names.get(region or "", ())
    parts = answer.split()
    if not styles or len(parts) < 2:
        return
    hyphenated = "-" in parts[-1]
    style = next(
        (
            st
            for st in styles
            if (st.family_first and (hyphenated or parts[0] in st.surnames))
            or (not st.family_first and not hyphenated)
        ),
        styles[0],
    )
    given_part = parts[-1] if style.family_first else parts[0]
    gender = _gender(given_part)
    given = {"female": style.female, "male": style.male}.get(gender or "", ())
    given = given or (*style.female, *style.male)
    firsts = _shuffled(given, answer + "given")
    lasts = _shuffled(style.surnames, answer + "family")
    for k, first in enumerate(firsts):
        last = lasts[k % len(lasts)]
        yield f"{last} {first}" if style.family_first else f"{first} {last}"


def pools(cls: str, answer: str, ctx: ArticleContext) -> Iterator[str]:
    """Yield the shipped pools of a class: the answer's (or article's) region, then its field."""
    g = gazetteer()
    if cls == "person":
        yield from people(answer, ctx.region)
        return
    key = group(cls)
    if key.startswith("place/"):
        region = g.region_of.get(answer) or ctx.region
        if key == "place/continent" or (
            key == "place/water" and answer in g.regional.get(("world", "place/water"), ())
        ):
            region = "world"
        if region:
            yield from _shuffled(g.regional.get((region, key), ()), answer + key)
    elif ctx.region:
        yield from _shuffled(g.regional.get((ctx.region, key), ()), answer + key)
    if not key.startswith("place/"):
        yield from _shuffled(g.regional.get(("world", key), ()), answer + key)
    if ctx.domain:
        yield from _shuffled(g.domain_pools.get((ctx.domain, key), ()), answer + key)


def candidates(
    kind: FactKind, cls: str, answer: str, article_same: Iterable[str], ctx: ArticleContext
) -> Iterator[str]:
    """Yield possible distractors in order of preference (unfiltered)."""
    if kind is FactKind.NUMBER:
        yield from word_number_variants(answer) or number_neighbours(answer)
        return
    if kind is FactKind.DATE:
        yield from date_variants(answer)
        return
    if cls == "claim/fraction":
        yield from fraction_variants(answer)
        return
    if cls.startswith("place/"):
        # The article's places of the answer's own region first, then that region's pool,
        # then the article's other places: Iten gets Eldoret before Beijing.
        g = gazetteer()
        region = g.region_of.get(answer) or ctx.region
        near, far = [], []
        for a in article_same:
            (near if (g.region_of.get(a) or ctx.region) == region else far).append(a)
        yield from near
        yield from pools(cls, answer, ctx)
        yield from far
        return
    yield from article_same
    yield from pools(cls, answer, ctx)


def _same_article(answer: str, cand: str) -> bool:
    """Return whether a distractor opens with the same kind of article ("the …", "a …")."""
    a, c = answer.split(maxsplit=1)[0].lower(), cand.split(maxsplit=1)[0].lower()
    articles = ("the", "a", "an")
    return (a in articles) == (c in articles) and (a != "the") == (c != "the")


def pick(
    kind: FactKind,
    cls: str,
    *,
    answer: str,
    aliases: tuple[str, ...],
    question: str,
    statement: str,
    article_same: Iterable[str],
    ctx: ArticleContext,
    count: int = COUNT,
) -> list[str]:
    """Return up to `count` distractors of the answer's class that are clearly wrong."""
    answers = (answer, *aliases)
    chosen: list[str] = []
    taken = {normalise(a) for a in answers}
    for cand in candidates(kind, cls, answer, article_same, ctx):
        key = normalise(cand)
        if not key or key in taken or too_close(cand, answers) or not same_form(cand, answer):
            continue
        if contains_answer(question, (cand,)) is not None:
            continue  # an option named in the stem is no option at all
        if contains_answer(statement, (cand,)) is not None:
            continue  # swapped into the statement it would say the thing twice
        if kind is not FactKind.PERSON and not _same_article(answer, cand):
            continue  # "Korea" beside "the Maldives" reads as a different sort of answer
        taken.add(key)
        chosen.append(cand)
        if len(chosen) == count:
            break
    return chosen
