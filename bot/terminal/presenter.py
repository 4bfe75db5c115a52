"""The terminal presenter of the game loop: prints questions, verdicts and the final score."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from bot.core.models import BACKGROUND_HEADING, Bank, Question
from bot.core.scoring import RoundResult, Standings, option_label
from bot.core.selection import GameMode
from bot.services.live import LiveGame

Out = Callable[[str], None]


def option_letters(count: int) -> str:
    """Return 'A/B/C/D' for `count` options."""
    return "/".join(option_label(i) for i in range(count))


class TerminalPresenter:
    """Show one player's game in the terminal (a `bot.services.live.Presenter`)."""

    def __init__(self, out: Out, bank: Bank, player_id: int) -> None:
        self.out = out
        self.bank = bank
        self.player_id = player_id
        #: The prompt of the open question, printed again after a retry.
        self.prompt = ""
        #: Questions missed, with their paragraph, for the end-of-game summary.
        self.missed: list[RoundResult] = []
        #: Set while a question waits for the player's answer: input is read only then.
        self.asking = asyncio.Event()

    def ask(self) -> None:
        """Print the prompt for an answer (again)."""
        print(self.prompt, end="", flush=True)

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int | None:
        """Print the question, its options and the answer prompt."""
        engine = live.engine
        topic = self.bank.topics.get(question.topic, question.topic)
        self.out(f"\nQuestion {engine.index + 1}/{engine.total} · {topic}")
        self.out(question.prompt)
        for i, option in enumerate(options):
            self.out(f"  {option_label(i)}) {option}")
        hint = f"[{option_letters(len(options))}] " if options else ""
        self.prompt = f"Your answer {hint}> "
        self.ask()
        self.asking.set()
        return None

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        """Nothing to redraw: the terminal counts from when the question was printed."""

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        """Print a hint (classic mode) and the prompt again."""
        self.out(f"\nHint {number}: {hint}")
        self.ask()

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        """Stop taking answers for the question (nothing to redraw in a terminal)."""
        self.asking.clear()

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: Standings) -> None:
        """Print the verdict on the player's answer, the explanation and its paragraph."""
        mine = next((e for e in result.entries if e.player_id == self.player_id), None)
        if result.skipped:
            self.out(f"Skipped. The answer: {result.answer}")
        elif mine is None:
            timed_out = live.engine.mode is not GameMode.CLASSIC or not result.entries
            lead = "Time's up." if timed_out else "No answer."
            self.out(f"\n{lead} The answer: {result.answer}")
        elif mine.correct:
            extra = "" if mine.exact else f" (accepted; exactly: {result.answer})"
            self.out(f"Right! +{mine.points} points{extra}")
        else:
            self.out(f"Wrong. The answer: {result.answer}")
        if not result.skipped and (mine is None or not mine.correct):
            self.missed.append(result)
        self.out(f"Why: {result.explanation}")
        if result.question.background:
            self.out(f"{BACKGROUND_HEADING}: {result.question.background}")
        self.out(f"Source: {result.question.source} of the article")

    async def show_end(self, live: LiveGame, standings: Standings) -> None:
        """Print the score and what to reread."""
        engine = live.engine
        row = next((r for r in standings.rows if r.player_id == self.player_id), None)
        played = sum(1 for r in engine.results if not r.skipped)
        right = row.correct if row else 0
        points = row.points if row else 0
        headline = "Game stopped" if live.stopped_by else "Game over"
        self.out(f"\n{headline}: {right}/{played} right, {points} points.")
        if self.missed:
            self.out("To reread:")
            for r in self.missed:
                self.out(f"  · paragraph {r.paragraph}: {r.question.prompt}")

    async def game_aborted(self, live: LiveGame) -> None:
        """Say that the game ended because of an error."""
        self.out("\nThe game ended because of an error. Your answers so far are saved.")
