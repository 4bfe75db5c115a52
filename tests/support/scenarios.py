"""Game scenarios that the terminal and Discord both play, through the same game loop.

A scenario is what one player does on each question ("right", "wrong", or "stop" to end the
game there) and what the store must hold afterwards. `tests/terminal/test_scenarios.py` plays
them in the terminal, `tests/exts/game/test_scenarios.py` in a Discord channel; both assert
the same `Expected`, so the two presenters cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Bank, Question
from bot.core.scoring import option_label
from bot.core.selection import options_for

#: The topic of the test bank both sides play: three questions with options, typed or picked.
TOPIC = "places"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One player's game: an action per question, in order."""

    name: str
    actions: tuple[str, ...]

    @property
    def questions(self) -> int:
        """Return how many questions the game is started with."""
        return 3

    @property
    def status(self) -> str:
        """Return how the game must end up in the store."""
        return "stopped" if "stop" in self.actions else "finished"

    @property
    def correct(self) -> list[bool]:
        """Return the stored verdicts, one per answered question."""
        actions = self.actions
        played = actions[: actions.index("stop")] if "stop" in actions else actions
        return [action == "right" for action in played]


SCENARIOS = (
    Scenario("all right", ("right", "right", "right")),
    Scenario("a miss in the middle", ("right", "wrong", "right")),
    Scenario("stopped after one", ("right", "stop")),
)
#: Discord mode ↔ terminal mode: option buttons, or typed answers in the chat.
MODES = (("buttons", "choice"), ("classic", "text"))


def question_by_prompt(bank: Bank, prompt: str) -> Question:
    """Return the bank's question with this prompt (prompts are unique in a bank)."""
    return next(q for q in bank.questions if q.prompt == prompt)


def option_for(question: Question, action: str) -> int:
    """Return the option to pick for an action: the right one, or the first wrong one."""
    options = options_for(question)
    right = options.index(question.answer)
    return right if action == "right" else next(i for i in range(len(options)) if i != right)


def typed_for(question: Question, action: str) -> str:
    """Return the text to type for an action: the answer, or a wrong option's text."""
    options = options_for(question)
    if action == "right":
        return question.answer
    return options[option_for(question, action)]


def letter_for(question: Question, action: str) -> str:
    """Return the option letter to type in the terminal for an action."""
    return option_label(option_for(question, action))
