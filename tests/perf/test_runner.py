"""`python -m benchmarks`: asking for help or for a suite that does not exist runs nothing."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main
from benchmarks.table import p99


def test_help_prints_the_suites_and_runs_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m benchmarks") and "round" in out and "hour" in out


def test_an_unknown_suite_is_refused_before_any_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["round", "nope"]) == 2
    assert "unknown suite 'nope'" in capsys.readouterr().err


def test_p99_stays_within_the_samples() -> None:
    rounds = [90.0] * 10 + [110.0, 130.0]
    assert 110.0 < p99(rounds) <= 130.0  # not past the slowest round
    assert p99([5.0]) == 5.0
    assert p99([float(i) for i in range(1, 101)]) == pytest.approx(99.01)
