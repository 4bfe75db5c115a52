"""Pick wrong options: hand-picked first, then the article's own entities, then curated pools."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

import yaml

from bot.core.matching import normalise
from bot.core.models import Fact, FactKind
from bot.core.validate import contains_answer, same_form, too_close

_POOLS_FOR_KIND: dict[FactKind, tuple[str, ...]] = {
    FactKind.PERSON: ("person",),
    FactKind.QUOTE: ("person",),
    FactKind.PLACE: ("place", "country"),
    FactKind.ORGANISATION: ("organisation",),
    FactKind.DATE: ("date", "month"),
    FactKind.NUMBER: (),
    FactKind.EVENT: ("event",),
    FactKind.CLAIM: ("claim",),
}
_SAME_KIND: dict[FactKind, tuple[FactKind, ...]] = {
    FactKind.QUOTE: (FactKind.QUOTE, FactKind.PERSON),
    FactKind.PERSON: (FactKind.PERSON, FactKind.QUOTE),
    FactKind.PLACE: (FactKind.PLACE,),
    FactKind.ORGANISATION: (FactKind.ORGANISATION,),
    FactKind.DATE: (FactKind.DATE,),
    FactKind.NUMBER: (FactKind.NUMBER,),
    FactKind.EVENT: (FactKind.EVENT,),
    FactKind.CLAIM: (FactKind.CLAIM,),
}
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_DAY_RE = re.compile(rf"^({'|'.join(_MONTHS)}) (\d{{1,2}})$")


@cache
def pools() -> dict[str, tuple[str, ...]]:
    """Return the curated same-kind pools shipped with the project."""
    text = resources.files("bot.core").joinpath("data/pools.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): tuple(str(v) for v in values) for k, values in data.items()}


def same_kind_answers(fact: Fact, facts: Iterable[Fact]) -> list[str]:
    """Return the answers of other facts of a compatible kind, closest in length first."""
    kinds = _SAME_KIND[fact.kind]
    found = {f.answer for f in facts if f.id != fact.id and f.kind in kinds}
    return sorted(found, key=lambda a: (abs(len(a) - len(fact.answer)), a))


def _format_like(raw: str, value: float) -> str:
    """Write value in the same style as raw: decimals, thousands separators."""
    if "." in raw:
        decimals = len(raw.split(".")[1])
        return f"{value:.{decimals}f}"
    if "," in raw:
        return f"{round(value):,}"
    return str(round(value))


def number_neighbours(answer: str) -> list[str]:
    """Return nearby values of the same form: 16-fold → 8-fold, 12-fold, 20-fold, 24-fold.

    Years move by a few years; other numbers are scaled and stepped at their own precision
    (300 → 150, 225, 375 …; 2.5 → 1.2, 1.9, 3.1 …), never to zero or below.
    """
    m = _NUMBER_RE.search(answer)
    if m is None:
        return []
    raw = m.group()
    value = float(raw.replace(",", ""))
    if raw.isdigit() and len(raw) == 4 and 1000 <= value <= 2100:
        candidates = [value + d for d in (-5, 3, -2, 7, -9, 10)]
    else:
        if "." in raw:
            step = 10 ** -len(raw.split(".")[1])
        else:
            digits = raw.replace(",", "")
            step = 10 ** (len(digits) - len(digits.rstrip("0"))) if value else 1
        candidates = [round(value * f / step) * step for f in (0.5, 0.75, 1.25, 1.5, 2.0, 3.0)]
        candidates += [value + k * step for k in (1, -1, 2, -2, 3, 4)]
    out: list[str] = []
    seen = {value}
    for c in candidates:
        if c <= 0 or c in seen:
            continue
        seen.add(c)
        out.append(answer[: m.start()] + _format_like(raw, c) + answer[m.end() :])
    return out


def date_neighbours(answer: str) -> list[str]:
    """Return other dates of the same form: February 15 → February 22, March 15, …."""
    m = _MONTH_DAY_RE.match(answer)
    if m is None:
        return []
    month, day = _MONTHS.index(m.group(1)), int(m.group(2))
    shifted = [f"{m.group(1)} {d}" for d in (day + 7, day - 10, day + 12) if 1 <= d <= 28]
    moved = [f"{_MONTHS[(month + k) % 12]} {day}" for k in (1, -2, 4)]
    return [x for pair in zip(moved, shifted, strict=False) for x in pair] + moved[len(shifted) :]


def candidates(fact: Fact, facts: Iterable[Fact]) -> Iterator[str]:
    """Yield possible distractors in order of preference (unfiltered)."""
    yield from fact.distractors
    yield from same_kind_answers(fact, facts)
    if fact.kind is FactKind.NUMBER or (
        fact.kind is FactKind.DATE and _NUMBER_RE.fullmatch(fact.answer)
    ):
        yield from number_neighbours(fact.answer)
    if fact.kind is FactKind.DATE:
        yield from date_neighbours(fact.answer)
    for pool in _POOLS_FOR_KIND[fact.kind]:
        yield from pools().get(pool, ())


def pick(fact: Fact, facts: Iterable[Fact], count: int = 3) -> list[str]:
    """Return up to `count` distractors that are clearly wrong and look like the answer."""
    answers = (fact.answer, *fact.aliases)
    chosen: list[str] = []
    taken: set[str] = set()
    for cand in candidates(fact, facts):
        key = normalise(cand)
        if not key or key in taken or too_close(cand, answers) or not same_form(cand, fact.answer):
            continue
        if contains_answer(fact.question, (cand,)) is not None:
            continue  # an option named in the stem is no option at all
        taken.add(key)
        chosen.append(cand)
        if len(chosen) == count:
            break
    return chosen


def rivals(fact: Fact, facts: Iterable[Fact], limit: int = 20) -> list[str]:
    """Return the names a free-text guess must be clearly closer to the answer than."""
    answers = {normalise(a) for a in (fact.answer, *fact.aliases)}
    out: list[str] = []
    seen: set[str] = set()
    same = [f for f in facts if f.id != fact.id and f.kind in _SAME_KIND[fact.kind]]
    for cand in (*fact.distractors, *(x for f in same for x in (f.answer, *f.aliases))):
        key = normalise(cand)
        if key and key not in answers and key not in seen:
            seen.add(key)
            out.append(cand)
    return out[:limit]
