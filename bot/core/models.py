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
    #: Put events in order; each option is a whole ordering ("A → B → C").
    ORDER = "order"
    #: Match people or bodies to roles or words; each option is a whole pairing.
    MATCH = "match"
    #: Is a statement a fact the article reports, a forecast, or an opinion?
    FACT_OPINION = "fact_opinion"
    #: The reason the article gives for something.
    WHY = "why"
    #: The main point of the article or of a passage.
    MAIN_IDEA = "main_idea"

    @property
    def has_choices(self) -> bool:
        """Return whether the question is answered by picking an option."""
        return self not in (QuestionKind.FILL, QuestionKind.NUMERIC)

    @property
    def needs_options(self) -> bool:
        """Return whether the question only makes sense with its options in view.

        A name can be typed for "who said it" or a multiple-choice question; an ordering, a
        pairing, a verdict of true or false or a reason cannot be typed and matched fairly.
        """
        return self not in (
            QuestionKind.CHOICE,
            QuestionKind.WHO_SAID,
            QuestionKind.FILL,
            QuestionKind.NUMERIC,
        )


#: Kinds a writer composes as items of a facts file (a fact's own sentence makes the others).
ITEM_KINDS = frozenset(
    {
        QuestionKind.WHO_SAID,
        QuestionKind.ORDER,
        QuestionKind.MATCH,
        QuestionKind.FACT_OPINION,
        QuestionKind.WHY,
        QuestionKind.MAIN_IDEA,
        QuestionKind.CHOICE,
    }
)

TRUE = "True"
FALSE = "False"
#: The heading under which background (knowledge from outside the article) is shown.
BACKGROUND_HEADING = "Background, not from the article"
#: How every true/false prompt opens; the statement follows.
TRUE_FALSE_PREFIX = "True or false? "
#: The options of every fact-or-opinion question, in this order.
FACT_OPINION_CHOICES = ("Fact", "Forecast", "Opinion")
#: The arrow between the events of an ordering, and between a name and its pair in a match.
ORDER_ARROW = " → "


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
    #: The people and bodies the fact is about, spelled as the article spells them.
    about: tuple[str, ...] = ()
    #: Outside knowledge, correct but not from the article; shown apart, as background.
    background: str = ""
    #: What sort of thing the answer is ("president", "service sector"); distractors share it.
    answer_class: str | None = None
    #: Further paragraphs the fact draws on (0 is the title), besides `paragraph`.
    cites: tuple[int, ...] = ()
    #: A false version of the statement, written so that the article rules it out.
    false: str | None = None
    #: The kinds of question generated from the fact (choice and true/false unless it says).
    ask: tuple[QuestionKind, ...] = ()

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """Return every paragraph the fact rests on: its own first, then the ones it cites."""
        return (self.paragraph, *(p for p in self.cites if p != self.paragraph))


@dataclass(frozen=True, slots=True)
class Item:
    """A question written by hand (order, match, who said it, why …) about one or more facts.

    `fact` is the fact whose card an answer counts towards; `facts` are the others it touches,
    so that no game asks it beside a question it would give away.
    """

    id: str
    kind: QuestionKind
    fact: str
    prompt: str
    answer: str
    distractors: tuple[str, ...]
    explanation: str
    facts: tuple[str, ...] = ()
    background: str = ""
    cites: tuple[int, ...] = ()
    aliases: tuple[str, ...] = ()
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
    items: tuple[Item, ...] = ()

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
    #: Outside knowledge, shown apart from the explanation as "Background, not from the article".
    background: str = ""
    #: Further paragraphs the question rests on, besides `paragraph` (0 is the title).
    cites: tuple[int, ...] = ()
    #: Other facts whose answers the question shows: never asked in the same game as it.
    reveals: tuple[str, ...] = ()
    #: What sort of thing the answer is; every option is of the same sort.
    answer_class: str | None = None

    @property
    def facts(self) -> tuple[str, ...]:
        """Return every fact the question asks about or shows: its own first."""
        return (self.fact_id, *(f for f in self.reveals if f != self.fact_id))

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """Return every paragraph the question rests on: its own first, then the ones it cites."""
        return (self.paragraph, *(p for p in self.cites if p != self.paragraph))

    @property
    def source(self) -> str:
        """Return where in the article the answer is: "Paragraph 3", "Paragraphs 13 and 14"."""
        numbers = [str(p) for p in self.paragraphs if p != 0]
        if not numbers:
            return "The title"
        listed = numbers[-1]
        if len(numbers) > 1:
            listed = ", ".join(numbers[:-1]) + f" and {listed}"
        word = "paragraph" if len(numbers) == 1 else "paragraphs"
        if 0 in self.paragraphs:
            return f"The title and {word} {listed}"
        return f"{word.capitalize()} {listed}"

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
