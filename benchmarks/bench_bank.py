"""Bank load + validate time, beside a bare `yaml.safe_load` of the same files (same run)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from benchmarks.table import print_table, row
from bot.core.bank import load_banks

QUESTIONS_DIR = Path(__file__).resolve().parents[1] / "questions"
RUNS = 15
TARGET_S = 0.3


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _bare_load() -> int:
    """Parse the files `load_banks` reads (not the facts beside them); return how many."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    paths = sorted(QUESTIONS_DIR.glob("*/bank.yaml"))
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return len(paths)


def main() -> list[dict]:
    """Measure loading every shipped bank with full validation."""
    # Warm imports and caches outside the timing; the baseline must parse the same files.
    assert _bare_load() == len(load_banks(QUESTIONS_DIR))
    full = statistics.median(_timed(lambda: load_banks(QUESTIONS_DIR)) for _ in range(RUNS))
    bare = statistics.median(_timed(_bare_load) for _ in range(RUNS))
    questions = sum(len(b.questions) for b in load_banks(QUESTIONS_DIR).values())
    return [
        row(f"bank load + validate ({questions} questions, p50 of {RUNS})", full, "s",
            "bare yaml safe_load of the same files", bare, full / bare if bare else float("inf"),
            f"<= {TARGET_S} s", full <= TARGET_S),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
