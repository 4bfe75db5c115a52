"""`quizbot play` in a real pseudo-terminal: games, reviews and Ctrl-C end cleanly, every time.

Each test starts the real process on a pty (stdin, stdout and stderr are the terminal), reads
what a player would see and types as a player would.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from support.terminal import PROMPT, ROOT, Terminal

from bot.core.bank import load_bank
from bot.core.models import Question

KINDS = ROOT / "tests" / "data" / "kinds"
SHIPPED = ROOT / "questions" / "baku-belgrade" / "bank.yaml"
CRASH = "Fatal Python error"
#: A foreground colour in an SGR escape code (bold and dim are not colours).
COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*3[0-8](?:;[0-9]+)*m")


@pytest.fixture
def questions(tmp_path: Path) -> Path:
    folder = tmp_path / "questions" / "harbour-festival"
    shutil.copytree(KINDS, folder)
    return tmp_path / "questions"


def _on_screen(block: str, bank: dict[str, Question]) -> tuple[Question, dict[str, str]]:
    """Return the question shown last in `block` and its options by text → letter."""
    lines = [ln.strip() for ln in block.splitlines()]
    at = max(i for i, ln in enumerate(lines) if ln.startswith("Question "))
    options = {
        m.group(2): m.group(1) for ln in lines[at:] if (m := re.match(r"([A-Z])\) (.+)$", ln))
    }
    return bank[lines[at + 1]], options


def _right_letter(question: Question, options: dict[str, str]) -> str:
    return options[question.answer]


def _wrong_letter(question: Question, options: dict[str, str]) -> str:
    return next(letter for text, letter in options.items() if text != question.answer)


def _play_args(questions: Path, db: Path, *extra: str) -> list[str]:
    return ["play", "--questions", str(questions), "--db", str(db), "--name", "ana", *extra]


def _is_person(q: Question) -> bool:
    """A two-word name whose surname no other option shares ("Statehood Day" is no person)."""
    words = q.answer.split()
    if not q.choices or len(words) != 2 or not all(w[:1].isupper() for w in words):
        return False
    surname = words[-1].casefold()
    return not any(surname in o.casefold() for o in q.choices if o != q.answer)


@pytest.mark.parametrize("attempt", range(3))
def test_a_whole_game_ends_with_exit_0(tmp_path: Path, attempt: int) -> None:
    bank = {q.prompt: q for q in load_bank(SHIPPED).questions}
    db = tmp_path / "quiz.db"
    term = Terminal(
        *_play_args(ROOT / "questions", db, "--count", "3", "--mode", "choice"),
        "--seed", str(attempt),
    )  # fmt: skip
    try:
        for number in range(3):
            question, options = _on_screen(term.read_until(PROMPT), bank)
            # Right, right, then wrong: a streak to show, and a miss to reread.
            pick = _right_letter if number < 2 else _wrong_letter
            term.type(pick(question, options))
            term.read_until(re.compile(r"Source: .+\n"))
        end = term.read_until(re.compile(r"Saved to .+\n"))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert CRASH not in term.screen and "Traceback" not in term.screen
    # The progress line: position, score so far, and the streak once there is one.
    assert re.search(r"Question 1/3 · .+ · 0 points\n", term.screen)
    assert re.search(r"Question 3/3 · .+ · \d+ points · streak 2\n", term.screen)
    assert "Game over: 2/3 right" in end
    missed = question.paragraph
    assert "To reread (1 question missed):" in end
    assert f"paragraph {missed}: {question.prompt}" in end
    assert f"answer: {question.answer}" in end


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_stops_a_game_cleanly_with_exit_0(tmp_path: Path, attempt: int) -> None:
    db = tmp_path / "quiz.db"
    term = Terminal(*_play_args(ROOT / "questions", db, "--count", "5", "--seed", str(attempt)))
    try:
        term.read_until(PROMPT)
        term.type("A")
        term.read_until(PROMPT)
        term.ctrl_c()
        end = term.read_until(re.compile(r"Saved to .+\n"))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert CRASH not in term.screen and "Traceback" not in term.screen
    assert "Stopped with Ctrl-C." in end and "Game stopped: " in end
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM games").fetchall() == [("stopped",)]
        assert len(conn.execute("SELECT * FROM answers").fetchall()) == 1


def test_a_review_and_ctrl_c_in_a_review_exit_0(questions: Path, tmp_path: Path) -> None:
    bank = {q.prompt: q for q in load_bank(questions / "harbour-festival" / "bank.yaml").questions}
    db = tmp_path / "quiz.db"
    term = Terminal(*_play_args(questions, db, "--review", "--count", "4"))
    try:
        question, options = _on_screen(term.read_until(PROMPT), bank)
        answer = question.answer if options else (question.aliases or (question.answer,))[-1]
        term.type(answer)  # an option's own text works as well as its letter
        verdict = term.read_until(re.compile(r"Next review of this fact: .+\n"))
        term.read_until(PROMPT)
        term.ctrl_c()
        end = term.read_until(re.compile(r"Review stopped: .+\n"))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert CRASH not in term.screen and "Traceback" not in term.screen
    assert "Right!" in verdict
    assert "Stopped with Ctrl-C." in end and "Review stopped: 1/1 right." in end
    assert re.search(r"Question 2/4 · .+ · 1 right\n", term.screen)


def test_a_review_to_the_end_exits_0(questions: Path, tmp_path: Path) -> None:
    db = tmp_path / "quiz.db"
    term = Terminal(*_play_args(questions, db, "--review", "--count", "2"))
    try:
        for _ in range(2):
            term.read_until(PROMPT)
            term.type("A")
            term.read_until(re.compile(r"Next review of this fact: .+\n"))
        end = term.read_until(re.compile(r"Review done: .+\n"))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert CRASH not in term.screen and "Traceback" not in term.screen
    assert re.search(r"Review done: \d/2 right\.", end)


def test_an_option_is_picked_by_part_of_its_text(tmp_path: Path) -> None:
    """ "aliyev" picks "Ilham Aliyev": the answer matcher, with the other options as rivals."""
    bank = {q.prompt: q for q in load_bank(SHIPPED).questions}
    people = [q for q in bank.values() if _is_person(q) and q.topic == "diplomacy"]
    assert people, "the shipped bank asks about people"
    db = tmp_path / "quiz.db"
    term = Terminal(
        *_play_args(ROOT / "questions", db, "--count", "30", "--mode", "choice"),
        "--topic", "Diplomacy and the visit", "--seed", "2",
    )  # fmt: skip
    typed: list[tuple[str, str]] = []
    try:
        for _ in range(30):
            question, options = _on_screen(term.read_until(PROMPT), bank)
            surname = question.answer.split()[-1]
            if _is_person(question):
                term.type(surname.lower())
                verdict = term.read_until(re.compile(r"Source: .+\n|Pick one of .+\n"))
                if "Pick one" in verdict:
                    break
                typed.append((surname.lower(), verdict))
            else:
                term.type(_right_letter(question, options))
                term.read_until(re.compile(r"Source: .+\n"))
        term.read_until(re.compile(r"Game over: "))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert typed, "no question with a two-word answer came up"
    for surname, verdict in typed:
        assert "Right!" in verdict, (surname, verdict)


def test_time_limit_is_stated_and_counted_down_on_a_terminal(tmp_path: Path) -> None:
    # Seeded: a question with options, so one letter ends it (a typed one would ask again).
    args = _play_args(ROOT / "questions", tmp_path / "q.db", "--count", "1", "--seed", "1")
    term = Terminal(*args)
    try:
        term.read_until(PROMPT)
        # The countdown redraws the start of the prompt's line in place, once a second (the
        # wait is generous: a busy machine may start the countdown late; nothing is timed).
        term.read_raw_until(re.compile(r"\x1b7\r\[0:5\d\]\x1b8"), timeout=20)
        term.type("A")
        term.read_until(re.compile(r"Saved to .+\n"))
    finally:
        code = term.close()
    assert code == 0
    assert "60 seconds each" in term.screen
    assert re.search(r"\[1:00\] Your answer \[A/B(/C/D)?\] > ", term.screen)


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    args = _play_args(ROOT / "questions", tmp_path / "q.db", "--count", "1", "--seed", "1")
    coloured = Terminal(*args, env={"NO_COLOR": "", "TERM": "xterm-256color"})
    try:
        coloured.read_until(PROMPT)
        coloured.type("A")
        coloured.read_until(re.compile(r"Saved to .+\n"))
    finally:
        assert coloured.close() == 0
    assert COLOUR.search(coloured.raw), "a terminal gets colour"
    plain = Terminal(*args, env={"NO_COLOR": "1", "TERM": "xterm-256color"})
    try:
        plain.read_until(PROMPT)
        plain.type("A")
        plain.read_until(re.compile(r"Saved to .+\n"))
    finally:
        assert plain.close() == 0
    assert not COLOUR.search(plain.raw), "NO_COLOR turns colour off (bold may stay)"
