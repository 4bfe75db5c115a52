"""The terminal presenter of the game loop: prints questions, verdicts and the final score."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from bot.core.models import BACKGROUND_HEADING, Bank, Question
from bot.core.scoring import RoundResult, Standings, option_label
from bot.core.selection import GameMode
from bot.services.live import LiveGame
from bot.terminal.screen import Screen

Out = Callable[[str], None]


def option_letters(count: int) -> str:
    """Return 'A/B/C/D' for `count` options."""
    return "/".join(option_label(i) for i in range(count))


class TerminalPresenter:
    """Show one player's game in the terminal (a `bot.services.live.Presenter`)."""

    def __init__(self, out: Out, bank: Bank, player_id: int) -> None:
        self.out = out if isinstance(out, Screen) else Screen(out)
        self.bank = bank
        self.player_id = player_id
        #: The prompt of the open question, printed again after a retry.
        self.prompt = ""
        #: Questions missed, with their paragraph, for the end-of-game summary.
        self.missed: list[RoundResult] = []
        #: Set while a question waits for the player's answer: input is read only then.
        self.asking = asyncio.Event()
        #: The player's running score and streak, for the progress line.
        self.points = 0
        self.streak = 0
        self._deadline: datetime | None = None

    def ask(self) -> None:
        """Print the prompt for an answer (again), counting down where the terminal allows."""
        self.out.prompt(self.prompt, self._deadline)

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int | None:
        """Print the question, its options and the answer prompt."""
        engine = live.engine
        topic = self.bank.topics.get(question.topic, question.topic)
        self.out("")
        score = plural(self.points, "point")
        number = engine.index + 1
        self.out(
            progress_line(number, engine.total, topic, score=score, streak=self.streak), "progress"
        )
        self.out(question.prompt, "question")
        for i, option in enumerate(options):
            self.out(f"  {option_label(i)}) {option}", "option")
        hint = f"[{option_letters(len(options))}] " if options else ""
        self.prompt = f"Your answer {hint}> "
        self._deadline = deadline_at
        self.ask()
        self.asking.set()
        return None

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        """Nothing to redraw: the terminal counts from when the question was printed."""

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        """Print a hint (classic mode) and the prompt again."""
        self.out(f"Hint {number}: {hint}", "note")
        self.ask()

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        """Stop taking answers for the question; an unanswered prompt's line is ended."""
        self.asking.clear()
        self.out.close_prompt()

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: Standings) -> None:
        """Print the verdict on the player's answer, the explanation and its paragraph."""
        mine = next((e for e in result.entries if e.player_id == self.player_id), None)
        if result.skipped:
            self.out(f"Skipped. The answer: {result.answer}", "note")
        elif mine is None:
            timed_out = live.engine.mode is not GameMode.CLASSIC or not result.entries
            lead = "Time's up." if timed_out else "No answer."
            self.out(f"{lead} The answer: {result.answer}", "wrong")
        elif mine.correct:
            extra = "" if mine.exact else f" (accepted; exactly: {result.answer})"
            self.out(f"Right! +{mine.points} points{extra}", "right")
        else:
            self.out(f"Wrong. The answer: {result.answer}", "wrong")
        if mine is not None and mine.correct:
            self.points += mine.points
            self.streak += 1
        elif not result.skipped:
            self.streak = 0
            self.missed.append(result)
        for line, style in explained(result.explanation, result.question):
            self.out(line, style)

    async def show_end(self, live: LiveGame, standings: Standings) -> None:
        """Print the score and what to reread."""
        engine = live.engine
        row = next((r for r in standings.rows if r.player_id == self.player_id), None)
        played = sum(1 for r in engine.results if not r.skipped)
        right = row.correct if row else 0
        points = row.points if row else 0
        headline = "Game stopped" if live.stopped_by else "Game over"
        self.out("")
        self.out(f"{headline}: {right}/{played} right, {points} points.", "summary")
        if self.missed:
            self.out(f"To reread ({plural(len(self.missed), 'question')} missed):", "summary")
            for r in self.missed:
                self.out(f"  · paragraph {r.paragraph}: {r.question.prompt}")
                self.out(f"    answer: {r.answer}", "source")

    async def game_aborted(self, live: LiveGame) -> None:
        """Say that the game ended because of an error."""
        self.out("The game ended because of an error. Your answers so far are saved.", "wrong")


def explained(explanation: str, question: Question) -> list[tuple[str, str]]:
    """Return the lines that teach an answer, with their styles: the article's reason first,
    then any background set apart, then every paragraph it rests on."""
    lines = [(f"Why: {explanation}", "why")]
    if question.background:
        lines.append((f"{BACKGROUND_HEADING}: {question.background}", "note"))
    lines.append((f"Source: {question.source} of the article", "source"))
    return lines


def plural(n: int, word: str, words: str | None = None) -> str:
    """Return '1 question', '2 questions' (or the given plural)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def progress_line(number: int, total: int, topic: str, *, score: str, streak: int) -> str:
    """Return 'Question 3/10 · Topic · 2300 points · streak 2' (a streak from 2 on)."""
    line = f"Question {number}/{total} · {topic} · {score}"
    return line + (f" · streak {streak}" if streak > 1 else "")
