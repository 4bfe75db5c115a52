"""Bank load + validate time, beside a bare `yaml.safe_load` of the same files (same run)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from bot.core.bank import load_banks

QUESTIONS_DIR = Path(__file__).resolve().parents[1] / "questions"
RUNS = 15
TARGET_S = 0.3


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _bare_load() -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(QUESTIONS_DIR.glob("*/*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def main() -> list[dict]:
    """Measure loading every shipped bank with full validation."""
    load_banks(QUESTIONS_DIR)  # warm imports and caches outside the timing
    full = statistics.median(_timed(lambda: load_banks(QUESTIONS_DIR)) for _ in range(RUNS))
    bare = statistics.median(_timed(_bare_load) for _ in range(RUNS))
    questions = sum(len(b.questions) for b in load_banks(QUESTIONS_DIR).values())
    return [
        {
            "name": f"bank load + validate ({questions} questions, p50 of {RUNS})",
            "value": full,
            "unit": "s",
            "baseline_name": "bare yaml safe_load of the same files",
            "baseline_value": bare,
            "ratio": full / bare if bare else float("inf"),
            "target": f"<= {TARGET_S} s",
            "ok": full <= TARGET_S,
        }
    ]


if __name__ == "__main__":
    for row in main():
        print(row)
