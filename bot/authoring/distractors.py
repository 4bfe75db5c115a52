"""Draft distractors: same-kind answers of the article, the shipped pools, and nearby values."""

from __future__ import annotations

import heapq
import random
import re
import zlib
from collections.abc import Iterable, Iterator

from bot.authoring.gazetteer import MONTHS, gazetteer
from bot.core.distractors import number_neighbours
from bot.core.matching import normalise
from bot.core.models import FactKind
from bot.core.validate import contains_answer, same_form, too_close

COUNT = 3
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
    """The article's own answers by kind, to draw distractors from: nearest in length first.

    Indexed once per article, so each fact costs only the few answers it looks at.
    """

    def __init__(self, answers: Iterable[tuple[FactKind, str, int]]) -> None:
        """Index (kind, answer, paragraph) triples."""
        self._paragraphs: dict[FactKind, dict[str, set[int]]] = {}
        for kind, answer, paragraph in answers:
            self._paragraphs.setdefault(kind, {}).setdefault(answer, set()).add(paragraph)
        self._groups: dict[FactKind, tuple[dict[int, list[str]], ...]] = {}

    def _by_length(self, kind: FactKind) -> tuple[dict[int, list[str]], ...]:
        """Return the answers a kind draws on, by length: countries (places only), the rest."""
        if kind not in self._groups:
            kinds = (FactKind.PERSON, FactKind.QUOTE) if kind is FactKind.QUOTE else (kind,)
            answers = {a for k in kinds for a in self._paragraphs.get(k, {})}
            known = gazetteer().countries if kind is FactKind.PLACE else frozenset()
            countries: dict[int, list[str]] = {}
            rest: dict[int, list[str]] = {}
            for a in sorted(answers, key=_stable_order):
                (countries if a in known else rest).setdefault(len(a), []).append(a)
            self._groups[kind] = (countries, rest)
        return self._groups[kind]

    def near(self, kind: FactKind, answer: str, paragraph: int) -> Iterator[str]:
        """Yield the article's answers that may stand beside answer, the best first.

        A key phrase takes others of about its word count from other paragraphs; a place
        takes countries first when it is one, other places first when it is not.
        """
        countries, rest = self._by_length(kind)
        groups = (countries, rest) if answer in gazetteer().countries else (rest, countries)
        found = (a for group in groups for a in _nearest(group, len(answer)))
        if kind is not FactKind.CLAIM:
            yield from found
            return
        words = len(answer.split())
        own = self._paragraphs.get(kind, {})
        for a in found:
            if own[a] != {paragraph} and abs(len(a.split()) - words) <= 1:
                yield a


def candidates(kind: FactKind, answer: str, article_same_kind: Iterable[str]) -> Iterator[str]:
    """Yield possible distractors in order of preference (unfiltered).

    `article_same_kind` is the article's own answers of the kind, the best first
    (`SameKind.near`); numbers and dates make their own and never read it.
    """
    if kind is FactKind.NUMBER:
        yield from number_neighbours(answer)
        return
    if kind is FactKind.DATE:
        yield from date_variants(answer)
        yield from gazetteer().pool("date") if " " in answer else ()
        return
    yield from article_same_kind
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
