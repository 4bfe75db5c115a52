"""`quizbot play`: a game in the terminal, run by the same game loop as a Discord channel.

The terminal is one more presenter of `bot.services.games.GameService`: the loop asks, times
and scores the questions and stores the answers; this module reads the player's lines and
hands them to the loop as option picks or typed answers.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import logging
import random
import sys
from collections.abc import Callable
from typing import Protocol

from bot.core.clock import RealClock
from bot.core.game import GameState
from bot.core.matching import match
from bot.core.models import Bank
from bot.core.scoring import AnswerStatus, option_label
from bot.core.selection import GameError, GameMode, read_option
from bot.services.cards import Cards
from bot.services.games import GameService
from bot.services.live import ClickStatus, LiveGame, StartRequest
from bot.store import Store, describe
from bot.terminal.presenter import TerminalPresenter, plural
from bot.terminal.screen import Screen

log = logging.getLogger(__name__)

TERMINAL_GUILD = 0
TERMINAL_CHANNEL = 0
TERMINAL_SECONDS = 60
#: Typed guesses per question, the same in every mode.
TRIES = 3
MAX_NAME_CHARS = 32
MODES = {"choice": GameMode.BUTTONS, "text": GameMode.CLASSIC, "mixed": GameMode.MIXED}

Out = Callable[[str], None]


class Lines(Protocol):
    """Where the player's lines come from (stdin's `LineReader`, or a script in tests)."""

    async def read(self) -> str | None:
        """Return the next line, or None at the end of input."""
        ...


def terminal_user_id(name: str) -> int:
    """Return a stable player id for a terminal name (terminal games live in guild 0)."""
    digest = hashlib.sha256(f"terminal:{name.casefold()}".encode()).digest()
    return int.from_bytes(digest[:6], "big") + 1


def player_name(given: str | None) -> str:
    """Return the terminal player's name: the one given, else the login, else "player"."""
    name = (given or "").strip()
    if not name:
        try:
            name = getpass.getuser().strip()
        except (OSError, KeyError):  # no login name in the environment or the user database
            name = ""
    # Undecodable bytes in argv arrive as lone surrogates, which the database cannot store.
    name = name.encode("utf-8", errors="replace").decode("utf-8")
    return name[:MAX_NAME_CHARS] or "player"


def pick_option(text: str, options: tuple[str, ...]) -> int | None:
    """Read a line as an option: its letter, position or exact text, else its text leniently.

    Leniently means the matcher that judges typed answers, with the other options as rivals:
    "aliyev" picks "Ilham Aliyev", but a guess as close to another option picks nothing.
    """
    index = read_option(text, options)
    if index is not None:
        return index if index < len(options) else None
    for i, option in enumerate(options):
        rivals = [o for j, o in enumerate(options) if j != i]
        if match(text, option, rivals=rivals).accepted:
            return i
    return None


async def play_game(
    store: Store, bank: Bank, args: argparse.Namespace, name: str, *, out: Out, reader: Lines
) -> int:
    """Play one game through the game loop; return the exit code."""
    user_id = terminal_user_id(name)
    clock = RealClock()
    screen = out if isinstance(out, Screen) else Screen(out)
    presenter = TerminalPresenter(screen, bank, user_id)
    games = GameService(store, clock, cards=Cards(store, clock), presenter=presenter)
    games.rng = random.Random(args.seed)
    games.reveal_pause = 0.0
    request = StartRequest(
        TERMINAL_GUILD, TERMINAL_CHANNEL, user_id, name, count=args.count,
        seconds=TERMINAL_SECONDS, mode=MODES[args.mode].value, topic=args.topic, tries=TRIES,
        solo=True,
    )  # fmt: skip
    try:
        live = await games.create(request, bank)
    except GameError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    await store.players.upsert(user_id, name)
    total = live.engine.total
    screen(f"{bank.title} — {plural(total, 'question')}, {TERMINAL_SECONDS} seconds each.", "title")
    screen("Type the letter of an option or its text, or your answer; Ctrl-C stops the game.")
    games.launch(live)
    assert live.task is not None
    driver = asyncio.create_task(_drive(games, live, presenter, reader, name))

    def stop_if_input_failed(task: asyncio.Task[None]) -> None:
        # Without its input the game could only wait out every timer: stop it instead.
        if not task.cancelled() and task.exception() is not None:
            log.error("reading answers failed", exc_info=task.exception())
            games.request_stop(live, user_id, name)

    driver.add_done_callback(stop_if_input_failed)
    try:
        await asyncio.shield(live.task)
    except asyncio.CancelledError:
        # Ctrl-C: stop the game the way /quiz stop does; what was answered is kept.
        games.request_stop(live, user_id, name)
        await live.task
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)
    where = describe(args.db)  # a server's URL without its password
    screen(f"Saved to {where}. See `quizbot leaderboard --db {where}`.")
    return 0


async def _drive(
    games: GameService, live: LiveGame, presenter: TerminalPresenter, reader: Lines,
    name: str,
) -> None:  # fmt: skip
    """Hand the player's lines to the game: option picks, typed answers, or the end of input."""
    user_id = presenter.player_id
    unreadable: dict[int, int] = {}
    while True:
        # Lines are read only while a question waits, so piped answers meet their question.
        await presenter.asking.wait()
        line = await reader.read()
        if line is None:
            why = (
                "Stopped with Ctrl-C."
                if getattr(reader, "interrupted", False)
                else "No more input."
            )
            presenter.out(why, "note")
            games.request_stop(live, user_id, name)
            return
        presenter.out.echo(line)
        presenter.out.answered()
        engine = live.engine
        if engine.state is not GameState.OPEN or not live.shown:
            continue  # typed between questions: nothing to answer
        text = line.strip()
        options = engine.options
        index = pick_option(text, options) if options and text else None
        if not text or (options and index is None):
            # A line that is no answer at all uses a try too, so a stuck player moves on.
            count = unreadable[engine.index] = unreadable.get(engine.index, 0) + 1
            if count >= TRIES:
                presenter.out("No answer taken; moving on.")
                presenter.asking.clear()
                games.request_skip(live)
            elif not text:
                presenter.out("Type an answer.")
                presenter.ask()
            else:
                _pick_one(presenter, options)
            continue
        if index is not None:
            click = games.click(live.game_id, engine.index, index, user_id, name)
        elif engine.mode is GameMode.CLASSIC:
            outcome = games.guess(TERMINAL_CHANNEL, user_id, name, text, 0)
            status = outcome.status if outcome else AnswerStatus.CLOSED
            if status is AnswerStatus.WRONG and outcome and outcome.tries_left:
                _retry(presenter, outcome.tries_left)
            elif status is AnswerStatus.TOO_LONG:
                presenter.out("That answer is too long (200 characters at most).")
                presenter.ask()
            else:
                presenter.asking.clear()  # answered, or out of tries: the round will close
            continue
        else:
            click = games.type_answer(live.game_id, engine.index, text, user_id, name)
        if click.status in (ClickStatus.LOCKED, ClickStatus.DUPLICATE, ClickStatus.CLOSED):
            presenter.asking.clear()  # this question wants no more input
        elif click.status is ClickStatus.RETRY:
            _retry(presenter, click.tries_left)
        elif click.status is ClickStatus.TOO_LONG:
            presenter.out("That answer is too long (200 characters at most).")
            presenter.ask()
        elif click.status is ClickStatus.INVALID:
            _pick_one(presenter, options)


def _pick_one(presenter: TerminalPresenter, options: tuple[str, ...]) -> None:
    letters = ", ".join(option_label(i) for i in range(len(options)))
    presenter.out(f"Pick one of {letters}, or type an option's text.")
    presenter.ask()


def _retry(presenter: TerminalPresenter, tries_left: int) -> None:
    left = f"{tries_left} {'try' if tries_left == 1 else 'tries'} left"
    presenter.out(f"Not quite. Try again ({left}).")
    presenter.ask()
