"""Every kind of question plays in the terminal: a player reads each one and answers it right.

The real `quizbot play` runs in a pseudo-terminal over the small bank with one question of each
kind (tests/data/kinds); the test reads what the player sees and types as a player would.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.core.bank import load_bank
from bot.core.models import BACKGROUND_HEADING, Question, QuestionKind

ROOT = Path(__file__).resolve().parents[2]
KINDS = ROOT / "tests" / "data" / "kinds"
PROMPT = re.compile(r"Your answer(?: \[[A-Z/]+\])? > $")


class Terminal:
    """A `quizbot` process on a pseudo-terminal: read the screen, type lines."""

    def __init__(self, *args: str) -> None:
        self.fd, child = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        )
        os.close(child)
        self.screen = ""
        self.pos = 0  # where the last match ended: what comes after it is still unread

    def read_until(self, pattern: re.Pattern[str], timeout: float = 20.0) -> str:
        """Read until the unread screen matches; return it up to the end of the match."""
        start, deadline = self.pos, time.monotonic() + timeout
        while not pattern.search(self.screen[start:]):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {pattern.pattern!r}:\n{self.screen[-2000:]}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    assert pattern.search(self.screen[start:]), self.screen[-2000:]
                    break
                self.screen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        found = pattern.search(self.screen[start:])
        assert found is not None
        self.pos = start + found.end()
        return self.screen[start : self.pos]

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        finally:
            os.close(self.fd)


def _answer(block: str, questions: dict[str, Question]) -> tuple[Question, str]:
    """Return the question on screen and what to type to answer it right."""
    lines = [ln.strip() for ln in block.splitlines()]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("Question "))
    question = questions[lines[at + 1]]
    options = {m.group(2): m.group(1) for ln in lines if (m := re.match(r"([A-Z])\) (.+)$", ln))}
    if question.choices:
        return question, options[question.answer]
    return question, question.aliases[-1] if question.aliases else question.answer


def test_every_kind_is_answered_right_in_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "questions" / "harbour-festival"
    shutil.copytree(KINDS, folder)
    bank = load_bank(folder / "bank.yaml")
    questions = {q.prompt: q for q in bank.questions}
    count = len(bank.questions)
    db = tmp_path / "quiz.db"
    term = Terminal(
        "play", "--questions", str(tmp_path / "questions"), "--count", str(count),
        "--mode", "mixed", "--seed", "3", "--db", str(db), "--name", "ana",
    )  # fmt: skip
    seen: set[QuestionKind] = set()
    try:
        for _ in range(count):
            block = term.read_until(PROMPT)
            question, typed = _answer(block, questions)
            seen.add(question.kind)
            term.type(typed)
            verdict = term.read_until(re.compile(r"Source: .+\n"))
            assert "Right!" in verdict, verdict
            # The article's own explanation comes first, background after it, set apart.
            assert verdict.index("Why: ") < verdict.index("Source: ")
            assert f"Source: {question.source} of the article" in verdict
            if question.background:
                shown = f"{BACKGROUND_HEADING}: {question.background}"
                assert verdict.index("Why: ") < verdict.index(shown) < verdict.index("Source: ")
            else:
                assert BACKGROUND_HEADING not in verdict
        term.read_until(re.compile(r"Game over:"))
    finally:
        code = term.close()
    assert code == 0, term.screen[-2000:]
    assert "Traceback" not in term.screen
    assert seen == set(QuestionKind)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT correct FROM answers").fetchall()
    assert len(rows) == count and all(correct for (correct,) in rows)
