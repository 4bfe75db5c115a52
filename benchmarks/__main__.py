"""Run every benchmark and print one table: `python -m benchmarks [bank engine store …]`."""

from __future__ import annotations

import importlib
import sys

from benchmarks.table import print_table

SUITES = {
    "bank": "benchmarks.bench_bank",
    "engine": "benchmarks.bench_engine",
    "store": "benchmarks.bench_store",
    "extract": "benchmarks.extract_quality",
    "pictures": "benchmarks.bench_pictures",
    "imports": "benchmarks.bench_imports",
    "round": "benchmarks.bench_round",
    "startup": "benchmarks.bench_startup",
    "facts": "benchmarks.bench_facts",
    "postgres": "benchmarks.bench_postgres",
    "mixed": "benchmarks.bench_mixed",
    "hour": "benchmarks.bench_hour",
}


def main(argv: list[str]) -> int:
    """Run the chosen suites (all by default) and print a Markdown table.

    Flags (`--quick`: leave out the largest database sizes) are read by the suites.
    """
    if {"-h", "--help"} & set(argv):
        print(f"usage: python -m benchmarks [--quick] [{' | '.join(SUITES)} …]")
        print("Runs the chosen suites (every one by default) and prints one table.")
        return 0
    chosen = [a for a in argv if not a.startswith("-")] or list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:  # before any suite runs: the store suite alone takes minutes
        print(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}", file=sys.stderr)
        return 2
    rows: list[dict] = []
    for name in chosen:
        rows.extend(importlib.import_module(SUITES[name]).main())
    return print_table(rows)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
