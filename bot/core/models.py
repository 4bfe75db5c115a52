"""Domain models: facts written by people, the questions generated from them, and banks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FactKind(StrEnum):
    """What a fact's answer is."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    DATE = "date"
    NUMBER = "number"
    QUOTE = "quote"
    EVENT = "event"
    CLAIM = "claim"


class QuestionKind(StrEnum):
    """How a question is asked."""

    CHOICE = "choice"
    TRUE_FALSE = "true_false"
    FILL = "fill"
    NUMERIC = "numeric"
    WHO_SAID = "who_said"

    @property
    def has_choices(self) -> bool:
        """Return whether the question is answered by picking an option."""
        return self in (QuestionKind.CHOICE, QuestionKind.TRUE_FALSE, QuestionKind.WHO_SAID)


TRUE = "True"
FALSE = "False"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a facts or bank file."""

    file: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {self.field}: {prefix}{self.message}"


class BankError(Exception):
    """A facts or bank file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class Fact:
    """One checkable statement of an article, in our own words, traced to a paragraph."""

    id: str
    statement: str
    paragraph: int
    kind: FactKind
    topic: str
    question: str
    answer: str
    explanation: str
    aliases: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    quote: str | None = None
    reviewed: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class FactSet:
    """The facts of one article, as read from `questions/<bank>/facts.yaml`."""

    bank: str
    title: str
    source: str
    facts: tuple[Fact, ...]
    topics: dict[str, str] = field(default_factory=dict)
    paragraphs: int | None = None
    path: str = ""

    def fact(self, fact_id: str) -> Fact | None:
        """Return the fact with this id, if any."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        return None


@dataclass(frozen=True, slots=True)
class Question:
    """One generated question; correctness is decided by the server from `answer` only."""

    id: str
    kind: QuestionKind
    prompt: str
    answer: str
    explanation: str
    fact_id: str
    paragraph: int
    topic: str
    fact_kind: FactKind
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    rivals: tuple[str, ...] = ()
    line: int = 0

    @property
    def correct_index(self) -> int | None:
        """Return the position of the right option, or None for free-text questions."""
        return self.choices.index(self.answer) if self.answer in self.choices else None


@dataclass(frozen=True, slots=True)
class Bank:
    """A validated set of questions for one article, plus the facts they come from."""

    slug: str
    title: str
    source: str
    questions: tuple[Question, ...]
    topics: dict[str, str] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    path: str = ""
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, if any."""
        return self._by_id.get(question_id)

    def fact(self, fact_id: str) -> Fact | None:
        """Return the fact with this id, if the bank carries its facts."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        return None

    def topic_names(self) -> list[str]:
        """Return the topics that have at least one question, in a stable order."""
        return sorted({q.topic for q in self.questions})

    def by_topic(self, topic: str | None) -> tuple[Question, ...]:
        """Return the questions of a topic (all when topic is None)."""
        if topic is None:
            return self.questions
        return tuple(q for q in self.questions if q.topic == topic)
