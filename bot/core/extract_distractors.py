"""Draft distractors: same-kind answers of the article, the shipped pools, and nearby values."""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterable, Iterator

from bot.core.gazetteer import MONTHS, gazetteer
from bot.core.matching import normalise
from bot.core.models import FactKind
from bot.core.validate import contains_answer, same_form, too_close

COUNT = 3
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_DAY_MONTH = re.compile(rf"^(\d{{1,2}}) ({'|'.join(MONTHS)})(.*)$")
_MONTH_DAY = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{1,2}})(.*)$")
_POOLS = {
    FactKind.PERSON: ("person",),
    FactKind.QUOTE: ("person",),
    FactKind.PLACE: ("place", "country"),
    FactKind.ORGANISATION: ("organisation",),
    FactKind.EVENT: ("event",),
    FactKind.CLAIM: ("claim",),
    FactKind.DATE: ("date",),
    FactKind.NUMBER: (),
}


def seed(text: str) -> int:
    """Return a stable seed for text (Python's hash() changes between runs)."""
    return zlib.crc32(text.encode("utf-8"))


def _format_like(raw: str, value: float) -> str:
    """Write value in the same style as raw: decimals, thousands separators."""
    if "." in raw:
        decimals = len(raw.split(".")[1])
        return f"{value:.{decimals}f}"
    if "," in raw:
        return f"{round(value):,}"
    return str(round(value))


def number_variants(answer: str) -> list[str]:
    """Return nearby values of the same form: 16-fold → 8-fold, 12-fold, 20-fold."""
    m = _NUMBER.search(answer)
    if m is None:
        return []
    raw = m.group()
    value = float(raw.replace(",", ""))
    if "." in raw:
        step = 10 ** -len(raw.split(".")[1])
    else:
        digits = raw.replace(",", "")
        step = 10 ** (len(digits) - len(digits.rstrip("0"))) if value else 1
    out: list[str] = []
    seen = {value}
    factors = (0.5, 0.75, 1.25, 1.5, 2.0, 3.0)
    candidates = [round(value * f / step) * step for f in factors]
    candidates += [value + k * step for k in (1, -1, 2, -2, 3, 4)]
    for c in candidates:
        if c <= 0 or c in seen:
            continue
        seen.add(c)
        out.append(answer[: m.start()] + _format_like(raw, c) + answer[m.end() :])
    return out


def year_variants(answer: str) -> list[str]:
    """Return other years one to five years away, in a stable but unpredictable order."""
    year = int(answer)
    offsets = [d for d in range(-5, 6) if d]
    random.Random(seed(answer)).shuffle(offsets)
    return [str(year + d) for d in offsets]


def month_variants(answer: str) -> list[str]:
    """Return other months, in a stable but unpredictable order."""
    others = [m for m in MONTHS if m != answer]
    random.Random(seed(answer)).shuffle(others)
    return others


def date_variants(answer: str) -> list[str]:
    """Return shifted dates of the same form: February 15 → March 15, February 22, …."""
    if answer.isdigit():
        return year_variants(answer)
    if answer in MONTHS:
        return month_variants(answer)
    m = _MONTH_DAY.match(answer)
    day_first = False
    if m is None:
        m = _DAY_MONTH.match(answer)
        day_first = True
    if m is None:
        return []
    if day_first:
        day, month, tail = int(m.group(1)), m.group(2), m.group(3)
    else:
        month, day, tail = m.group(1), int(m.group(2)), m.group(3)
    k = MONTHS.index(month)
    moves = [(1, 0), (0, 7), (-1, 0), (0, -9), (2, 5), (-2, -4), (3, 0)]
    random.Random(seed(answer)).shuffle(moves)
    out: list[str] = []
    for dm, dd in moves:
        d = day + dd
        if not 1 <= d <= 28:
            continue
        name = MONTHS[(k + dm) % 12]
        out.append(f"{d} {name}{tail}" if day_first else f"{name} {d}{tail}")
    return out


def _place_rank(answer: str) -> dict[str, int]:
    """Rank places by how much they look like the answer: country with country, city with city."""
    g = gazetteer()
    is_country = answer in g.countries
    return {"country": 0 if is_country else 1, "other": 1 if is_country else 0}


def candidates(kind: FactKind, answer: str, article_same_kind: Iterable[str]) -> Iterator[str]:
    """Yield possible distractors in order of preference (unfiltered)."""
    if kind is FactKind.NUMBER:
        yield from number_variants(answer)
        return
    if kind is FactKind.DATE:
        yield from date_variants(answer)
        yield from gazetteer().pool("date") if " " in answer else ()
        return
    same = sorted(set(article_same_kind), key=lambda a: (abs(len(a) - len(answer)), seed(a)))
    if kind is FactKind.PLACE:
        rank = _place_rank(answer)
        countries = gazetteer().countries
        same.sort(key=lambda a: rank["country" if a in countries else "other"])
    yield from same
    for pool in _POOLS[kind]:
        items = list(gazetteer().pool(pool))
        random.Random(seed(answer + pool)).shuffle(items)
        yield from items


def pick(
    kind: FactKind,
    *,
    answer: str,
    aliases: tuple[str, ...],
    question: str,
    article_same_kind: Iterable[str],
    count: int = COUNT,
) -> list[str]:
    """Return up to `count` distractors that are clearly wrong and look like the answer."""
    answers = (answer, *aliases)
    chosen: list[str] = []
    taken = {normalise(a) for a in answers}
    for cand in candidates(kind, answer, article_same_kind):
        key = normalise(cand)
        if not key or key in taken or too_close(cand, answers) or not same_form(cand, answer):
            continue
        if contains_answer(question, (cand,)) is not None:
            continue  # an option named in the stem is no option at all
        taken.add(key)
        chosen.append(cand)
        if len(chosen) == count:
            break
    return chosen
