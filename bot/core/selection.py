"""What a game plays: its settings, its questions picked without repeats, and how answers are read.

Games and practice sessions share the reading of answers: the options a question offers, how a
typed line picks one of them, and how typed text is matched against the answer.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass
from enum import StrEnum

from bot.core.matching import Match, match, normalise
from bot.core.models import FALSE, TRUE, Bank, FactKind, Question, QuestionKind


class GameMode(StrEnum):
    """How players answer."""

    #: Press an option; questions without options are not asked.
    BUTTONS = "buttons"
    #: Type the answer, no options shown; the first right answer wins the round.
    CLASSIC = "classic"
    #: Pick an option where the question has them, type the answer where it has none.
    MIXED = "mixed"


class GameError(Exception):
    """Base of every error the game engine raises; its message is safe to show to a user."""


class NotEnoughQuestionsError(GameError):
    """No question of the bank fits the requested topic and mode."""

    def __init__(self, topic: str | None, bank: str = "") -> None:
        self.topic = topic
        self.bank = bank
        where = f"topic {topic}" if topic is not None else "this game"
        if bank:
            where += f" in bank {bank}"
        super().__init__(f"not enough questions for {where}")


class SettingsError(GameError, ValueError):
    """Game settings out of range; the message names the setting and the allowed values."""


COUNT_RANGE = (1, 50)
SECONDS_RANGE = (5, 120)
TRIES_RANGE = (1, 10)


def _check_range(name: str, value: object, bounds: tuple[int, int]) -> None:
    """Raise SettingsError unless value is a whole number within bounds."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, got {value!r}")


@dataclass(frozen=True, slots=True)
class GameSettings:
    """What the owner asked for; validated on creation."""

    count: int = 10
    topic: str | None = None
    seconds: int = 20
    mode: GameMode = GameMode.BUTTONS
    bank: str = ""
    #: Typed guesses each player gets per question; None: one locked-in answer where answers
    #: are locked in, and as many as time allows in classic mode.
    tries: int | None = None

    def __post_init__(self) -> None:
        _check_range("count", self.count, COUNT_RANGE)
        _check_range("seconds", self.seconds, SECONDS_RANGE)
        if self.tries is not None:
            _check_range("tries", self.tries, TRIES_RANGE)
        try:
            mode = GameMode(self.mode)
        except ValueError:
            allowed = ", ".join(m.value for m in GameMode)
            raise SettingsError(f"mode must be one of {allowed}, got {self.mode!r}") from None
        object.__setattr__(self, "mode", mode)
        if self.topic is not None and not self.topic.strip():
            object.__setattr__(self, "topic", None)


def playable(question: Question, mode: GameMode) -> bool:
    """Return whether a question can be asked in a mode: the one rule every game follows.

    Buttons mode needs options to press; classic mode shows none, so a question that only makes
    sense with its options (true/false, an ordering, a pairing, a reason) cannot be typed; mixed
    mode asks everything.
    """
    if mode is GameMode.BUTTONS:
        return bool(options_for(question))
    if mode is GameMode.CLASSIC:
        return not question.kind.needs_options
    return True


def options_for(question: Question) -> tuple[str, ...]:
    """Return the options of a question answered by picking one (none for free text)."""
    if question.choices:
        return question.choices
    return (TRUE, FALSE) if question.kind is QuestionKind.TRUE_FALSE else ()


def typed_rivals(question: Question) -> tuple[str, ...]:
    """Return the wrong answers a typed guess must not be taken for, the other options too."""
    extra = (c for c in options_for(question) if c != question.answer and c not in question.rivals)
    return question.rivals + tuple(extra)


def match_typed(text: str, question: Question) -> Match:
    """Match typed text against the right answer (for option questions, its option text)."""
    # A "who said it" question is answered with a person's name, whatever the fact's kind.
    who = question.kind is QuestionKind.WHO_SAID
    kind = FactKind.PERSON.value if who else question.fact_kind.value
    return match(text, question.answer, question.aliases, typed_rivals(question), kind=kind)


_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "right", "correct"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "wrong", "incorrect"})


def read_option(text: str, options: tuple[str, ...]) -> int | None:
    """Read typed text as an option pick: an option's text, true/false, a position or a letter.

    A lone letter always names an option, even past the last one, so the caller can refuse it as
    "not an option" rather than judge it as an answer. None: the text picks no option.
    """
    if not options:
        return None
    key = normalise(text)
    for i, option in enumerate(options):
        if normalise(option) == key:
            return i
    if options == (TRUE, FALSE):
        if key in _TRUE_WORDS:
            return 0
        if key in _FALSE_WORDS:
            return 1
    # Positions only when no option is itself a number, so "16" means the option "16", not #16.
    numeric_options = any(ch.isdigit() for o in options for ch in o)
    # isdecimal, not isdigit: "²" or "፩" are digits that int() cannot read.
    if key.isdecimal() and not numeric_options and 1 <= int(key) <= len(options):
        return int(key) - 1
    if len(key) == 1 and "a" <= key <= "z":
        return ord(key) - ord("a")
    return None


def _freshness(question: Question, seen: Set[str], seen_facts: Set[str]) -> int:
    """Rank how new a question is to the players: 2 fully new, 1 fact known, 0 question seen."""
    if question.id in seen:
        return 0
    return 1 if question.fact_id in seen_facts else 2


def pick_questions(
    bank_or_questions: Bank | Iterable[Question],
    count: int,
    *,
    topic: str | None = None,
    seen: Set[str] = frozenset(),
    mode: GameMode = GameMode.MIXED,
    rng: random.Random,
) -> list[Question]:
    """Return up to `count` questions for one game, deterministic for a given `rng` seed.

    Rules, strongest first: a question never repeats; no two questions share a fact while unused
    facts remain (they would give each other away; an ordering or a pairing shares every fact
    it shows); questions the players have not seen — and
    whose fact they have not met through another question — come first; kinds take turns.
    Raise NotEnoughQuestionsError when nothing fits the topic and mode.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    bank_name = ""
    if isinstance(bank_or_questions, Bank):
        bank_name = bank_or_questions.slug
        source: Iterable[Question] = bank_or_questions.by_topic(topic)
    else:
        source = (q for q in bank_or_questions if topic is None or q.topic == topic)
    unique = {q.id: q for q in source if playable(q, mode)}
    if not unique:
        raise NotEnoughQuestionsError(topic, bank_name)

    # Sort before shuffling so the result depends on the seed, not on the input order.
    pool = [unique[k] for k in sorted(unique)]
    rng.shuffle(pool)
    seen_facts = {q.fact_id for q in pool if q.id in seen}
    fresh = {q.id: _freshness(q, seen, seen_facts) for q in pool}

    picked: list[Question] = []
    used_facts: set[str] = set()
    kinds: Counter[QuestionKind] = Counter()
    remaining = pool
    while remaining and len(picked) < count:
        candidates = [q for q in remaining if used_facts.isdisjoint(q.facts)] or remaining
        best = max(fresh[q.id] for q in candidates)
        candidates = [q for q in candidates if fresh[q.id] == best]
        least = min(kinds[q.kind] for q in candidates)
        choice = next(q for q in candidates if kinds[q.kind] == least)
        picked.append(choice)
        used_facts.update(choice.facts)
        kinds[choice.kind] += 1
        remaining = [q for q in remaining if q.id != choice.id]
    return picked
