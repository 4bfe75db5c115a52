"""Quality of `quizbot extract`: recall and precision against hand-written facts.

Run `python -m benchmarks.extract_quality`. The article is QUIZBOT_ARTICLE or the shared seed
article, the reference is questions/baku-belgrade/facts.yaml (override with QUIZBOT_FACTS).
The baseline, measured in the same run, drafts one fact per capitalised name and per number
of the article, which is what a reviewer would get from the simplest possible extractor.
Definitions of recall and precision: see `bot.authoring.compare`.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import print_table, row
from bot.authoring.compare import Quality, compare
from bot.authoring.extract import extract, facts_to_yaml
from bot.authoring.sentences import parse_article
from bot.core.bank import load_facts, load_facts_text
from bot.core.generate import generate
from bot.core.models import Fact, FactKind, FactSet
from bot.core.validate import validate_bank

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path(os.environ.get("QUIZBOT_ARTICLE") or ROOT.parent / "shared/seed/article.txt")
FACTS = Path(os.environ.get("QUIZBOT_FACTS") or ROOT / "questions/baku-belgrade/facts.yaml")
OWN_ARTICLES = sorted((ROOT / "tests/data/articles").glob("*.txt"))
RUNS = 5
TARGET_RECALL = 0.7
TARGET_PRECISION = 0.6
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


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _row(name: str, value: float, unit: str, baseline: float, *, target: str, ok: bool) -> dict:
    ratio = value / baseline if baseline else float("inf")
    return row(name, value, unit, "names-and-numbers baseline", baseline, ratio, target, ok)


def _own_articles_ok() -> tuple[int, int]:
    """Return (facts drafted, validation errors) over the self-written test articles."""
    facts = errors = 0
    for path in OWN_ARTICLES:
        draft = extract(path.read_text(encoding="utf-8"), "own", source=str(path))
        text = facts_to_yaml(draft).replace("reviewed: false", "reviewed: true")
        factset = load_facts_text(text, path.name)
        facts += len(factset.facts)
        errors += len(validate_bank(generate(factset)))
    return facts, errors


def main() -> list[dict]:
    """Measure the extractor on the seed article; rows in the benchmark table format."""
    if not ARTICLE.is_file() or not FACTS.is_file():
        print(f"skipped: need {ARTICLE} and {FACTS}", file=sys.stderr)
        return []
    text = ARTICLE.read_text(encoding="utf-8")
    reference = load_facts(FACTS)
    ours: Quality = compare(extract(text, "draft"), reference)
    base: Quality = compare(naive(text), reference)
    seconds = statistics.median(_timed(lambda: extract(text, "draft")) for _ in range(RUNS))
    base_seconds = statistics.median(_timed(lambda: naive(text)) for _ in range(RUNS))
    facts, errors = _own_articles_ok()
    return [
        _row(f"extract recall ({ours.reference_count} hand-written facts)", ours.recall, "",
             base.recall, target=f">= {TARGET_RECALL}", ok=ours.recall >= TARGET_RECALL),
        _row(f"extract precision ({ours.draft_count} drafted facts)", ours.precision, "",
             base.precision, target=f">= {TARGET_PRECISION}",
             ok=ours.precision >= TARGET_PRECISION),
        _row("extract answer precision (answer or alias agrees)", ours.answer_precision, "",
             base.answer_precision, target="report only", ok=True),
        _row(f"extract time, seed article (p50 of {RUNS})", seconds * 1000, "ms",
             base_seconds * 1000, target="report only", ok=True),
        _row(f"own articles: generator errors over {facts} reviewed drafts", float(errors), "",
             0.0, target="0", ok=errors == 0),
    ]  # fmt: skip


if __name__ == "__main__":
    rows = main()
    raise SystemExit(print_table(rows) if rows else 1)
