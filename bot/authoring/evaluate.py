"""Evaluate `quizbot extract` on an article with hand-written facts: every figure in one place.

For each article: recall, precision and kind accuracy of the draft against the hand-written
facts (`bot.authoring.compare`), the share of the questions generated from the draft that pass
the project's loader and validator unchanged (`bot.authoring.review`), and the share that also
pass the teacher-grade checks of `bot.authoring.checks` (class-matched options, natural false
statements, no longest-answer cue).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.authoring.candidates import find_candidates
from bot.authoring.checks import Finding, audit
from bot.authoring.compare import Quality, compare
from bot.authoring.extract import context_of, extract
from bot.authoring.review import Review, review
from bot.authoring.sentences import parse_article
from bot.core.bank import load_facts
from bot.core.generate import generate
from bot.core.models import FactSet


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every figure of one article."""

    name: str
    quality: Quality
    review: Review
    findings: tuple[Finding, ...]  # teacher-grade checks the generated questions fail
    region: str | None
    domain: str | None

    @property
    def teacher_passed(self) -> int:
        """Return how many generated questions pass the validator and the teacher checks."""
        failed = {q for q, _ in self.review.failed} | {f.question_id for f in self.findings}
        failed |= set(self.review.warned)
        return self.review.questions - len(failed)


def evaluate_text(name: str, text: str, reference: FactSet) -> Evaluation:
    """Draft facts from an article's text and measure them against hand-written facts."""
    draft = extract(text, name)
    article = parse_article(text)
    ctx = context_of(article, find_candidates(article))
    bank = generate(draft, include_unreviewed=True)
    return Evaluation(
        name=name,
        quality=compare(draft, reference),
        review=review(draft),
        findings=tuple(audit(bank, ctx)),
        region=ctx.region,
        domain=ctx.domain,
    )


def evaluate(article: Path, facts: Path, name: str = "") -> Evaluation:
    """Evaluate the extractor on an article file against its hand-written facts file."""
    text = article.read_text(encoding="utf-8")
    return evaluate_text(name or article.parent.name, text, load_facts(facts))


@dataclass(frozen=True, slots=True)
class Totals:
    """Figures summed over several articles (each a share of the pooled counts)."""

    recall: float
    precision: float
    kind_accuracy: float
    validator_share: float
    teacher_share: float
    questions: int


def totals(evaluations: list[Evaluation]) -> Totals:
    """Pool the counts of several evaluations into overall shares."""
    ref = sum(e.quality.reference_count for e in evaluations)
    found = sum(e.quality.reference_count - len(e.quality.missed) for e in evaluations)
    drafted = sum(e.quality.draft_count for e in evaluations)
    real = sum(e.quality.draft_count - len(e.quality.unsupported) for e in evaluations)
    checked = sum(e.quality.kind_checked for e in evaluations)
    right = sum(e.quality.kind_checked - len(e.quality.wrong_kinds) for e in evaluations)
    questions = sum(e.review.questions for e in evaluations)
    passed = sum(e.review.passed for e in evaluations)
    teacher = sum(e.teacher_passed for e in evaluations)

    def share(a: int, b: int) -> float:
        return a / b if b else 0.0

    return Totals(
        recall=share(found, ref),
        precision=share(real, drafted),
        kind_accuracy=share(right, checked),
        validator_share=share(passed, questions),
        teacher_share=share(teacher, questions),
        questions=questions,
    )
