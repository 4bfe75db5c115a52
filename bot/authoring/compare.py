"""Measure a drafted facts file against a hand-written one: recall and precision of answers.

Definitions (the same in the CLI, the benchmark and the tests):

- Two answers *agree* when `bot.core.matching.match` accepts one as a guess for the other, in
  either direction, with the other side's aliases and kind (so "Gajić" agrees with "Stevan Gajić",
  "the Balkans" with "Balkans", "16 times" with "16-fold"). Paragraphs need not agree.
- **Recall** = the share of hand-written facts whose answer (or an alias) agrees with the answer
  (or an alias) of at least one drafted fact.
- **Precision** = the share of drafted facts judged real facts of the article: the drafted answer
  agrees with a hand-written answer or alias, or it appears, as whole words after normalising
  (case, accents, punctuation, leading articles), in the statement of a hand-written fact.
- **Answer precision** is the stricter share that agrees with a hand-written answer or alias.
- **Kind accuracy** = among drafted facts whose answer agrees with a hand-written answer, the
  share whose kind is the kind of such a hand-written fact. A quote's answer is the person who
  said it, so `quote` and `person` count as one kind here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.matching import match
from bot.core.models import Fact, FactKind, FactSet
from bot.core.validate import contains_answer


@dataclass(frozen=True, slots=True)
class Quality:
    """How a draft compares with the hand-written facts of the same article."""

    recall: float
    precision: float
    answer_precision: float
    matched: tuple[tuple[str, str], ...]  # (hand-written fact id, drafted fact id)
    missed: tuple[str, ...]  # hand-written fact ids no drafted answer agrees with
    unsupported: tuple[str, ...]  # drafted fact ids judged not to be facts of the article
    reference_count: int
    draft_count: int
    kind_accuracy: float = 0.0
    kind_checked: int = 0  # drafted facts whose answer agrees with a hand-written one
    wrong_kinds: tuple[str, ...] = ()  # drafted fact ids whose kind no agreeing fact has

    def summary(self) -> str:
        """Return a one-line report of the figures."""
        return (
            f"recall {self.recall:.2f} ({self.reference_count - len(self.missed)}"
            f"/{self.reference_count}), precision {self.precision:.2f} "
            f"({self.draft_count - len(self.unsupported)}/{self.draft_count}), "
            f"answer precision {self.answer_precision:.2f}, kind accuracy "
            f"{self.kind_accuracy:.2f} ({self.kind_checked - len(self.wrong_kinds)}"
            f"/{self.kind_checked})"
        )


def _accepts(guess: str, target: Fact) -> bool:
    return match(guess, target.answer, target.aliases, kind=target.kind.value).accepted


def agree(a: Fact, b: Fact) -> bool:
    """Return whether two facts have the same answer (either may be the other's alias)."""
    return any(_accepts(x, b) for x in (a.answer, *a.aliases)) or any(
        _accepts(y, a) for y in (b.answer, *b.aliases)
    )


_PERSONS = frozenset({FactKind.PERSON, FactKind.QUOTE})


def same_kind(a: FactKind, b: FactKind) -> bool:
    """Return whether two kinds name the same sort of answer (a quote's answer is a person)."""
    return a is b or (a in _PERSONS and b in _PERSONS)


def compare(draft: FactSet, reference: FactSet) -> Quality:
    """Return recall and precision of a draft measured against hand-written facts."""
    matched: list[tuple[str, str]] = []
    missed: list[str] = []
    for ref in reference.facts:
        hit = next((d for d in draft.facts if agree(ref, d)), None)
        if hit is None:
            missed.append(ref.id)
        else:
            matched.append((ref.id, hit.id))
    unsupported: list[str] = []
    wrong_kinds: list[str] = []
    strict = 0
    for d in draft.facts:
        kinds = [ref.kind for ref in reference.facts if agree(d, ref)]
        if kinds:
            strict += 1
            if not any(same_kind(d.kind, k) for k in kinds):
                wrong_kinds.append(d.id)
            continue
        if not any(contains_answer(ref.statement, (d.answer,)) for ref in reference.facts):
            unsupported.append(d.id)
    n_ref, n_draft = len(reference.facts), len(draft.facts)
    return Quality(
        recall=(n_ref - len(missed)) / n_ref if n_ref else 0.0,
        precision=(n_draft - len(unsupported)) / n_draft if n_draft else 0.0,
        answer_precision=strict / n_draft if n_draft else 0.0,
        matched=tuple(matched),
        missed=tuple(missed),
        unsupported=tuple(unsupported),
        reference_count=n_ref,
        draft_count=n_draft,
        kind_accuracy=(strict - len(wrong_kinds)) / strict if strict else 0.0,
        kind_checked=strict,
        wrong_kinds=tuple(wrong_kinds),
    )
