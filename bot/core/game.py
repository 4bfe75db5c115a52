"""One quiz game in one channel: a pure state machine its owner drives, with an injected clock.

The owner (a Discord cog or the terminal adapter) calls `open()`, feeds `answer()`, calls `hint()`
at `next_hint_at` (classic mode) and `close()` at `deadline`, then `open()` again until the game is
FINISHED. Nothing here sleeps, does I/O or knows about Discord.

Answers arriving after the deadline but before the owner closes the round still count for
`grace` seconds (network lag); their speed is clamped to the deadline, so they earn the minimum.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from enum import StrEnum

from bot.core import scoring
from bot.core.matching import MAX_GUESS_CHARS
from bot.core.models import Bank, Question, QuestionKind
from bot.core.scoring import (
    AnswerOutcome,
    AnswerStatus,
    Fastest,
    Player,
    RoundEntry,
    RoundResult,
    Standings,
    option_label,
    rank_players,
)
from bot.core.selection import (
    GameError,
    GameMode,
    GameSettings,
    NotEnoughQuestionsError,
    SettingsError,
    match_typed,
    options_for,
    pick_questions,
)

Clock = Callable[[], float]
LATE_GRACE = 1.0
MAX_GUESS_LENGTH = MAX_GUESS_CHARS


class GameStateError(GameError):
    """An operation that the game's current state does not allow."""


class GameState(StrEnum):
    """Where a game is: READY → OPEN → CLOSED → … → FINISHED, or STOPPED by its owner."""

    READY = "ready"
    OPEN = "open"
    CLOSED = "closed"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(slots=True)
class _Entry:
    """One player's answer to the open question."""

    player: Player
    elapsed: float
    choice: int | None = None
    guess: str | None = None
    correct: bool = False
    exact: bool = True
    guesses: int = 1

    def public(self, points: int) -> RoundEntry:
        """Return this answer as shown in the round's result."""
        p = self.player
        return RoundEntry(
            p.player_id, p.name, self.correct, points, self.elapsed, self.choice, self.guess,
            self.exact, self.guesses,
        )  # fmt: skip


class Game:
    """One game: a fixed list of questions played round by round."""

    __slots__ = (
        "_clock",
        "_entries",
        "_hints",
        "_opened_at",
        "_players",
        "_questions",
        "_results",
        "_tries",
        "grace",
        "host_id",
        "index",
        "settings",
        "state",
    )

    def __init__(
        self,
        questions: Sequence[Question],
        settings: GameSettings | None = None,
        *,
        clock: Clock = time.monotonic,
        host_id: int | None = None,
        grace: float = LATE_GRACE,
    ) -> None:
        self.settings = settings or GameSettings()
        # A tuple of references: questions are shared with the bank, never copied.
        self._questions = tuple(questions)
        if not self._questions:
            raise NotEnoughQuestionsError(self.settings.topic, self.settings.bank)
        if self.mode is GameMode.CLASSIC and any(
            q.kind is QuestionKind.TRUE_FALSE for q in self._questions
        ):
            raise SettingsError("true/false questions cannot be played in classic mode")
        self._clock = clock
        self.host_id = host_id
        self.grace = grace
        #: Where the game is; read it, the game changes it.
        self.state = GameState.READY
        #: 0-based number of the open or last closed round (-1 before the first).
        self.index = -1
        self._opened_at = 0.0
        self._entries: dict[int, _Entry] = {}
        #: Wrong typed guesses not locked in yet (more than one try), per player.
        self._tries: dict[int, int] = {}
        self._hints: list[str] = []
        self._players: dict[int, Player] = {}
        self._results: list[RoundResult] = []

    @classmethod
    def from_bank(
        cls,
        bank: Bank,
        settings: GameSettings,
        *,
        rng: random.Random,
        seen: Set[str] = frozenset(),
        clock: Clock = time.monotonic,
        host_id: int | None = None,
    ) -> Game:
        """Pick questions from a bank for these settings and return a game ready to open."""
        s = settings
        picked = pick_questions(bank, s.count, topic=s.topic, seen=seen, mode=s.mode, rng=rng)
        return cls(picked, settings, clock=clock, host_id=host_id)

    @property
    def mode(self) -> GameMode:
        """Return how players answer."""
        return self.settings.mode

    @property
    def is_over(self) -> bool:
        """Return whether the game has finished or was stopped."""
        return self.state in (GameState.FINISHED, GameState.STOPPED)

    @property
    def total(self) -> int:
        """Return how many rounds the game has."""
        return len(self._questions)

    @property
    def question(self) -> Question | None:
        """Return the open or last closed question."""
        return self._questions[self.index] if self.index >= 0 else None

    @property
    def options(self) -> tuple[str, ...]:
        """Return the options to show for the open question (none when answers are typed)."""
        q = self.question
        return () if q is None or self.mode is GameMode.CLASSIC else options_for(q)

    @property
    def deadline(self) -> float | None:
        """Return the clock time at which the owner should close the open question."""
        is_open = self.state is GameState.OPEN
        return self._opened_at + self.settings.seconds if is_open else None

    @property
    def next_hint_at(self) -> float | None:
        """Return the clock time of the next hint (classic mode: at 1/3 and 2/3 of the time)."""
        shown = len(self._hints)
        if self.state is not GameState.OPEN or self.mode is not GameMode.CLASSIC:
            return None
        if shown >= scoring.MAX_HINTS:
            return None
        return self._opened_at + self.settings.seconds * (shown + 1) / (scoring.MAX_HINTS + 1)

    @property
    def hints(self) -> tuple[str, ...]:
        """Return the hints shown for the open question."""
        return tuple(self._hints)

    @property
    def players(self) -> tuple[Player, ...]:
        """Return the players in the order they joined."""
        return tuple(self._players.values())

    @property
    def results(self) -> tuple[RoundResult, ...]:
        """Return the results of the closed rounds."""
        return tuple(self._results)

    @property
    def last_result(self) -> RoundResult | None:
        """Return the result of the latest closed round (classic rounds close on a right guess)."""
        return self._results[-1] if self._results else None

    @property
    def all_answered(self) -> bool:
        """Return whether every known player is done with the open question (it may close early).

        Done: locked in where answers are locked in; out of typed guesses in classic mode with
        a limited number of tries.
        """
        if self.state is not GameState.OPEN or not self._players:
            return False
        if self.mode is not GameMode.CLASSIC:
            return len(self._entries) == len(self._players)
        tries = self.settings.tries
        if tries is None:
            return False
        done = (e for e in self._entries.values() if e.guesses >= tries)
        return sum(1 for _ in done) == len(self._players)

    def join(self, player_id: int, name: str) -> Player:
        """Add a player so they appear in the standings before answering."""
        player = self._players.get(player_id)
        if player is None:
            player = self._players[player_id] = Player(player_id, name)
        elif name:
            player.name = name
        return player

    def open(self) -> Question:
        """Open the next question and start its clock."""
        if self.state not in (GameState.READY, GameState.CLOSED):
            raise GameStateError(f"cannot open a question while the game is {self.state}")
        self.index += 1
        self._opened_at = self._clock()
        self._entries = {}
        self._tries = {}
        self._hints = []
        self.state = GameState.OPEN
        return self._questions[self.index]

    def restart_clock(self) -> None:
        """Start the open question's time again from now (once players can actually see it)."""
        self._require_open(None)
        self._opened_at = self._clock()

    def hint(self) -> str:
        """Reveal more of the answer (classic mode, twice at most); right answers then earn less."""
        self._require_open(None)
        if self.mode is not GameMode.CLASSIC:
            raise GameStateError("hints are only given in classic mode")
        if len(self._hints) >= scoring.MAX_HINTS:
            raise GameStateError(f"only {scoring.MAX_HINTS} hints per question")
        text = scoring.hint_text(self._questions[self.index].answer, len(self._hints) + 1)
        self._hints.append(text)
        return text

    def close(self, index: int | None = None) -> RoundResult:
        """Close the open question, score it and return its result; `index` guards late timers."""
        self._require_open(index)
        return self._finish_round(skipped=False)

    def skip(self, index: int | None = None) -> RoundResult:
        """Close the open question without scoring it."""
        self._require_open(index)
        return self._finish_round(skipped=True)

    def stop(self) -> Standings:
        """End the game early; an open question is dropped unscored."""
        if self.is_over:
            raise GameStateError(f"the game is already {self.state}")
        if self.state is GameState.OPEN:
            self._finish_round(skipped=True)
        self.state = GameState.STOPPED
        return self.standings()

    def answer(self, player_id: int, value: int | str, *, name: str = "") -> AnswerOutcome:
        """Take one answer: an option index, or typed text (classic mode, free-text questions)."""
        if self.state is GameState.READY:
            return AnswerOutcome(AnswerStatus.NOT_OPEN)
        if self.state is not GameState.OPEN:
            return AnswerOutcome(AnswerStatus.CLOSED)
        elapsed = self._clock() - self._opened_at
        known = self._players.get(player_id)
        streak = known.streak if known else 0
        status: AnswerStatus | None = None
        if elapsed > self.settings.seconds + self.grace:
            status = AnswerStatus.CLOSED
        elif isinstance(value, str) and len(value) > MAX_GUESS_LENGTH:
            status = AnswerStatus.TOO_LONG
        if status is not None:
            return AnswerOutcome(status, elapsed=elapsed, streak=streak)
        if self.mode is GameMode.CLASSIC:
            return self._guess(player_id, name, str(value), elapsed, streak)
        return self._lock_in(player_id, name, value, elapsed, streak)

    def standings(self) -> Standings:
        """Return the players ordered by points; equal points share a rank."""
        played = sum(1 for r in self._results if not r.skipped)
        stopped = self.state is GameState.STOPPED
        return rank_players(self._players.values(), played, self.total, stopped)

    def _require_open(self, index: int | None) -> None:
        """Raise unless a question is open (and it is round `index`, when given)."""
        if self.state is not GameState.OPEN:
            raise GameStateError(f"no question is open (the game is {self.state})")
        if index is not None and index != self.index:
            raise GameStateError(f"round {index + 1} is not the open round ({self.index + 1})")

    def _lock_in(
        self, player_id: int, name: str, value: int | str, elapsed: float, streak: int
    ) -> AnswerOutcome:
        """Record a player's only answer to the open question; the verdict waits for close."""
        q = self._questions[self.index]
        first = self._entries.get(player_id)
        if first is not None:
            label = option_label(first.choice) if first.choice is not None else None
            return AnswerOutcome(AnswerStatus.DUPLICATE, None, 0, None, label, elapsed, streak)
        choices = options_for(q)
        if choices:
            # bool is an int subclass; True must not pick option B.
            if isinstance(value, bool) or not isinstance(value, int):
                return AnswerOutcome(AnswerStatus.INVALID_CHOICE, elapsed=elapsed, streak=streak)
            if not 0 <= value < len(choices):
                return AnswerOutcome(AnswerStatus.INVALID_CHOICE, elapsed=elapsed, streak=streak)
            entry = _Entry(self.join(player_id, name), elapsed, choice=value)
            entry.correct = choices[value] == q.answer
        else:
            m = match_typed(str(value), q)
            tries = self.settings.tries or 1
            used = self._tries.get(player_id, 0) + 1
            if not m.accepted and used < tries:
                # A wrong guess with tries left is not locked in (only with more than one try).
                self._tries[player_id] = used
                self.join(player_id, name)
                return AnswerOutcome(
                    AnswerStatus.WRONG, False, 0, m, None, elapsed, streak, tries - used
                )
            entry = _Entry(self.join(player_id, name), elapsed, guess=str(value), guesses=used)
            entry.correct, entry.exact = m.accepted, m.exact
        self._entries[player_id] = entry
        label = option_label(entry.choice) if entry.choice is not None else None
        return AnswerOutcome(AnswerStatus.ACCEPTED, None, 0, None, label, elapsed, streak)

    def _guess(
        self, player_id: int, name: str, text: str, elapsed: float, streak: int
    ) -> AnswerOutcome:
        """Match a typed guess; the first right one wins and closes the question."""
        if not text.strip():
            # Blank messages are not attempts: they neither count nor enrol the sender.
            return AnswerOutcome(AnswerStatus.WRONG, False, elapsed=elapsed, streak=streak)
        tries = self.settings.tries
        entry = self._entries.get(player_id)
        if tries is not None and entry is not None and entry.guesses >= tries:
            return AnswerOutcome(AnswerStatus.NO_TRIES_LEFT, False, elapsed=elapsed, streak=streak)
        m = match_typed(text, self._questions[self.index])
        if entry is None:
            entry = self._entries[player_id] = _Entry(self.join(player_id, name), elapsed)
        else:
            entry.guesses += 1
        entry.elapsed = elapsed
        if not m.accepted:
            left = None if tries is None else tries - entry.guesses
            return AnswerOutcome(AnswerStatus.WRONG, False, 0, m, None, elapsed, streak, left)
        entry.correct, entry.exact, entry.guess = True, m.exact, text
        points = self._finish_round(skipped=False).points[player_id]
        return AnswerOutcome(
            AnswerStatus.ACCEPTED, True, points, m, None, elapsed, entry.player.streak
        )

    def _finish_round(self, *, skipped: bool) -> RoundResult:
        """Score the open round (unless skipped), record its result and move the state on."""
        q = self._questions[self.index]
        points: dict[int, int] = {}
        for player in () if skipped else self._players.values():
            entry = self._entries.get(player.player_id)
            correct = entry is not None and entry.correct
            player.streak = scoring.next_streak(player.streak, correct)
            if entry is not None:
                limit, hints = self.settings.seconds, len(self._hints)
                gained = scoring.answer_points(correct, entry.elapsed, limit, player.streak, hints)
                points[player.player_id] = gained
                player.score(correct, gained)
        ordered = sorted(self._entries.values(), key=lambda e: (not e.correct, e.elapsed))
        entries = tuple(e.public(points.get(e.player.player_id, 0)) for e in ordered)
        counts = [0] * (len(options_for(q)) if self.mode is not GameMode.CLASSIC else 0)
        for e in ordered:
            if e.choice is not None:
                counts[e.choice] += 1
        right = [e for e in entries if e.correct]
        first = right[0] if right else None
        result = RoundResult(
            index=self.index,
            total=self.total,
            question=q,
            answer=q.answer,
            explanation=q.explanation,
            paragraph=q.paragraph,
            entries=entries,
            option_counts=tuple(counts),
            correct_count=len(right),
            wrong_count=len(entries) - len(right),
            no_answer_count=len(self._players) - len(entries),
            fastest=Fastest(first.player_id, first.name, first.elapsed) if first else None,
            lenient=any(not e.exact for e in right),
            hints=tuple(self._hints),
            skipped=skipped,
        )
        self._results.append(result)
        self._entries = {}
        last = self.index == len(self._questions) - 1
        self.state = GameState.FINISHED if last else GameState.CLOSED
        return result
