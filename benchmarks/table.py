"""The benchmark table: every figure beside a baseline measured in the same run."""

from __future__ import annotations

import platform
import statistics
from pathlib import Path

import psutil


def row(  # noqa: PLR0917 - one argument per column of the table
    name: str,
    value: float,
    unit: str,
    baseline_name: str,
    baseline_value: float,
    ratio: float,
    target: str,
    ok: bool,
) -> dict:
    """Return one figure as a row of the table."""
    return {
        "name": name, "value": value, "unit": unit, "baseline_name": baseline_name,
        "baseline_value": baseline_value, "ratio": ratio, "target": target, "ok": bool(ok),
    }  # fmt: skip


def p99(values: list[float]) -> float:
    """Return the 99th percentile of the samples, interpolated between the two that hold it.

    `statistics.quantiles` by default ("exclusive") extrapolates past the largest sample when
    there are fewer than 99: of 12 rounds it reports the slowest plus 0.87 times its lead over
    the next, a time no round took. "inclusive" (numpy's default) stays within the samples.
    """
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[98]


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


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


def print_table(rows: list[dict]) -> int:
    """Print the machine and the rows as a Markdown table; return 0 if every target is met."""
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
