"""The commands guide a new user: where banks are looked for, what to type, no tracebacks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.core.bank import load_bank

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "questions"
KINDS = ROOT / "tests" / "data" / "kinds"


def _quizbot(
    *args: str, cwd: Path, stdin: str | None = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "DISCORD_"))}
    environ.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, env=environ, timeout=60,
        check=False,
    )  # fmt: skip


def _clean(run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert "Fatal Python error" not in run.stderr


def test_topics_lists_banks_topics_and_counts(tmp_path: Path) -> None:
    run = _quizbot("topics", "--questions", str(SHIPPED), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    bank = load_bank(SHIPPED / "baku-belgrade" / "bank.yaml")
    assert bank.title in run.stdout
    assert f"bank: baku-belgrade · {len(bank.questions)} questions" in run.stdout
    for topic in bank.topic_names():
        count = sum(q.topic == topic for q in bank.questions)
        line = re.search(rf"^  {topic} +(\d+) questions? +(.+)$", run.stdout, re.MULTILINE)
        assert line is not None, topic
        assert int(line.group(1)) == count
        assert line.group(2) == bank.topics[topic]


def test_quizbot_questions_is_honoured_by_every_command(tmp_path: Path) -> None:
    banks = tmp_path / "elsewhere"
    shutil.copytree(KINDS, banks / "harbour-festival")
    env = {"QUIZBOT_QUESTIONS": str(banks)}
    topics = _quizbot("topics", cwd=tmp_path, env=env)
    assert topics.returncode == 0 and "harbour-festival" in topics.stdout
    check = _quizbot("check", cwd=tmp_path, env=env)
    assert "harbour-festival/bank.yaml" in check.stdout + check.stderr
    play = _quizbot("play", "--db", str(tmp_path / "q.db"), "--count", "2", cwd=tmp_path, env=env)
    assert play.returncode == 0, play.stderr
    assert "Question 1/2" in play.stdout
    (banks / "harbour-festival" / "bank.yaml").unlink()
    gen = _quizbot("generate", cwd=tmp_path, env=env)
    assert (banks / "harbour-festival" / "bank.yaml").is_file(), gen.stderr
    for run in (topics, check, play, gen):
        _clean(run)


def test_topic_by_title_in_any_case_and_unknown_names_list_the_valid_ones(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    base = ("play", "--questions", str(SHIPPED), "--db", db, "--count", "2")
    by_title = _quizbot(*base, "--topic", "history AND the interview", stdin="A\nA\n", cwd=tmp_path)
    assert by_title.returncode == 0, by_title.stderr
    assert by_title.stdout.count("· History and the interview ·") == 2
    by_slug = _quizbot(*base, "--topic", "ENERGY", cwd=tmp_path)
    assert by_slug.returncode == 0 and "Question 1/2 · Energy ·" in by_slug.stdout
    unknown = _quizbot(*base, "--topic", "sport", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "Unknown topic 'sport'" in unknown.stderr
    for slug in ("diplomacy", "energy", "economy-travel", "geopolitics", "interview"):
        assert slug in unknown.stderr
    assert "quizbot topics" in unknown.stderr
    bank = _quizbot(*base, "--bank", "nope", cwd=tmp_path)
    assert bank.returncode == 2 and "Banks: baku-belgrade" in bank.stderr
    for run in (by_title, by_slug, unknown, bank):
        _clean(run)


def test_outside_the_project_every_command_says_where_it_looked(tmp_path: Path) -> None:
    for command in ("play", "topics", "check", "generate"):
        run = _quizbot(command, cwd=tmp_path)
        assert run.returncode == 1, (command, run.stderr)
        assert str(tmp_path / "questions") in run.stderr, (command, run.stderr)
        assert "QUIZBOT_QUESTIONS" in run.stderr, command
        _clean(run)
    assert "--questions DIR" in _quizbot("play", cwd=tmp_path).stderr


def test_generate_without_reviewed_facts_names_the_file_and_the_flag(tmp_path: Path) -> None:
    folder = tmp_path / "questions" / "harbour-festival"
    shutil.copytree(KINDS, folder)
    (folder / "bank.yaml").unlink()
    facts = folder / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    drafts = re.sub(r'(\n  - id: "[^"]+"\n)', r"\1    reviewed: false\n", text)
    assert drafts != text
    facts.write_text(drafts, encoding="utf-8")
    run = _quizbot("generate", cwd=tmp_path)
    assert run.returncode == 1
    assert not (folder / "bank.yaml").exists()
    assert "bank.yaml was not written" in run.stderr and "--include-drafts" in run.stderr
    assert "no questions" not in run.stderr  # the cause is named, not its consequence
    # The draft warnings are summarised: two in full, then one line with the rest.
    per_fact = [ln for ln in run.stderr.splitlines() if "drafted fact not reviewed" in ln]
    assert len(per_fact) == 2
    more = re.search(r"warning: (\d+) more like the above", run.stderr)
    assert more is not None
    every = _quizbot("generate", "--all-warnings", cwd=tmp_path)
    listed = sum("drafted fact not reviewed" in ln for ln in every.stderr.splitlines())
    assert listed == 2 + int(more.group(1)) > 3
    made = _quizbot("generate", "--include-drafts", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (folder / "bank.yaml").is_file()
    for r in (run, every, made):
        _clean(r)


def test_one_of_a_thing_is_singular(tmp_path: Path) -> None:
    run = _quizbot(
        "play", "--questions", str(SHIPPED), "--db", str(tmp_path / "q.db"), "--count", "1",
        stdin="A\n", cwd=tmp_path,
    )  # fmt: skip
    assert "— 1 question, 60 seconds each." in run.stdout
    assert "1 questions" not in run.stdout + run.stderr


def test_no_traceback_for_bad_paths_streams_and_settings(tmp_path: Path) -> None:
    q = str(SHIPPED)
    runs = {
        "dir as --db": _quizbot("play", "--questions", q, "--db", str(tmp_path), cwd=tmp_path),
        "dir as --db, board": _quizbot("leaderboard", "--db", str(tmp_path), cwd=tmp_path),
        "bogus log level": _quizbot(
            "topics", "--questions", q, cwd=tmp_path, env={"QUIZBOT_LOG_LEVEL": "bogus"}
        ),
        "run, no questions": _quizbot(
            "run", "--questions", "/nonexistent", cwd=tmp_path, env={"DISCORD_TOKEN": "x"}
        ),
        "mistyped board db": _quizbot("leaderboard", "--db", "quizbto.db", cwd=tmp_path),
    }
    expected = {
        "dir as --db": (1, "it is a directory"),
        "dir as --db, board": (1, "it is a directory"),
        "bogus log level": (2, "QUIZBOT_LOG_LEVEL='bogus' is not a log level"),
        "run, no questions": (2, "/nonexistent does not exist"),
        "mistyped board db": (1, "No database at quizbto.db"),
    }
    for name, run in runs.items():
        code, message = expected[name]
        assert run.returncode == code, (name, run.stderr)
        assert message in run.stderr, (name, run.stderr)
        assert len(run.stderr.splitlines()) <= 3, (name, run.stderr)
        _clean(run)
    assert not (tmp_path / "quizbto.db").exists()  # reading never creates a database


def test_closed_stdin_and_an_ascii_terminal_play_to_the_end(tmp_path: Path) -> None:
    args = ["play", "--questions", str(SHIPPED), "--count", "2"]
    closed = subprocess.run(
        ["sh", "-c", 'exec "$0" -m bot "$@" <&-', sys.executable, *args,
         "--db", str(tmp_path / "a.db")],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    assert "No more input." in closed.stdout and "Game stopped" in closed.stdout
    ascii_run = _quizbot(
        *args, "--db", str(tmp_path / "b.db"), "--seed", "1", stdin="A\nA\n", cwd=tmp_path,
        env={"PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert ascii_run.returncode == 0, ascii_run.stderr
    assert "Game over" in ascii_run.stdout
    for run in (closed, ascii_run):
        _clean(run)


def test_piped_answers_are_echoed_without_escape_codes(tmp_path: Path) -> None:
    run = _quizbot(
        "play", "--questions", str(SHIPPED), "--db", str(tmp_path / "q.db"), "--count", "2",
        "--seed", "1", "--mode", "choice", stdin="A\nb\n", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert re.search(r"^Your answer \[A/B(/C/D)?\] > A$", run.stdout, re.MULTILINE)
    assert re.search(r"^Your answer \[A/B(/C/D)?\] > b$", run.stdout, re.MULTILINE)
    assert "\x1b" not in run.stdout  # no colour, no countdown in a pipe
    assert "60 seconds each" in run.stdout


def test_leaderboard_header_filters_unknown_filters_and_ties_by_name(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    play = ("play", "--questions", str(SHIPPED), "--db", db, "--count", "1", "--seed", "1")
    first = _quizbot(*play, "--name", "carl", stdin="A\n", cwd=tmp_path)
    right = "Right!" in first.stdout
    # The same question answered the other way: one player scores, the others tie at 0.
    other = "D" if right else "A"
    for name in ("zoe", "Amy", "bob"):
        _quizbot(*play, "--name", name, stdin=f"{other}\n", cwd=tmp_path)
    board = _quizbot("leaderboard", "--db", db, "--questions", str(SHIPPED), cwd=tmp_path)
    assert board.returncode == 0, board.stderr
    assert board.stdout.splitlines()[0] == "Leaderboard — all time · terminal games"
    names = [ln.split()[1] for ln in board.stdout.splitlines()[2:]]
    tied = [n for n in names if n != "carl"]
    assert tied == ["Amy", "bob", "zoe"]
    week = _quizbot(
        "leaderboard", "--db", db, "--questions", str(SHIPPED), "--week", "--topic",
        "GEOPOLITICS", "--bank", "baku-belgrade", cwd=tmp_path,
    )  # fmt: skip
    header = week.stdout.splitlines()[0]
    assert header == (
        "Leaderboard — this week (UTC) · topic geopolitics · bank baku-belgrade · terminal games"
    )
    unknown = _quizbot("leaderboard", "--db", db, "--topic", "sport", cwd=tmp_path)
    assert unknown.returncode == 2 and "Unknown topic 'sport'" in unknown.stderr
    bank = _quizbot("leaderboard", "--db", db, "--bank", "nope", cwd=tmp_path)
    assert bank.returncode == 2 and "Unknown bank 'nope'" in bank.stderr
    for run in (board, week, unknown, bank):
        _clean(run)
