"""A personal practice session driven with a fake clock."""

from __future__ import annotations

import pytest

from bot.core.models import FALSE, TRUE, FactKind, Question, QuestionKind
from bot.core.practice import PracticeError, PracticeSession, TopicScore, options
from bot.core.review import Rating


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


CHOICE = Question(
    id="visit-date-choice",
    kind=QuestionKind.CHOICE,
    prompt="On what date did the visit start?",
    answer="February 15",
    explanation="Statehood Day falls on February 15.",
    fact_id="visit-date",
    paragraph=1,
    topic="diplomacy",
    fact_kind=FactKind.DATE,
    choices=("March 15", "February 15", "April 25", "January 15"),
    aliases=("15 February",),
)
TRUE_FALSE = Question(
    id="capital-tf",
    kind=QuestionKind.TRUE_FALSE,
    prompt="True or false: the guest was welcomed in Belgrade.",
    answer=TRUE,
    explanation="The visit took place in the Serbian capital.",
    fact_id="capital",
    paragraph=1,
    topic="diplomacy",
    fact_kind=FactKind.PLACE,
)
FILL_PERSON = Question(
    id="analyst-fill",
    kind=QuestionKind.FILL,
    prompt="Which Serbian analyst spoke to Caliber.Az?",
    answer="Stevan Gajić",
    explanation="He is a research fellow at the Institute of European Studies.",
    fact_id="analyst",
    paragraph=14,
    topic="interview",
    fact_kind=FactKind.PERSON,
    rivals=("Boris Tadić", "Aleksandar Vučić"),
)
NUMERIC = Question(
    id="services-numeric",
    kind=QuestionKind.NUMERIC,
    prompt="By how many times did services trade grow since 2012?",
    answer="16-fold",
    explanation="Services trade grew sixteen-fold.",
    fact_id="services",
    paragraph=6,
    topic="economy",
    fact_kind=FactKind.NUMBER,
    aliases=("16 times",),
)


def session(*questions: Question, seconds: float = 30) -> tuple[PracticeSession, FakeClock]:
    """Return a session over the questions (all four by default) and its clock."""
    clock = FakeClock()
    qs = questions or (CHOICE, TRUE_FALSE, FILL_PERSON, NUMERIC)
    return PracticeSession(qs, clock, seconds_per_question=seconds), clock


def test_walk_through_a_session() -> None:
    s, clock = session()
    current = s.current
    assert current is not None
    assert (current.question, current.index, current.total, current.number) == (CHOICE, 0, 4, 1)
    assert current.options == CHOICE.choices

    clock.advance(4)
    first = s.answer(choice_index=1)
    assert first.correct and first.recorded
    assert first.rating is Rating.Easy
    assert first.elapsed == 4
    assert (first.expected, first.paragraph) == ("February 15", 1)
    assert first.explanation == CHOICE.explanation

    second = s.next()
    assert second is not None and second.question is TRUE_FALSE
    assert second.options == (TRUE, FALSE)
    clock.advance(25)  # slow
    tf = s.answer(choice_index=1)
    assert not tf.correct and tf.rating is Rating.Again and tf.expected == TRUE

    s.next()
    clock.advance(12)
    person = s.answer(text="gajic")
    assert person.correct and person.match.how == "surname" and person.rating is Rating.Good
    assert person.expected == "Stevan Gajić"

    s.next()
    clock.advance(2)
    number = s.answer(text="sixteen")
    assert number.correct and number.match.how == "number"
    assert number.rating is Rating.Good  # fast, but not the exact form

    assert s.next() is None
    assert s.finished and s.current is None
    summary = s.summary()
    assert (summary.correct, summary.answered, summary.total, summary.skipped) == (3, 4, 4, 0)
    assert summary.share_correct == 0.75
    assert summary.topics == (
        TopicScore("diplomacy", 1, 2),
        TopicScore("interview", 1, 1),
        TopicScore("economy", 1, 1),
    )
    assert [o.rating for o in s.outcomes] == [Rating.Easy, Rating.Again, Rating.Good, Rating.Good]
    with pytest.raises(PracticeError):
        s.answer(choice_index=0)


def test_each_question_has_its_own_clock() -> None:
    s, clock = session(CHOICE, NUMERIC)
    clock.advance(100)  # time spent before the first question was read still counts for it
    assert s.answer(choice_index=1).rating is Rating.Hard
    clock.advance(50)  # reading the explanation does not count against the next question
    s.next()
    clock.advance(3)
    outcome = s.answer(text="16-fold")
    assert outcome.elapsed == 3 and outcome.rating is Rating.Easy


@pytest.mark.parametrize(
    ("question", "text", "correct"),
    [
        (CHOICE, "February 15", True),
        (CHOICE, "15 february", True),  # an alias of the right option
        (CHOICE, "b", True),  # option letter
        (CHOICE, "B)", True),
        (CHOICE, "2", False),  # options are dates: "2" is not read as a position
        (CHOICE, "March 15", False),
        (CHOICE, "d", False),
        (TRUE_FALSE, "true", True),
        (TRUE_FALSE, "T", True),
        (TRUE_FALSE, "yes", True),
        (TRUE_FALSE, "False", False),
        (TRUE_FALSE, "no", False),
        (TRUE_FALSE, "1", True),  # position 1 of (True, False)
        (FILL_PERSON, "Stevan Gajic", True),
        (FILL_PERSON, "Vucic", False),
        (FILL_PERSON, "Boris Tadic", False),
        (NUMERIC, "16", True),
        (NUMERIC, "15", False),
        (NUMERIC, "16 times", True),
    ],
)
def test_typed_answers(question: Question, text: str, correct: bool) -> None:
    s, _ = session(question)
    outcome = s.answer(text=text)
    assert outcome.recorded
    assert outcome.correct is correct
    assert (outcome.rating is Rating.Again) is not correct


def test_position_is_read_when_options_have_no_digits() -> None:
    who = Question(
        id="who",
        kind=QuestionKind.WHO_SAID,
        prompt="Who said it?",
        answer="Ilham Aliyev",
        explanation="",
        fact_id="quote",
        paragraph=10,
        topic="diplomacy",
        fact_kind=FactKind.QUOTE,
        choices=("Aleksandar Vučić", "Ilham Aliyev", "Stevan Gajić"),
    )
    s, _ = session(who)
    outcome = s.answer(text="2")
    assert outcome.correct and outcome.choice_index == 1


def test_a_who_said_answer_is_judged_as_in_a_game() -> None:
    who = Question(
        id="who",
        kind=QuestionKind.WHO_SAID,
        prompt="Who said it?",
        answer="JD Vance",
        explanation="",
        fact_id="quote",
        paragraph=10,
        topic="diplomacy",
        fact_kind=FactKind.QUOTE,
        choices=("Aleksandar Vučić", "JD Vance", "Stevan Gajić", "Boris Tadić"),
    )
    s, _ = session(who)
    outcome = s.answer(text="Vance")  # a surname names the person, as it does in a game
    assert outcome.correct and outcome.match.how == "surname"


def test_a_digit_int_cannot_read_is_judged_not_crashed_on() -> None:
    s, _ = session(TRUE_FALSE)  # options without digits, so positions are read
    outcome = s.answer(text="\u1369")  # Ethiopic digit one
    assert outcome.recorded and not outcome.correct


def test_a_huge_text_is_rejected_cleanly_and_the_question_stays_open() -> None:
    for question in (CHOICE, TRUE_FALSE, FILL_PERSON, NUMERIC):
        s, _ = session(question)
        outcome = s.answer(text="x" * 2000)
        assert not outcome.recorded and not outcome.correct
        assert outcome.match.how == "too_long"
        assert outcome.rating is None
        assert outcome.expected == ""  # a rejected input never reveals the answer
        assert not s.answered and s.outcomes == ()
        assert s.answer(text=question.answer).correct


@pytest.mark.parametrize(
    ("question", "choice_index", "text", "how"),
    [
        (FILL_PERSON, None, "   ", "empty"),
        (FILL_PERSON, None, "?!", "empty"),
        (CHOICE, 4, None, "invalid"),
        (CHOICE, -1, None, "invalid"),
        (FILL_PERSON, 0, None, "invalid"),  # an option index for a free-text question
        (TRUE_FALSE, 2, None, "invalid"),
        (CHOICE, None, "z", "invalid"),  # a letter past the options names no option
    ],
)
def test_unusable_input_changes_nothing(
    question: Question, choice_index: int | None, text: str | None, how: str
) -> None:
    s, _ = session(question)
    outcome = s.answer(choice_index=choice_index, text=text)
    assert not outcome.recorded and outcome.match.how == how and outcome.rating is None
    assert s.summary().answered == 0


def test_a_second_answer_does_not_change_the_first() -> None:
    s, clock = session(CHOICE)
    first = s.answer(choice_index=0)
    clock.advance(1)
    again = s.answer(choice_index=1)
    assert not again.recorded
    assert (again.correct, again.rating, again.choice_index) == (False, Rating.Again, 0)
    assert s.outcomes == (first,)


def test_skipping_counts_as_a_miss() -> None:
    s, _ = session(CHOICE, NUMERIC, FILL_PERSON)
    skipped = s.skip()
    assert skipped.recorded and not skipped.correct and skipped.rating is Rating.Again
    assert skipped.expected == "February 15"
    s.next()
    s.next()  # moving on without answering skips too
    assert s.current is not None and s.current.question is FILL_PERSON
    summary = s.summary()
    assert (summary.answered, summary.skipped, summary.correct, summary.total) == (2, 2, 0, 3)


def test_empty_session_and_bad_settings() -> None:
    s = PracticeSession([], FakeClock())
    assert s.finished and s.current is None and s.next() is None
    assert s.summary().total == 0 and s.summary().share_correct == 0.0
    with pytest.raises(ValueError, match="positive"):
        PracticeSession([CHOICE], FakeClock(), seconds_per_question=0)


def test_options_helper() -> None:
    assert options(TRUE_FALSE) == (TRUE, FALSE)
    assert options(CHOICE) == CHOICE.choices
    assert options(FILL_PERSON) == ()
