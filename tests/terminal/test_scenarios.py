"""The shared game scenarios, played in the terminal (in-process, through the game loop)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from support.quizharness import TEST_BANK
from support.scenarios import (
    MODES,
    SCENARIOS,
    TOPIC,
    Scenario,
    letter_for,
    question_by_prompt,
    typed_for,
)

from bot.core.bank import load_bank_text
from bot.core.models import Bank
from bot.store import Store
from bot.terminal.play import play_game


class ScriptedLines:
    """Answers each question as the scenario says, reading which question from the output."""

    def __init__(self, bank: Bank, scenario: Scenario, mode: str, printed: list[str]) -> None:
        self.bank = bank
        self.scenario = scenario
        self.mode = mode
        self.printed = printed

    async def read(self) -> str | None:
        heading = max(i for i, line in enumerate(self.printed) if line.startswith("Question "))
        number = int(self.printed[heading].split()[1].split("/")[0])
        question = question_by_prompt(self.bank, self.printed[heading + 1])
        action = self.scenario.actions[number - 1]
        if action == "stop":
            return None
        if self.mode == "choice":
            return letter_for(question, action)
        return typed_for(question, action)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("mode", [terminal for _, terminal in MODES])
async def test_scenario_in_the_terminal(tmp_path: Path, scenario: Scenario, mode: str) -> None:
    bank = load_bank_text(TEST_BANK)
    db = tmp_path / "quiz.db"
    args = argparse.Namespace(
        count=scenario.questions, seed=5, mode=mode, topic=TOPIC, db=str(db)
    )
    printed: list[str] = []
    store = await Store.open(db)
    try:
        code = await play_game(
            store, bank, args, "ana", out=printed.append,
            reader=ScriptedLines(bank, scenario, mode, printed),
        )  # fmt: skip
        assert code == 0
        game = await store.games.get(1)
        assert game is not None and game.status == scenario.status
        rows = await store.answers.for_game(1)
    finally:
        await store.close()
    assert [r.correct for r in rows] == scenario.correct
    assert all((r.points > 0) == r.correct for r in rows)
