"""One player's practice session: questions one at a time, judged, timed and rated for review.

The session is pure state driven by its owner (a slash command, a view, or the terminal). Each
recorded answer carries the FSRS rating the owner passes to `bot.core.review.schedule`.

Input that cannot be judged (an empty or over-long text, an option index or letter that does not
exist, or an option index for a free-text question) is rejected: the outcome says so with
``recorded=False`` and the question stays open. A second answer to the same question is not
recorded either: the first one stands.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.core.matching import MAX_GUESS_CHARS, Match, normalise
from bot.core.models import Question
from bot.core.review import Rating, rating_for
from bot.core.selection import match_typed, options_for, read_option

__all__ = [
    "Clock",
    "CurrentQuestion",
    "PracticeError",
    "PracticeOutcome",
    "PracticeSession",
    "PracticeSummary",
    "TopicScore",
    "options",
]

Clock = Callable[[], float]


class PracticeError(Exception):
    """The session was driven out of order (answering after the end)."""


#: The options of a question answered by picking one (empty for free text).
options = options_for


@dataclass(frozen=True, slots=True)
class CurrentQuestion:
    """The open question and where it stands in the session."""

    question: Question
    index: int
    total: int

    @property
    def options(self) -> tuple[str, ...]:
        """Return the options to show (empty for a free-text question)."""
        return options(self.question)

    @property
    def number(self) -> int:
        """Return the 1-based position, for display."""
        return self.index + 1


@dataclass(frozen=True, slots=True)
class PracticeOutcome:
    """The verdict on one answer; `recorded` is False when nothing changed."""

    correct: bool
    match: Match
    expected: str
    explanation: str
    paragraph: int
    rating: Rating | None
    elapsed: float
    question: Question
    recorded: bool = True
    choice_index: int | None = None


@dataclass(frozen=True, slots=True)
class TopicScore:
    """Right answers out of answered questions in one topic."""

    topic: str
    correct: int
    answered: int


@dataclass(frozen=True, slots=True)
class PracticeSummary:
    """How the session went, overall and per topic (topics in the order first met)."""

    correct: int
    answered: int
    total: int
    skipped: int
    topics: tuple[TopicScore, ...] = field(default=())

    @property
    def share_correct(self) -> float:
        """Return the share of answered questions that were right."""
        return self.correct / self.answered if self.answered else 0.0


class PracticeSession:
    """A personal run through a list of questions with a per-question clock."""

    def __init__(
        self,
        questions: Sequence[Question],
        clock: Clock = time.monotonic,
        seconds_per_question: float = 30,
    ) -> None:
        if seconds_per_question <= 0:
            raise ValueError(f"seconds per question must be positive, got {seconds_per_question}")
        self.questions: tuple[Question, ...] = tuple(questions)
        self.seconds = float(seconds_per_question)
        self._clock = clock
        self._index = 0
        self._opened_at = clock()
        self._outcomes: list[PracticeOutcome | None] = [None] * len(self.questions)

    # -- reading the state --------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """Tell whether every question has been moved past."""
        return self._index >= len(self.questions)

    @property
    def current(self) -> CurrentQuestion | None:
        """Return the open question, or None once the session is over."""
        if self.finished:
            return None
        return CurrentQuestion(self.questions[self._index], self._index, len(self.questions))

    @property
    def answered(self) -> bool:
        """Tell whether the open question already has a recorded answer."""
        return not self.finished and self._outcomes[self._index] is not None

    @property
    def outcomes(self) -> tuple[PracticeOutcome, ...]:
        """Return the recorded outcomes so far, in question order."""
        return tuple(o for o in self._outcomes if o is not None)

    def elapsed(self) -> float:
        """Return the seconds since the open question was shown."""
        return max(self._clock() - self._opened_at, 0.0)

    # -- driving it ---------------------------------------------------------------------------

    def answer(self, choice_index: int | None = None, text: str | None = None) -> PracticeOutcome:
        """Judge an answer to the open question: an option index, or typed text.

        With neither, the player passes: the question is recorded as missed.
        """
        if self.finished:
            raise PracticeError("the session is over")
        q = self.questions[self._index]
        earlier = self._outcomes[self._index]
        if earlier is not None:
            # A second click or message changes nothing; the first answer stands.
            return replace(earlier, recorded=False)
        elapsed = self.elapsed()
        if choice_index is None and text is None:
            return self._record(q, Match(False, "skipped", q.answer), elapsed, None)
        if choice_index is not None:
            return self._choose(q, choice_index, elapsed)
        assert text is not None
        if len(text) > MAX_GUESS_CHARS:
            return self._reject(q, "too_long", elapsed)
        if not normalise(text):
            return self._reject(q, "empty", elapsed)
        index = read_option(text, options(q))
        if index is not None:
            return self._choose(q, index, elapsed)
        return self._record(q, match_typed(text, q), elapsed, None)

    def skip(self) -> PracticeOutcome:
        """Give up on the open question (recorded as missed)."""
        return self.answer()

    def next(self) -> CurrentQuestion | None:
        """Move to the next question (an unanswered one counts as skipped) and start its clock."""
        if self.finished:
            return None
        if self._outcomes[self._index] is None:
            self.skip()
        self._index += 1
        self._opened_at = self._clock()
        return self.current

    def summary(self) -> PracticeSummary:
        """Return the score so far, overall and per topic."""
        topics: dict[str, list[int]] = {}
        correct = answered = skipped = 0
        for outcome in self.outcomes:
            row = topics.setdefault(outcome.question.topic, [0, 0])
            row[1] += 1
            answered += 1
            if outcome.correct:
                row[0] += 1
                correct += 1
            if outcome.match.how == "skipped":
                skipped += 1
        return PracticeSummary(
            correct=correct,
            answered=answered,
            total=len(self.questions),
            skipped=skipped,
            topics=tuple(TopicScore(t, c, n) for t, (c, n) in topics.items()),
        )

    # -- internals ----------------------------------------------------------------------------

    def _record(
        self, q: Question, m: Match, elapsed: float, choice_index: int | None
    ) -> PracticeOutcome:
        """Store the verdict on the open question and return it."""
        outcome = PracticeOutcome(
            correct=m.accepted,
            match=m,
            expected=q.answer,
            explanation=q.explanation,
            paragraph=q.paragraph,
            rating=rating_for(m.accepted, m.how, elapsed, self.seconds),
            elapsed=elapsed,
            question=q,
            recorded=True,
            choice_index=choice_index,
        )
        self._outcomes[self._index] = outcome
        return outcome

    def _choose(self, q: Question, index: int, elapsed: float) -> PracticeOutcome:
        """Judge an option pick; an index the question does not offer is rejected."""
        opts = options(q)
        if isinstance(index, bool) or not 0 <= index < len(opts):
            return self._reject(q, "invalid", elapsed)
        right = opts[index] == q.answer
        return self._record(
            q, Match(right, "exact" if right else "rejected", q.answer), elapsed, index
        )

    def _reject(self, q: Question, how: str, elapsed: float) -> PracticeOutcome:
        """Return an outcome for input that cannot be judged; nothing is stored."""
        # The verdict fields stay empty so a rejected input never reveals the answer.
        return PracticeOutcome(
            correct=False,
            match=Match(False, how, ""),
            expected="",
            explanation="",
            paragraph=0,
            rating=None,
            elapsed=elapsed,
            question=q,
            recorded=False,
        )
