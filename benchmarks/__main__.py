"""Run every benchmark and print one table: `python -m benchmarks [bank engine store extract]`."""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path

import psutil

SUITES = {
    "bank": "benchmarks.bench_bank",
    "engine": "benchmarks.bench_engine",
    "store": "benchmarks.bench_store",
    "extract": "benchmarks.extract_quality",
}


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.system()} {platform.machine()} ({cpu}), {psutil.cpu_count()} cores, "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def main(argv: list[str]) -> int:
    """Run the chosen suites (all by default) and print a Markdown table."""
    chosen = argv or list(SUITES)
    rows: list[dict] = []
    for name in chosen:
        if name not in SUITES:
            print(f"unknown suite {name!r}; choose from {', '.join(SUITES)}", file=sys.stderr)
            return 2
        module = importlib.import_module(SUITES[name])
        rows.extend(module.main())
    print(f"Machine: {machine()}\n")
    print("| benchmark | value | baseline (same run) | ratio | target | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['name']} | {_fmt(r['value'])} {r['unit']} | {r['baseline_name']}: "
            f"{_fmt(r['baseline_value'])} | {_fmt(r['ratio'])} | {r['target']} | "
            f"{'yes' if r['ok'] else 'NO'} |"
        )
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
