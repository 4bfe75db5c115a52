"""Memory of the game engine: RSS with 1,000 live games beside the RSS before creating them."""

from __future__ import annotations

import gc
import random

import psutil

from benchmarks.table import print_table, row
from bot.core.game import AnswerStatus, Game, GameMode, GameSettings, GameState
from bot.core.models import Bank, FactKind, Question, QuestionKind

GAMES = 1000
ROUNDS = 10
PLAYERS = 5
TARGET_MB = 80.0
MB = 1024 * 1024


class _Clock:
    """A clock that moves a little every time it is read, so answers get distinct times."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.37
        return self.now


def _bank(facts: int = 120) -> Bank:
    """Build a bank the size of a real one: three questions per fact with realistic text."""
    questions = []
    filler = "Background the players read after the answer, about as long as a real one. " * 4
    for f in range(facts):
        answer = f"Place number {f}"
        options = (f"Other place {f}", answer, f"Third place {f}", f"Fourth place {f}")
        for k, kind in enumerate((QuestionKind.CHOICE, QuestionKind.FILL, QuestionKind.WHO_SAID)):
            questions.append(
                Question(
                    id=f"fact-{f:03d}.{kind.value}",
                    kind=kind,
                    prompt=f"Question {k} about fact {f}: which place does the article name? " * 2,
                    answer=answer,
                    explanation=filler,
                    fact_id=f"fact-{f:03d}",
                    paragraph=f % 30 + 1,
                    topic=("economy", "politics", "visit")[f % 3],
                    fact_kind=FactKind.PLACE,
                    choices=() if kind is QuestionKind.FILL else options,
                    aliases=(f"Place {f}",),
                )
            )
    return Bank(slug="bench", title="Benchmark bank", source="", questions=tuple(questions))


def _play(game: Game, rng: random.Random) -> None:
    """Play every round with five players who all answer (classic: guesses until one is right)."""
    for _ in range(game.total):
        q = game.open()
        for p in range(PLAYERS):
            player_id = 10**17 + rng.randrange(10**6) * 10 + p
            if game.mode is GameMode.BUTTONS:
                value: int | str = rng.randrange(len(game.options)) if game.options else q.answer
                game.answer(player_id, value, name=f"player-{p}")
            elif (
                game.answer(player_id, "wrong guess", name=f"player-{p}").status
                is AnswerStatus.CLOSED
            ):
                break
        if game.mode is GameMode.CLASSIC and game.state is GameState.OPEN:
            game.answer(10**17 + 1, q.answer.lower(), name="winner")
        if game.state is GameState.OPEN:
            game.close()


def _rss() -> int:
    """Return this process's resident memory after a full collection."""
    gc.collect()
    return psutil.Process().memory_info().rss


def main() -> list[dict]:
    """Measure RSS with 1,000 played games alive and return the table rows."""
    bank = _bank()
    rng = random.Random(20250301)
    # Warm up the code paths (imports, matching caches) so the baseline holds them too.
    _play(Game.from_bank(bank, GameSettings(mode=GameMode.CLASSIC), rng=rng, clock=_Clock()), rng)
    before = _rss()
    games: dict[int, Game] = {}
    for channel in range(GAMES):
        mode = GameMode.BUTTONS if channel % 2 == 0 else GameMode.CLASSIC
        settings = GameSettings(count=ROUNDS, mode=mode, bank=bank.slug)
        game = Game.from_bank(bank, settings, rng=rng, clock=_Clock())
        _play(game, rng)
        games[channel] = game
    after = _rss()
    answers = sum(len(r.entries) for g in games.values() for r in g.results)
    delta = after - before
    ok = after / MB <= TARGET_MB
    return [
        row(f"rss with {GAMES} live games", round(after / MB, 1), "MB",
            "rss before creating them", round(before / MB, 1), round(after / before, 3),
            f"<= {TARGET_MB:.0f} MB", ok),
        row(f"rss added by {GAMES} games ({answers / GAMES:.0f} answers each)",
            round(delta / MB, 1), "MB", "rss before creating them", round(before / MB, 1),
            round(delta / before, 3), f"<= {TARGET_MB - before / MB:.0f} MB (80 MB total)", ok),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
