"""Parse numbers and calendar dates written in digits or English words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Longer text is never a single number or date; the cap bounds the work done per chat message.
MAX_PARSE_CHARS = 100

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_IRREGULAR_ORDINALS = {
    "first": "one",
    "second": "two",
    "third": "three",
    "fifth": "five",
    "eighth": "eight",
    "ninth": "nine",
    "twelfth": "twelve",
}
_NUMBER_WORDS = {*_SMALL, *_TENS, *_SCALES, "hundred"}

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# February allows 29 because a date without a year may fall in a leap year.
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DATE_FILLERS = frozenset({"of", "the", "on"})

# "1,000" and "10,000,000" group thousands; "3,5" with one or two digits is a decimal comma.
_DIGITS = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_DECIMAL_COMMA = re.compile(r"([+-]?\d+),(\d{1,2})")
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_DIGIT_SCALE = re.compile(r"(.+?)\s*(hundred|thousand|million|billion|trillion)")
# A multiplier or percentage suffix does not change the value the player means.
_WORD_SUFFIX = re.compile(r"(?:\s*-\s*|\s*)(?:fold|times|percent|per\s*cent|%)$")
_TIMES_SIGN = re.compile(r"(?<=[0-9])\s*[x×]$")
_DIGIT_RUN = re.compile(r"(?<![\w.,])[+-]?\d[\d,]*(?:\.\d+)?(?![\w,])")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORD_SPLIT = re.compile(r"[\s\-]+")
_TOKEN = re.compile(r"[^\W_]+")


class Date(NamedTuple):
    """A calendar date where the day and year may be unknown."""

    month: int
    day: int | None
    year: int | None


def _fold(text: str) -> str:
    """Casefold, decompose and drop accents and invisible format characters."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text).casefold():
        category = unicodedata.category(ch)
        if category[0] == "M" or category in ("Cf", "Cs"):
            continue  # accents and zero-width marks vanish without splitting digits
        out.append(" " if category == "Cc" else ch)
    return " ".join("".join(out).split())


def _cardinal(word: str) -> str:
    """Turn an ordinal number word into its cardinal word ("fifteenth" -> "fifteen")."""
    if word in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[word]
    if word.endswith("ieth") and word[:-4] + "y" in _TENS:
        return word[:-4] + "y"
    if word.endswith("th") and word[:-2] in _NUMBER_WORDS:
        return word[:-2]
    return word


def _words_value(words: list[str]) -> float | None:
    """Value of a well-formed English cardinal ("one hundred and twenty"), or None."""
    total = 0.0
    current = 0.0
    last: str | None = None
    prev_scale = float("inf")
    for i, word in enumerate(words):
        if word in ("a", "an") and i == 0 and len(words) > 1:
            current, last = 1.0, "unit"
        elif word in _SMALL:
            value = _SMALL[word]
            if last in ("unit", "teen") or (last == "ten" and not 1 <= value <= 9):
                return None
            current += value
            last = "teen" if value >= 10 else "unit"
        elif word in _TENS:
            if last in ("unit", "teen", "ten"):
                return None
            current += _TENS[word]
            last = "ten"
        elif word == "hundred":
            if last not in ("unit", "teen", "ten") or current >= 100:
                return None
            current *= 100
            last = "hundred"
        elif word in _SCALES:
            scale = _SCALES[word]
            if last in (None, "scale", "and") or scale >= prev_scale:
                return None
            total += current * scale
            current, prev_scale, last = 0.0, scale, "scale"
        elif word == "and":
            if last not in ("hundred", "scale") or i == len(words) - 1:
                return None
            last = "and"
        else:
            return None
    if last is None:
        return None
    return total + current


def _two_digit(words: list[str]) -> int | None:
    """Value 10-99 of a short word group without hundreds or scales, or None."""
    if not words or any(w not in _SMALL and w not in _TENS for w in words):
        return None
    value = _words_value(words)
    return int(value) if value is not None and 10 <= value <= 99 else None


def _year_words(words: list[str]) -> float | None:
    """Value of a year said in pairs: "twenty twelve", "nineteen ninety-nine", "twenty oh five"."""
    for split in range(1, len(words)):
        century = _two_digit(words[:split])
        if century is None:
            continue
        rest = words[split:]
        if len(rest) == 2 and rest[0] in ("oh", "o") and 1 <= _SMALL.get(rest[1], 0) <= 9:
            return float(century * 100 + _SMALL[rest[1]])
        tail = _two_digit(rest)
        if tail is not None:
            return float(century * 100 + tail)
    return None


def _digits_value(text: str) -> float | None:
    """Value of a number written in digits, or None."""
    if _DIGITS.fullmatch(text):
        return float(text.replace(",", ""))
    comma = _DECIMAL_COMMA.fullmatch(text)
    if comma:
        return float(f"{comma[1]}.{comma[2]}")
    ordinal = _DIGIT_ORDINAL.fullmatch(text)
    if ordinal:
        return float(ordinal[1])
    return None


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """Return the number that text states ("16", "sixteen", "16-fold", "1,000"), else None."""
    if len(text) > MAX_PARSE_CHARS:
        return None
    s = _fold(text).strip(" .!?\"'“”‘’")
    s = _TIMES_SIGN.sub("", _WORD_SUFFIX.sub("", s)).strip()
    if not s:
        return None
    value = _digits_value(s)
    if value is not None:
        return value
    scaled = _DIGIT_SCALE.fullmatch(s)
    base = _digits_value(scaled[1]) if scaled else None
    if scaled and base is not None:
        return base * (100.0 if scaled[2] == "hundred" else _SCALES[scaled[2]])
    words = [w for w in _WORD_SPLIT.split(s.replace(",", " ")) if w]
    if not words:
        return None
    words[-1] = _cardinal(words[-1])
    value = _words_value(words)
    return value if value is not None else _year_words(words)


def numbers_in(text: str) -> list[float]:
    """Return the numbers text states: the whole text as one number, else each digit group."""
    whole = parse_number(text)
    if whole is not None:
        return [whole]
    found = (parse_number(run) for run in _DIGIT_RUN.findall(_fold(text)[: MAX_PARSE_CHARS * 2]))
    return [value for value in found if value is not None]


def _valid_day(month: int, day: float | None) -> bool:
    """Tell whether day is a whole day number that exists in month."""
    return day is not None and day == int(day) and 1 <= day <= _DAYS_IN_MONTH[month - 1]


@lru_cache(maxsize=4096)
def parse_date(text: str) -> Date | None:
    """Return the date text states ("February 15", "15th of Feb", "May"), else None."""
    if len(text) > MAX_PARSE_CHARS:
        return None
    s = _fold(text)
    iso = _ISO_DATE.fullmatch(s)
    if iso:
        iso_month, iso_day = int(iso[2]), int(iso[3])
        if 1 <= iso_month <= 12 and _valid_day(iso_month, iso_day):
            return Date(iso_month, iso_day, int(iso[1]))
        return None
    tokens = [t for t in _TOKEN.findall(s) if t not in _DATE_FILLERS]
    month_at = [i for i, t in enumerate(tokens) if t in _MONTHS]
    if len(month_at) != 1:
        return None
    year: int | None = None
    if len(tokens) > 1 and tokens[-1].isascii() and tokens[-1].isdigit() and len(tokens[-1]) == 4:
        year = int(tokens.pop())
    at = month_at[0]
    month = _MONTHS[tokens[at]]
    before, after = tokens[:at], tokens[at + 1 :]
    if before and after:
        return None
    day_words = before or after
    if not day_words:
        return Date(month, None, year)
    day_number = parse_number(" ".join(day_words))
    if day_number is None or not _valid_day(month, day_number):
        return None
    return Date(month, int(day_number), year)
