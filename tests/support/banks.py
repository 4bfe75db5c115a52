"""Small hand-built banks and a fake clock for the game engine tests."""

from __future__ import annotations

from bot.core.models import FALSE, TRUE, Bank, FactKind, Question, QuestionKind


class FakeClock:
    """A clock that only moves when a test advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


def question(
    qid: str,
    kind: QuestionKind = QuestionKind.CHOICE,
    *,
    fact: str | None = None,
    topic: str = "history",
    answer: str = "Strasbourg",
    choices: tuple[str, ...] | None = None,
    aliases: tuple[str, ...] = (),
    rivals: tuple[str, ...] = (),
    fact_kind: FactKind = FactKind.PLACE,
) -> Question:
    """Build one question; choice kinds get options with the answer second unless given."""
    if choices is None:
        if kind is QuestionKind.TRUE_FALSE:
            choices, answer = (TRUE, FALSE), answer if answer in (TRUE, FALSE) else TRUE
        elif kind.has_choices:
            choices = ("Luxembourg", answer, "Brussels", "Geneva")
        else:
            choices = ()
    return Question(
        id=qid,
        kind=kind,
        prompt=f"Prompt of {qid}?",
        answer=answer,
        explanation=f"Why {answer} answers {qid}.",
        fact_id=fact or f"fact-{qid}",
        paragraph=3,
        topic=topic,
        fact_kind=fact_kind,
        choices=choices,
        aliases=aliases,
        rivals=rivals,
    )


KINDS = (
    QuestionKind.CHOICE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.FILL,
    QuestionKind.NUMERIC,
    QuestionKind.WHO_SAID,
)


def family_bank(facts: int = 12, per_fact: int = 3, topics: tuple[str, ...] = ("a", "b")) -> Bank:
    """Return a bank where each fact has `per_fact` questions of different kinds."""
    questions = []
    for f in range(facts):
        for k in range(per_fact):
            kind = KINDS[(f + k) % len(KINDS)]
            answer = str(1900 + f) if kind is QuestionKind.NUMERIC else f"Answer {f}"
            questions.append(
                question(
                    f"f{f:02d}-q{k}",
                    kind,
                    fact=f"f{f:02d}",
                    topic=topics[f % len(topics)],
                    answer=answer,
                )
            )
    return Bank(slug="test", title="Test bank", source="", questions=tuple(questions))
