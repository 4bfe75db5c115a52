"""`quizbot play` and `quizbot leaderboard` in a terminal, with input piped in."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.terminal.play import pick_option, player_name

ROOT = Path(__file__).resolve().parents[2]


def _quizbot(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_piped_game_runs_to_the_end_and_is_saved(tmp_path: Path) -> None:
    db = tmp_path / "quiz.db"
    run = _quizbot(
        "play", "--count", "5", "--seed", "1", "--db", str(db), "--name", "ana", stdin="A\n" * 20
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Question ") == 5
    assert "Game over:" in run.stdout
    assert "Why: " in run.stdout and "paragraph" in run.stdout
    assert "Traceback" not in run.stderr
    answers = _rows(db, "SELECT user_id, points, correct FROM answers")
    assert len(answers) == 5
    assert _rows(db, "SELECT status FROM games") == [("finished",)]
    shown = sum(
        int(line.split("Right! +")[1].split()[0])
        for line in run.stdout.splitlines()
        if "Right! +" in line
    )
    assert shown > 0
    assert sum(points for _, points, _ in answers) == shown

    board = _quizbot("leaderboard", "--db", str(db))
    assert board.returncode == 0
    assert "ana" in board.stdout and str(shown) in board.stdout


def test_same_seed_same_questions_and_end_of_input_stops_cleanly(tmp_path: Path) -> None:
    first = _quizbot(
        "play",
        "--count",
        "3",
        "--seed",
        "7",
        "--db",
        str(tmp_path / "a.db"),
        "--name",
        "bo",
        stdin="",
    )
    second = _quizbot(
        "play",
        "--count",
        "3",
        "--seed",
        "7",
        "--db",
        str(tmp_path / "b.db"),
        "--name",
        "bo",
        stdin="",
    )
    assert first.returncode == second.returncode == 0, first.stderr
    assert "Game stopped" in first.stdout
    question = [ln for ln in first.stdout.splitlines() if ln.startswith("Question 1/")]
    assert question
    assert first.stdout.split("Question 1/")[1][:200] == second.stdout.split("Question 1/")[1][:200]
    assert _rows(tmp_path / "a.db", "SELECT status FROM games") == [("stopped",)]


def test_bad_options_get_a_clear_message(tmp_path: Path) -> None:
    run = _quizbot("play", "--bank", "nope", "--db", str(tmp_path / "x.db"), stdin="")
    assert run.returncode == 2
    assert "Unknown bank 'nope'" in run.stderr
    run = _quizbot("play", "--count", "0", "--db", str(tmp_path / "x.db"), stdin="")
    assert run.returncode == 2
    assert "count must be a whole number from 1 to 50" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_long_answer_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    run = _quizbot(
        "play",
        "--count",
        "1",
        "--seed",
        "3",
        "--mode",
        "text",
        "--db",
        str(db),
        "--name",
        "cy",
        stdin="x" * 2000 + "\n",
    )
    assert run.returncode == 0, run.stderr
    assert "too long" in run.stdout
    assert "Traceback" not in run.stderr


def test_review_brings_back_what_was_missed(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    first = _quizbot(
        "play", "--review", "--count", "2", "--db", str(db), "--name", "di", stdin="Z-nothing\n" * 5
    )
    assert first.returncode == 0, first.stderr
    assert "Review for di: 2 questions" in first.stdout
    assert "Next review of this fact:" in first.stdout
    cards = _rows(db, "SELECT fact_id, level FROM cards")
    assert len(cards) == 2
    reviews = _rows(db, "SELECT source, correct FROM reviews")
    assert reviews and {r[0] for r in reviews} == {"review"}

    # Every answer was wrong: each card comes back within hours, not days.
    spans = _rows(db, "SELECT due - updated_at FROM cards")
    assert all(0 < span <= 6 * 3600 * 1000 for (span,) in spans), spans
    assert {r[1] for r in reviews} == {0}
    assert {level for _, level in cards} == {0}


def test_options_are_read_as_the_session_reads_them() -> None:
    years = ("1990", "2008", "2012", "2016")
    assert pick_option("2012", years) == 2  # the option's own text, not position 2012
    assert pick_option("c", years) == 2
    assert pick_option("9", ("Baku", "Riga")) is None
    assert pick_option("\u1369", ("Baku", "Riga")) is None  # a digit int() cannot read
    assert pick_option("f", ("True", "False")) == 1
    assert pick_option("e", ("Baku", "Riga")) is None  # a letter past the last option


def test_an_option_text_is_read_leniently_with_the_other_options_as_rivals() -> None:
    people = ("Ilham Aliyev", "Aleksandar Vučić", "Boris Tadić", "Stevan Gajić")
    assert pick_option("aliyev", people) == 0
    assert pick_option("Vucic", people) == 1
    assert pick_option("Aleksandar Vucic", people) == 1
    assert pick_option("Gajic", people) == 3
    assert pick_option("Tadic ", people) == 2
    assert pick_option("nobody", people) is None


def test_player_name_falls_back_and_is_storable() -> None:
    assert player_name("  Ana ") == "Ana"
    assert player_name("   ") == player_name(None) != ""
    assert player_name("x" * 40) == "x" * 32
    assert player_name("\udcffbo") == "?bo"  # undecodable argv bytes


@pytest.mark.parametrize("stdin_encoding", ["utf-8:surrogateescape", "utf-8:strict"])
def test_bytes_that_are_not_utf8_do_not_end_the_game(tmp_path: Path, stdin_encoding: str) -> None:
    db = tmp_path / "u.db"
    args = ["play", "--count", "3", "--seed", "1", "--db", str(db), "--name", "ed"]
    run = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=b"\xff\xfe\n" * 9,
        capture_output=True,
        cwd=ROOT,
        # Either way of decoding stdin once broke the game: a crash on storing, or a hang.
        env={**os.environ, "PYTHONIOENCODING": stdin_encoding},
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert b"Traceback" not in run.stderr
    assert run.stdout.count(b"Question ") == 3 and b"Game over" in run.stdout
    assert _rows(db, "SELECT status FROM games") == [("finished",)]


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database", encoding="utf-8")
    for args in (("leaderboard",), ("play", "--name", "fi")):
        run = _quizbot(*args, "--db", str(db), stdin="")
        assert run.returncode == 1
        assert f"Cannot use the database {db}" in run.stderr
        assert "Traceback" not in run.stderr
    assert db.read_text(encoding="utf-8") == "not a database"


def test_a_database_from_newer_code_gets_one_line_and_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "quiz.db"
    first = _quizbot("play", "--count", "1", "--db", str(db), "--name", "ana", stdin="A\n")
    assert first.returncode == 0
    with sqlite3.connect(db) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {version + 5}")
    before = _rows(db, "SELECT * FROM answers"), _rows(db, "PRAGMA user_version")
    for args in (("leaderboard",), ("play", "--name", "fi")):
        run = _quizbot(*args, "--db", str(db), stdin="A\n")
        assert run.returncode == 1, run.stdout
        assert "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) <= 2, run.stderr
        assert "newer" in run.stderr
    assert (_rows(db, "SELECT * FROM answers"), _rows(db, "PRAGMA user_version")) == before


TRUE_FALSE_BANK = """\
generated: true
bank: tf
title: "True or false"
source: "test"
topics:
  main: "Main"
questions:
- id: capital.true_false
  kind: true_false
  fact: capital
  paragraph: 1
  topic: main
  fact_kind: place
  prompt: "True or false? The visit took place in Belgrade."
  answer: 'True'
  choices:
  - 'True'
  - 'False'
  explanation: "The visit took place in the Serbian capital."
"""


def test_review_reads_true_false_words(tmp_path: Path) -> None:
    bank_dir = tmp_path / "questions" / "tf"
    bank_dir.mkdir(parents=True)
    (bank_dir / "bank.yaml").write_text(TRUE_FALSE_BANK, encoding="utf-8")
    run = _quizbot(
        "play", "--review", "--questions", str(tmp_path / "questions"), "--count", "1",
        "--db", str(tmp_path / "r.db"), "--name", "gu", stdin="t\n",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Right!" in run.stdout
    assert "Review done: 1/1 right." in run.stdout
