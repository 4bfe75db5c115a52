"""`quizbot check --stats`: questions nobody gets right or that strong players miss are listed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.stats import question_report
from bot.store import Store
from bot.store.records import AnswerRecord

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
STRONG = range(5)
WEAK = range(5, 10)


def _right(player: int, question: str) -> bool:
    """Who gets what right: a made-up class of five strong and five weak players."""
    if question in ("q1", "q2"):
        return True
    if question in ("q3", "q4", "q5"):
        return player in STRONG
    if question == "trap":
        return player in WEAK  # strong players fall for it: negative discrimination
    return player == 9  # "hard": almost nobody


async def _build(path: Path) -> None:
    store = await Store.open(path, clock=lambda: NOW)
    try:
        questions = ("q1", "q2", "q3", "q4", "q5", "trap", "hard")
        for player in [*STRONG, *WEAK]:
            game = await store.games.start(1, 2, "bank", "buttons", None, player, len(questions))
            for index, qid in enumerate(questions):
                await store.games.ask(game, index, qid, qid, "topic")
                correct = _right(player, qid)
                await store.answers.record(
                    AnswerRecord(
                        game_id=game, question_index=index, guild_id=1, user_id=player,
                        user_name=f"p{player}", question_id=qid, fact_id=qid, topic="topic",
                        bank="bank", answer="x", correct=correct, points=500 * correct,
                        elapsed_ms=1000, streak=0, answered_at=NOW,
                    )
                )  # fmt: skip
            await store.games.finish(game)
    finally:
        await store.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "stats.db"
    asyncio.run(_build(path))
    return path


def test_broken_questions_are_listed(db: Path) -> None:
    lines = question_report(str(db))
    assert lines[0] == "stats: 7 question(s) with at least 5 answers, 2 look broken"
    listed = {line.split(":", 1)[0]: line for line in lines[1:]}
    assert set(listed) == {"bank/hard", "bank/trap"}
    assert "answered right by almost nobody (1/10)" in listed["bank/hard"]
    assert listed["bank/trap"].startswith("bank/trap: 50% right; negative discrimination -")
    assert "strong players miss it more than weak ones" in listed["bank/trap"]


def test_reading_changes_nothing(db: Path) -> None:
    before = db.read_bytes()
    question_report(str(db))
    question_report(str(db))
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert db.read_bytes() == before


def test_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    assert question_report(str(missing)) == [
        f"stats: no database at {missing}; nothing to judge yet"
    ]
    assert not missing.exists()


def test_quizbot_check_stats_prints_them(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = Path(__file__).resolve().parents[2] / "questions"
    code = main(["check", "--stats", "--db", str(db), str(shipped)])
    out = capsys.readouterr().out
    assert code == 0
    assert "bank/trap: " in out
    assert "bank/hard: " in out
    assert "bank/q3" not in out
