"""What answers are worth (speed, streak, hints) and what rounds and games yield.

Buttons mode follows the Kahoot rule: a correct answer is worth ``1000 × (1 − t/(2T))``, so it
never drops below half, plus a streak bonus. Classic (typed) mode starts from a base that shrinks
with each hint shown — 1000, then 700, then 400 — and applies the same speed factor and bonus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.models import Question

if TYPE_CHECKING:
    from bot.core.matching import Match

MAX_POINTS = 1000
STREAK_STEP = 100
STREAK_CAP = 500
HINT_BASES: tuple[int, ...] = (1000, 700, 400)
MAX_HINTS = len(HINT_BASES) - 1
LETTER_MASK = "_"
DIGIT_MASK = "#"


def _half_up(value: float) -> int:
    """Round half away from zero for non-negative values (Python's round() is banker's)."""
    return math.floor(value + 0.5)


def speed_points(elapsed: float, limit: float, base: int = MAX_POINTS) -> int:
    """Return the speed part of a correct answer: base × (1 − t/(2T)) with t clamped to [0, T]."""
    if limit <= 0:
        raise ValueError(f"time limit must be positive, got {limit}")
    t = min(max(elapsed, 0.0), limit)
    return _half_up(base * (1.0 - t / (2.0 * limit)))


def streak_bonus(streak: int) -> int:
    """Return the bonus for the streak reached by a correct answer (the first one earns none)."""
    if streak <= 1:
        return 0
    return min(STREAK_STEP * (streak - 1), STREAK_CAP)


def hint_base(hints_shown: int) -> int:
    """Return the points a correct answer starts from after this many hints were shown."""
    if hints_shown < 0:
        raise ValueError(f"hints shown cannot be negative, got {hints_shown}")
    return HINT_BASES[min(hints_shown, MAX_HINTS)]


def answer_points(
    correct: bool, elapsed: float, limit: float, streak: int, hints_shown: int = 0
) -> int:
    """Return the points for one answer; `streak` is the streak including this answer."""
    if not correct:
        return 0
    return speed_points(elapsed, limit, hint_base(hints_shown)) + streak_bonus(streak)


def next_streak(streak: int, correct: bool) -> int:
    """Return the streak after an answer: one longer when correct, back to zero on a miss."""
    return streak + 1 if correct else 0


def _reveal_word(word: str, level: int) -> str:
    """Mask one run of letters/digits, showing more of it at higher levels."""
    if word.isdigit():
        # Numbers keep their shape only; the last hint gives away the leading digit.
        return "".join(ch if level >= 2 and i == 0 else DIGIT_MASK for i, ch in enumerate(word))
    last = len(word) - 1
    out = []
    for i, ch in enumerate(word):
        if ch.isdigit():
            out.append(DIGIT_MASK)
        elif i == 0 or (level >= 2 and (i % 3 == 0 or i == last)):
            out.append(ch)
        else:
            out.append(LETTER_MASK)
    return "".join(out)


def hint_text(answer: str, level: int) -> str:
    """Return the answer with letters masked: level 1 shows initials, level 2 about a third more.

    Spaces and punctuation are kept so the shape of the answer shows; digits are masked as
    ``#`` (level 2 reveals the first digit of each number).
    """
    if level < 1:
        raise ValueError(f"hint level starts at 1, got {level}")
    out: list[str] = []
    word: list[str] = []
    for ch in answer:
        if ch.isalnum():
            word.append(ch)
            continue
        if word:
            out.append(_reveal_word("".join(word), level))
            word.clear()
        out.append(ch)
    if word:
        out.append(_reveal_word("".join(word), level))
    return "".join(out)


def competition_ranks(points: Sequence[int]) -> list[int]:
    """Return 1-based ranks for points sorted high to low; equal points share a rank (1, 1, 3)."""
    ranks: list[int] = []
    for i, p in enumerate(points):
        if i > 0 and p > points[i - 1]:
            raise ValueError("points must be sorted from high to low")
        ranks.append(ranks[-1] if i > 0 and p == points[i - 1] else i + 1)
    return ranks


class AnswerStatus(StrEnum):
    """What happened to one answer."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    NOT_OPEN = "not_open"
    INVALID_CHOICE = "invalid_choice"
    TOO_LONG = "too_long"
    WRONG = "wrong"
    #: The player used every typed guess this question allows.
    NO_TRIES_LEFT = "no_tries_left"


def option_label(index: int) -> str:
    """Return the letter shown for an option: A, B, C …"""
    return chr(ord("A") + index) if 0 <= index < 26 else str(index + 1)


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """The reply to one answer; in buttons mode `correct` and `points` stay hidden until close."""

    status: AnswerStatus
    correct: bool | None = None
    points: int = 0
    match: Match | None = None
    option_label: str | None = None
    elapsed: float = 0.0
    streak: int = 0
    #: Typed guesses the player still has for this question (None: not limited).
    tries_left: int | None = None


@dataclass(frozen=True, slots=True)
class RoundEntry:
    """One player's answer and points in a closed round."""

    player_id: int
    name: str
    correct: bool
    points: int
    elapsed: float
    choice: int | None
    guess: str | None
    exact: bool
    guesses: int


@dataclass(frozen=True, slots=True)
class Fastest:
    """The quickest correct player of a round."""

    player_id: int
    name: str
    seconds: float


@dataclass(frozen=True, slots=True)
class RoundResult:
    """Everything to show after a question: the answer, why, who scored and how people answered.

    `option_counts` has one count per option for questions answered by buttons and is empty for
    typed answers; `lenient` says a typo-tolerant match was accepted, so show `answer` as the
    exact form.
    """

    index: int
    total: int
    question: Question
    answer: str
    explanation: str
    paragraph: int
    entries: tuple[RoundEntry, ...]
    option_counts: tuple[int, ...]
    correct_count: int
    wrong_count: int
    no_answer_count: int
    fastest: Fastest | None
    lenient: bool
    hints: tuple[str, ...]
    skipped: bool = False

    @property
    def points(self) -> dict[int, int]:
        """Return each answering player's points this round."""
        return {e.player_id: e.points for e in self.entries}


@dataclass(slots=True)
class Player:
    """A player's running totals in one game (owned by the game; read it, don't change it)."""

    player_id: int
    name: str
    points: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0

    def score(self, correct: bool, points: int) -> None:
        """Count one answered question; the streak has already moved on."""
        self.answered += 1
        if correct:
            self.correct += 1
            self.points += points
            self.best_streak = max(self.best_streak, self.streak)


@dataclass(frozen=True, slots=True)
class StandingRow:
    """One player's place in the standings."""

    rank: int
    player_id: int
    name: str
    points: int
    correct: int
    answered: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class Standings:
    """Players ordered by points; equal points share a rank."""

    rows: tuple[StandingRow, ...]
    rounds_played: int
    total_rounds: int
    stopped: bool

    @property
    def winners(self) -> tuple[StandingRow, ...]:
        """Return the players in first place, if anyone scored."""
        return tuple(r for r in self.rows if r.rank == 1 and r.points > 0)


def rank_players(
    players: Iterable[Player], rounds_played: int, total_rounds: int, stopped: bool
) -> Standings:
    """Order players by points, then right answers, then name; equal points share a rank."""
    ordered = sorted(players, key=lambda p: (-p.points, -p.correct, p.name.casefold(), p.player_id))
    ranks = competition_ranks([p.points for p in ordered])
    rows = tuple(
        StandingRow(r, p.player_id, p.name, p.points, p.correct, p.answered, p.best_streak)
        for r, p in zip(ranks, ordered, strict=True)
    )
    return Standings(rows, rounds_played, total_rounds, stopped)
