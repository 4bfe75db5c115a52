"""Decide whether a player's typed answer matches the expected answer, leniently but safely."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.numbers import Date, numbers_in, parse_date, parse_number

__all__ = ["MAX_GUESS_CHARS", "Match", "is_correct", "match", "normalise", "parse_number"]

MAX_GUESS_CHARS = 200
FUZZY_THRESHOLD = 88.0
RIVAL_MARGIN = 5.0
# Shorter words get no typo tolerance: one wrong letter in "Baku" or "air" is another word.
MIN_FUZZY_CHARS = 5
PERSON_KINDS = frozenset({"person"})
# A "who said it" quote question is answered with a person's name.
INFERRED_PERSON_KINDS = frozenset({None, "quote"})

_ARTICLES = frozenset({"the", "a", "an"})
_TITLES = frozenset({"president", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir"})
# Capitalised multi-word answers ending in one of these are names of things, not people.
_GENERIC_NOUNS = frozenset(
    {
        "day",
        "council",
        "union",
        "republic",
        "kingdom",
        "states",
        "state",
        "party",
        "bank",
        "institute",
        "university",
        "agency",
        "ministry",
        "committee",
        "organisation",
        "organization",
        "sea",
        "river",
        "city",
        "ocean",
        "war",
        "treaty",
        "agreement",
        "forum",
        "summit",
        "airport",
        "company",
        "corporation",
        "group",
        "association",
        "fund",
        "court",
        "assembly",
        "parliament",
        "movement",
        "front",
        "league",
        "office",
        "school",
        "college",
        "museum",
        "street",
        "square",
        "bridge",
        "road",
        "highway",
        "mountains",
        "island",
        "islands",
        "lake",
        "bay",
        "strait",
        "declaration",
        "resolution",
        "act",
        "accord",
        "pact",
        "cup",
        "games",
        "prize",
        "award",
        "festival",
        "church",
        "centre",
        "center",
        "initiative",
        "programme",
        "program",
        "project",
        "pipeline",
        "corridor",
        "airlines",
        "airways",
        "news",
        "times",
        "post",
    }
)
_APOSTROPHES = frozenset("'’‘ʼ`´")
# Letters that do not decompose into a base letter plus an accent.
_LETTERS = {
    "đ": "dj",
    "ð": "d",
    "ø": "o",
    "ł": "l",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ı": "i",
    "ə": "a",  # Azerbaijani: Əliyev is written Aliyev in English
    "ħ": "h",
    "ŧ": "t",
}
# Serbian Cyrillic to Serbian Latin (then accents are dropped as for Latin input).
_CYRILLIC = dict(
    zip(
        "абвгдежзијклмнопрстћуфхцчшыэ",
        "abvgdezzijklmnoprstcufhccsye",
        strict=True,
    )
) | {"ђ": "dj", "љ": "lj", "њ": "nj", "џ": "dz", "щ": "sc", "ю": "ju", "я": "ja", "ъ": "", "ь": ""}
_TRANSLIT = str.maketrans(_LETTERS | _CYRILLIC)
# Players type Đ as D as often as Dj, so answers also get a form with plain D.
_TRANSLIT_D = str.maketrans(_LETTERS | _CYRILLIC | {"đ": "d", "ђ": "d"})


@dataclass(frozen=True)
class Match:
    """Outcome of matching one guess, with the rule that decided it and the answer to show."""

    accepted: bool
    # exact: same after case, accents, punctuation, spaces and articles; alias: an alias;
    # number: same value (numbers and dates); surname: an unambiguous part of a person's name;
    # typo: a small slip clearly nearer the answer than any rival; rejected, empty, too_long.
    how: str
    expected: str

    @property
    def exact(self) -> bool:
        """Tell whether the guess needed no leniency beyond case, accents and punctuation."""
        return self.accepted and self.how == "exact"


def _fold(text: str, table: dict[int, str]) -> str:
    """Casefold, strip accents, transliterate and turn punctuation into spaces."""
    # casefold can emit combining marks (İ -> i + dot), so decompose again afterwards.
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    out: list[str] = []
    for ch in s:
        category = unicodedata.category(ch)
        if category[0] == "M" or category in ("Cf", "Cs") or ch in _APOSTROPHES:
            continue  # accents, zero-width and direction marks vanish without splitting words
        out.append(ch)
    s = "".join(out).translate(table)
    return "".join(ch if ch.isalnum() else " " for ch in s)


def _drop_articles(words: list[str]) -> list[str]:
    """Drop leading articles but never the last word."""
    start = 0
    while start < len(words) - 1 and words[start] in _ARTICLES:
        start += 1
    return words[start:]


@lru_cache(maxsize=8192)
def _normal(text: str, table_key: str = "dj") -> str:
    """Normalise text with the chosen Đ spelling."""
    table = _TRANSLIT if table_key == "dj" else _TRANSLIT_D
    return " ".join(_drop_articles(_fold(text, table).split()))


def normalise(text: str) -> str:
    """Casefold, strip accents, punctuation and leading articles, and collapse spaces."""
    return _normal(text)


def _forms(text: str) -> tuple[str, ...]:
    """Normal forms of an answer-side text: with Đ as Dj and as D, without empties."""
    return tuple(dict.fromkeys(f for f in (_normal(text), _normal(text, "d")) if f))


def _compact(form: str) -> str:
    """Form without spaces, so "Caliber.Az" and "CaliberAz" agree; digits keep their spaces."""
    return form if any(ch.isdigit() for ch in form) else form.replace(" ", "")


def _digits(form: str) -> tuple[str, ...]:
    """Digit groups of a normal form, which must agree exactly for a fuzzy match."""
    return tuple(w for w in form.split() if any(ch.isdigit() for ch in w))


def _looks_like_person(answer: str, kind: str | None) -> bool:
    """Tell whether the surname rule applies to this answer."""
    if kind in PERSON_KINDS:
        return True
    if kind not in INFERRED_PERSON_KINDS:
        return False
    words = answer.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if not word[:1].isupper() or any(ch.isdigit() for ch in word):
            return False
        if len(word) > 1 and word.isupper():
            return False  # an acronym: "NATO Summit" is not a person
    return _normal(words[-1]) not in _GENERIC_NOUNS


@dataclass(frozen=True)
class _Target:
    """Everything about one answer that does not depend on the guess."""

    answer: str
    exact: frozenset[str]
    alias: frozenset[str]
    name_parts: frozenset[str]
    candidates: tuple[str, ...]
    rival_exact: frozenset[str]
    rivals: tuple[str, ...]
    number: float | None
    date: Date | None
    person: bool


@lru_cache(maxsize=1024)
def _target(
    answer: str, aliases: tuple[str, ...], rivals: tuple[str, ...], kind: str | None
) -> _Target:
    """Precompute the normal forms of an answer, its aliases and its rivals."""
    answer_forms = _forms(answer)
    alias_forms = tuple(f for a in aliases for f in _forms(a) if f not in answer_forms)
    own = {*answer_forms, *alias_forms}
    rival_forms = tuple(dict.fromkeys(f for r in rivals for f in _forms(r) if f not in own))
    person = _looks_like_person(answer, kind)
    name_parts: set[str] = set()
    candidates = [*answer_forms, *alias_forms]
    rival_pool = list(rival_forms)
    if person:
        rival_surnames = {f.split()[-1] for f in rival_forms}
        rival_pool.extend(sorted(rival_surnames - own))
        for form in answer_forms:
            words = form.split()
            if len(words) >= 2 and words[-1] not in rival_surnames:
                name_parts.add(words[-1])
                candidates.append(words[-1])
            if len(words) >= 3:
                name_parts.add(f"{words[0]} {words[-1]}")
    kind_is_date = kind in (None, "date")
    return _Target(
        answer=answer.strip(),
        exact=frozenset(_compact(f) for f in answer_forms),
        alias=frozenset(_compact(f) for f in alias_forms),
        name_parts=frozenset(name_parts - set(rival_forms)),
        candidates=tuple(dict.fromkeys(candidates)),
        rival_exact=frozenset(_compact(f) for f in rival_forms),
        rivals=tuple(dict.fromkeys(rival_pool)),
        number=parse_number(answer),
        date=parse_date(answer) if kind_is_date else None,
        person=person,
    )


def _word_ok(guess: str, form: str) -> bool:
    """Tell whether one guessed word is the form's word or a small typo of it."""
    if guess == form:
        return True
    if len(form) < MIN_FUZZY_CHARS:
        return False
    if fuzz.ratio(guess, form) >= FUZZY_THRESHOLD:
        return True
    # Substitutions and swapped letters cost twice in ratio, so allow them by edit count.
    allowed = 1 if len(form) < 10 else 2
    return len(form) > MIN_FUZZY_CHARS and OSA.distance(guess, form) <= allowed


def _typo_of(guess: str, form: str, person: bool) -> bool:
    """Tell whether the guess is a typo of one normal form."""
    if len(form.replace(" ", "")) < MIN_FUZZY_CHARS or _digits(guess) != _digits(form):
        return False
    guess_words, form_words = guess.split(), form.split()
    if len(guess_words) == len(form_words):
        # Word by word, so "East Timor" never passes for "West Timor".
        return all(_word_ok(g, f) for g, f in zip(guess_words, form_words, strict=True))
    # People are matched word by word only; other names may gain or lose a small word.
    return not person and fuzz.ratio(guess, form) >= FUZZY_THRESHOLD


def _strip_titles(guess: str) -> str:
    """Drop leading titles such as "President" from a guessed name."""
    words = guess.split()
    start = 0
    while start < len(words) - 1 and words[start] in _TITLES:
        start += 1
    return " ".join(words[start:])


def _same_number(a: float, b: float) -> bool:
    """Tell whether two parsed numbers are the same value."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same_date(answer: Date, guess: Date) -> bool:
    """Tell whether a guessed date is the answer's date; a missing year never contradicts."""
    if (answer.month, answer.day) != (guess.month, guess.day):
        return False
    return answer.year is None or guess.year is None or answer.year == guess.year


def _match_value(guess: str, key: str, target: _Target) -> Match:
    """Match a guess against an answer that is a number or a date: by value, never fuzzily."""
    accept_how = "exact" if key in target.exact else "number"
    if target.number is not None:
        found = set(numbers_in(guess))
        ok = len(found) == 1 and _same_number(target.number, found.pop())
    else:
        date = parse_date(guess)
        ok = date is not None and target.date is not None and _same_date(target.date, date)
    return Match(ok, accept_how if ok else "rejected", target.answer)


def _match_text(normal: str, target: _Target) -> Match:
    """Match a guess against a text answer: exact, alias, name part, then guarded typo."""
    answer = target.answer
    key = _compact(normal)
    if key in target.rival_exact:
        return Match(False, "rejected", answer)
    if target.person:
        stripped = _strip_titles(normal)
        if stripped in target.name_parts or (
            stripped != normal and _compact(stripped) in target.exact
        ):
            return Match(True, "surname", answer)
        normal = stripped
    best = max(
        (fuzz.ratio(normal, f) for f in target.candidates if _typo_of(normal, f, target.person)),
        default=None,
    )
    if best is None:
        return Match(False, "rejected", answer)
    rival = process.extractOne(normal, target.rivals, scorer=fuzz.ratio) if target.rivals else None
    # A typo counts only when it is clearly nearer the answer than any other known entity.
    if rival is not None and best - rival[1] < RIVAL_MARGIN:
        return Match(False, "rejected", answer)
    return Match(True, "typo", answer)


def match(
    guess: str,
    answer: str,
    aliases: Iterable[str] = (),
    rivals: Iterable[str] = (),
    *,
    kind: str | None = None,
) -> Match:
    """Match a typed guess against the answer, its aliases and the rivals it must not be."""
    target = _target(answer, tuple(aliases), tuple(rivals), kind)
    if len(guess) > MAX_GUESS_CHARS:
        return Match(False, "too_long", target.answer)
    normal = normalise(guess)
    if not normal:
        return Match(False, "empty", target.answer)
    key = _compact(normal)
    if key in target.alias and key not in target.exact:
        return Match(True, "alias", target.answer)
    if target.number is not None or target.date is not None:
        return _match_value(guess, key, target)
    if key in target.exact:
        return Match(True, "exact", target.answer)
    return _match_text(normal, target)


def is_correct(
    guess: str, answer: str, aliases: Iterable[str] = (), rivals: Iterable[str] = ()
) -> bool:
    """Tell whether the guess is accepted for the answer."""
    return match(guess, answer, aliases, rivals).accepted
