"""Quality of `quizbot extract` on articles of several fields and regions, and on the seed article.

Run `python -m benchmarks extract` (or `python -m benchmarks.extract_quality`). Every article of
tests/data/evaluation/<name>/ (article.txt beside the hand-written facts.yaml) is drafted and
measured: recall, precision and kind accuracy against the hand-written facts; the share of the
questions generated from the draft that pass the project's loader and validator unchanged; and
the share that also pass the teacher-grade checks (class-matched options, natural false
statements, no longest-answer cue). Definitions: `bot.authoring.compare`, `bot.authoring.review`
and `bot.authoring.checks`.

Baselines measured in the same run: for recall and precision, one drafted fact per capitalised
name or number (the simplest extractor); for the question shares, the hand-written facts of the
same articles put through the same generator, validator and checks (the ceiling).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from benchmarks.table import print_table, row
from bot.authoring.candidates import find_candidates
from bot.authoring.checks import audit
from bot.authoring.compare import compare
from bot.authoring.evaluate import Evaluation, evaluate, totals
from bot.authoring.extract import context_of
from bot.authoring.review import review
from bot.authoring.sentences import parse_article
from bot.core.bank import load_facts
from bot.core.generate import generate
from bot.core.models import Fact, FactKind, FactSet

ROOT = Path(__file__).resolve().parents[1]
EVALUATION = ROOT / "tests/data/evaluation"
SEED = Path(os.environ.get("QUIZBOT_ARTICLE") or ROOT.parent / "shared/seed/article.txt")
SEED_FACTS = Path(os.environ.get("QUIZBOT_FACTS") or ROOT / "questions/baku-belgrade/facts.yaml")
TARGETS = {"recall": 0.75, "precision": 0.8, "kind": 0.9, "validator": 0.7}
# The seed article's figures before this evaluation set existed; they must not drop. The seed's
# hand-written facts have since been rewritten (59 → 64, several now paraphrased claims), so
# recall is held to the number of hand-written answers the draft finds, not to a share.
SEED_BEFORE = {"found": 44, "precision": (59, 72)}
_NAIVE = re.compile(r"\d[\d,.]*(?:-fold|%)?|[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*")


def naive(text: str) -> FactSet:
    """Draft one fact per capitalised name or number of each paragraph (the baseline)."""
    facts: list[Fact] = []
    seen: set[str] = set()
    for p, para in enumerate(parse_article(text).paragraphs, start=1):
        for m in _NAIVE.finditer(para):
            answer = m.group().rstrip(".,")
            if answer and answer not in seen:
                seen.add(answer)
                facts.append(Fact(f"n{len(facts)}", para, p, FactKind.CLAIM, "g", "?", answer, ""))
    return FactSet("naive", "naive", "naive", tuple(facts))


def articles() -> list[tuple[Path, Path]]:
    """Return (article, hand-written facts) for every article of the evaluation set."""
    return [
        (d / "article.txt", d / "facts.yaml")
        for d in sorted(EVALUATION.iterdir())
        if (d / "article.txt").is_file() and (d / "facts.yaml").is_file()
    ]


def _hand_shares(article: Path, facts: Path) -> tuple[int, int, int]:
    """Return (questions, passing the validator, passing it and the checks) for hand facts."""
    reference = load_facts(facts)
    parsed = parse_article(article.read_text(encoding="utf-8"))
    ctx = context_of(parsed, find_candidates(parsed))
    verdict = review(reference)
    bank = generate(reference, include_unreviewed=True)
    failed = {q for q, _ in verdict.failed} | {f.question_id for f in audit(bank, ctx)}
    failed |= set(verdict.warned)
    return verdict.questions, verdict.passed, verdict.questions - len(failed)


def _line(e: Evaluation) -> str:
    q, r = e.quality, e.review
    return (
        f"| {e.name} | {e.domain or '?'}, {e.region or '?'} "
        f"| **{q.recall:.2f}** ({q.reference_count - len(q.missed)}/{q.reference_count}) "
        f"| **{q.precision:.2f}** ({q.draft_count - len(q.unsupported)}/{q.draft_count}) "
        f"| **{q.kind_accuracy:.2f}** ({q.kind_checked - len(q.wrong_kinds)}/{q.kind_checked}) "
        f"| **{r.share:.2f}** ({r.passed}/{r.questions}) "
        f"| {e.teacher_passed / r.questions if r.questions else 0:.2f} "
        f"({e.teacher_passed}/{r.questions}) |"
    )


def print_articles(evaluations: list[Evaluation]) -> None:
    """Print the figures of each article as a Markdown table (the README's table)."""
    print(
        "| article | field, region | recall | precision | kind accuracy | pass the validator "
        "unchanged | no teacher-grade warning either |"
    )
    print("|---|---|---|---|---|---|---|")
    for e in evaluations:
        print(_line(e))
    t = totals([e for e in evaluations if e.name != "seed"])
    print(
        f"| **all six** | | **{t.recall:.2f}** | **{t.precision:.2f}** | "
        f"**{t.kind_accuracy:.2f}** | **{t.validator_share:.2f}** | {t.teacher_share:.2f} |"
    )
    print()


def main() -> list[dict]:
    """Measure the extractor on the evaluation set and the seed article; rows for the table."""
    pairs = articles()
    if not pairs:
        print(f"skipped: no articles with facts under {EVALUATION}", file=sys.stderr)
        return []
    evaluations = [evaluate(a, f) for a, f in pairs]
    t = totals(evaluations)
    base = [compare(naive(a.read_text(encoding="utf-8")), load_facts(f)) for a, f in pairs]
    base_recall = sum(b.reference_count - len(b.missed) for b in base) / sum(
        b.reference_count for b in base
    )
    base_precision = sum(b.draft_count - len(b.unsupported) for b in base) / sum(
        b.draft_count for b in base
    )
    hand = [_hand_shares(a, f) for a, f in pairs]
    hand_questions = sum(h[0] for h in hand)
    hand_validator = sum(h[1] for h in hand) / hand_questions
    hand_teacher = sum(h[2] for h in hand) / hand_questions
    seed = evaluate(SEED, SEED_FACTS, "seed") if SEED.is_file() and SEED_FACTS.is_file() else None
    print_articles([*evaluations, *([seed] if seed else [])])
    n = len(evaluations)
    rows = [
        row(f"extract recall, {n} articles", t.recall, "", "names-and-numbers baseline",
            base_recall, t.recall / base_recall, f">= {TARGETS['recall']}",
            t.recall >= TARGETS["recall"]),
        row(f"extract precision, {n} articles", t.precision, "", "names-and-numbers baseline",
            base_precision, t.precision / base_precision, f">= {TARGETS['precision']}",
            t.precision >= TARGETS["precision"]),
        row(f"extract kind accuracy, {n} articles", t.kind_accuracy, "",
            "every answer a key phrase", 0.0, float("inf"), f">= {TARGETS['kind']}",
            t.kind_accuracy >= TARGETS["kind"]),
        row(f"drafted questions passing the validator unchanged ({t.questions})",
            t.validator_share, "", "hand-written facts, same pipeline", hand_validator,
            t.validator_share / hand_validator, f">= {TARGETS['validator']}",
            t.validator_share >= TARGETS["validator"]),
        row("drafted questions passing the teacher-grade checks too", t.teacher_share, "",
            "hand-written facts, same checks", hand_teacher, t.teacher_share / hand_teacher,
            "report only", True),
    ]  # fmt: skip
    if seed is not None:
        q = seed.quality
        seed_base = compare(naive(SEED.read_text(encoding="utf-8")), load_facts(SEED_FACTS))
        found, (pn, pd) = SEED_BEFORE["found"], SEED_BEFORE["precision"]
        hits = q.reference_count - len(q.missed)
        base_hits = seed_base.reference_count - len(seed_base.missed)
        rows += [
            row(f"extract: hand-written seed facts found (of {q.reference_count})", hits, "",
                "names-and-numbers baseline", base_hits, hits / base_hits if base_hits else 0,
                f">= {found} (before)", hits >= found),
            row("extract precision, seed article", q.precision, "",
                "names-and-numbers baseline", seed_base.precision,
                q.precision / seed_base.precision, f">= {pn}/{pd} (before)",
                q.precision >= pn / pd),
        ]  # fmt: skip
    return rows


if __name__ == "__main__":
    rows = main()
    raise SystemExit(print_table(rows) if rows else 1)
