"""Every kind of question plays in the terminal: a player reads each one and answers it right.

The real `quizbot play` runs in a pseudo-terminal over the small bank with one question of each
kind (tests/data/kinds); the test reads what the player sees and types as a player would.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from support.terminal import PROMPT, ROOT, Terminal

from bot.core.bank import load_bank
from bot.core.models import BACKGROUND_HEADING, Question, QuestionKind

KINDS = ROOT / "tests" / "data" / "kinds"


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
