"""Rules that find numbers (with their unit or multiplier), years and dates in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.authoring.gazetteer import MONTHS, word_set
from bot.authoring.tokens import CURRENCY, Tag, Token
from bot.core.models import FactKind
from bot.core.numbers import parse_number

_SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion"})
_CURRENCIES = word_set(
    "euro euros dollar dollars pound pounds manat manats dinar dinars francs kronor krona yen "
    "rubles roubles lira"
)
_UNITS = word_set(
    "km kilometres kilometers kilometre kilometer metres meters metre meter m cm mm kg g "
    "tonnes tons tonne ton hours hour minutes minute seconds days weeks months years decades "
    "degrees °C hectares acres miles mph kph km/h mw gw kw kwh mwh twh litres liters people "
    "passengers percent"
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
# Spelled-out counts ("seven hours", "twelve people"); "one" is too often a pronoun.
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_COUNT_WORDS = {w: n for n, w in enumerate(NUMBER_WORDS) if n >= 2} | _TENS
_FRACTION = re.compile(
    r"\b(?:(?:a|one|two|three|four)\s+(?:half|third|thirds|quarter|quarters|fifth|fifths|"
    r"tenth|tenths)|half)\b(?=\s+of\b|\s*[,.;:)]|\s*$)",
    re.IGNORECASE,
)
_DECADE = re.compile(r"^\d{3}0s$")


@dataclass(frozen=True, slots=True)
class Found:
    """A number or date found in a sentence: the answer, its span and how telling it is."""

    kind: FactKind
    answer: str
    start: int
    end: int
    score: float
    unit_end: int = -1  # where the unit ends ("300 km"): the span no other candidate may use


def numbers_and_dates(sentence: str, tokens: list[Token]) -> list[Found]:
    """Return the dates, years and numbers (with unit or multiplier) of a sentence."""
    found: list[Found] = []
    used: set[int] = set()
    for i, t in enumerate(tokens):
        if t.text in MONTHS and (t.tag is Tag.NAME or _is_day(tokens, i + 1)):
            span = _date_span(tokens, i)
            if span is None:
                continue
            a, b = span
            used.update(range(a, b + 1))
            full = b > a
            text = sentence[tokens[a].start : tokens[b].end]
            found.append(
                Found(FactKind.DATE, text, tokens[a].start, tokens[b].end, 5.0 if full else 3.5)
            )
    for i, t in enumerate(tokens):
        if i in used:
            continue
        if t.tag is Tag.NUM and _DECADE.match(t.text):
            found.append(Found(FactKind.DATE, t.text, t.start, t.end, 4.0))
            continue
        item = _number(sentence, tokens, i) if t.tag is Tag.NUM else _counted(tokens, i)
        if item is not None:
            found.append(item)
    found.extend(_fractions(sentence))
    return sorted(found, key=lambda f: f.start)


def _counted(tokens: list[Token], i: int) -> Found | None:
    """Return a spelled-out count before a plural noun ("seven hours"), if it makes a fact."""
    t = tokens[i]
    if t.lower not in _COUNT_WORDS or i + 1 >= len(tokens):
        return None
    prev = tokens[i - 1].lower if i else ""
    if prev in ("the", "these", "those", "its", "their", "his", "her", "of", "all"):
        return None  # "the two banks": a reference back, not a figure
    nxt = tokens[i + 1]
    if nxt.tag not in (Tag.CONTENT, Tag.VERB) or not nxt.lower.endswith("s"):
        return None
    score = 3.5 if nxt.lower in _UNITS else 2.5
    return Found(FactKind.NUMBER, t.text, t.start, t.end, score, nxt.end)


def _fractions(sentence: str) -> list[Found]:
    """Return shares written as words ("two thirds", "a quarter") as key phrases."""
    out: list[Found] = []
    for m in _FRACTION.finditer(sentence):
        out.append(Found(FactKind.CLAIM, m.group(), m.start(), m.end(), 4.0))
    return out


def _is_day(tokens: list[Token], i: int) -> bool:
    if not 0 <= i < len(tokens) or tokens[i].tag is not Tag.NUM:
        return False
    return tokens[i].text.isdigit() and 1 <= int(tokens[i].text) <= 31


def _date_span(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Return the token range of the date around month token i ("15 February 2024")."""
    a, b = i, i
    if _is_day(tokens, i - 1):
        a = i - 1
    elif _is_day(tokens, i + 1):
        b = i + 1
        if b + 1 < len(tokens) and tokens[b + 1].lower in _ORDINAL_SUFFIXES:
            b += 1
    k = b + 1
    if k < len(tokens) and tokens[k].text == ",":
        k += 1
    year = k < len(tokens) and tokens[k].tag is Tag.NUM
    if year and len(tokens[k].text) == 4 and tokens[k].text.isdigit():
        b = k
    return a, b


def _number(sentence: str, tokens: list[Token], i: int) -> Found | None:
    """Return the number at token i with its unit or multiplier, if it makes a fact."""
    t = tokens[i]
    raw = t.text
    if "-" in raw and not raw.endswith("-fold"):
        return None  # "10-year", "3-2": an adjective or a score, not a quantity
    digits = CURRENCY.sub("", raw)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    is_year = digits.isdigit() and len(digits) == 4 and 1500 <= int(digits) <= 2100
    if is_year and raw == digits and not (nxt and nxt.lower in _UNITS):
        return Found(FactKind.DATE, raw, t.start, t.end, 4.5)
    end = t.end
    j = i + 1
    unit = False
    while j < len(tokens) and j <= i + 3:
        tj = tokens[j]
        if (
            (tj.text == "%" and tj.start == end)
            or tj.lower in _SCALES
            or tj.lower in _CURRENCIES
            or tj.lower in _UNITS
        ):
            end, unit = tj.end, True
        elif tj.lower == "per" and j + 1 < len(tokens) and tokens[j + 1].lower == "cent":
            end, unit = tokens[j + 1].end, True
            j += 1
        elif not unit and tj.tag is Tag.CONTENT and tj.lower.endswith("s") and j == i + 1:
            end, unit = tj.end, True  # "27 trams", "14 stations"
        elif (
            not unit
            and j == i + 1
            and tj.tag is Tag.CONTENT
            and j + 1 < len(tokens)
            and tokens[j + 1].tag is Tag.CONTENT
            and tokens[j + 1].lower.endswith("s")
        ):
            end, unit = tokens[j + 1].end, True  # "800,000 electric cars"
            j += 1
        else:
            break
        j += 1
    if raw.endswith(("-fold", "%")) or CURRENCY.match(raw):
        unit = True
    text = sentence[t.start : end]
    answer = _parseable(text)
    if answer is None:
        return None
    value = parse_number(answer)
    score = 5.0 if unit else (1.5 if value is not None and value <= 10 else 3.0)
    start = sentence.find(answer, t.start)
    return Found(FactKind.NUMBER, answer, start, start + len(answer), score, max(end, start))


def _parseable(text: str) -> str | None:
    """Return the longest prefix of text, currency sign dropped, that reads as one number."""
    words = CURRENCY.sub("", text).split()
    for k in range(len(words), 0, -1):
        candidate = " ".join(words[:k])
        if parse_number(candidate) is not None:
            return candidate
    return None
