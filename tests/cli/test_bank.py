"""`quizbot generate` and `quizbot check` on files that cannot be read or written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main

SHIPPED_FACTS = Path(__file__).resolve().parents[2] / "questions" / "baku-belgrade" / "facts.yaml"


def test_a_bank_that_cannot_be_written_is_a_located_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank_dir = tmp_path / "article"
    bank_dir.mkdir()
    shutil.copy(SHIPPED_FACTS, bank_dir / "facts.yaml")
    (bank_dir / "bank.yaml").mkdir()  # in the way of the file to write
    assert main(["generate", str(bank_dir)]) == 1
    err = capsys.readouterr().err
    assert f"{bank_dir / 'bank.yaml'}:0: file: cannot write" in err
    assert "Traceback" not in err


def test_generate_names_the_place_it_found_no_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(tmp_path)]) == 1
    assert f"{tmp_path}:0: facts: no facts.yaml found" in capsys.readouterr().err


def test_generate_reports_each_bank_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank_dir = tmp_path / "article"
    bank_dir.mkdir()
    shutil.copy(SHIPPED_FACTS, bank_dir / "facts.yaml")
    assert main(["generate", str(bank_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{bank_dir / 'bank.yaml'}: ") and " questions (choice " in out
    assert main(["check", str(bank_dir)]) == 0
