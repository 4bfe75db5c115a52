"""The terminal player: `quizbot play` (a game or a review), `quizbot leaderboard`, `topics`.

A game runs through the same game loop as a Discord channel (`bot.services.games`), shown by
`bot.terminal.presenter`; answers and review cards go to the same store.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.core.bank import load_banks
from bot.core.models import Bank, BankError
from bot.services.catalog import UnknownChoiceError, resolve
from bot.store import MigrationError, Store, database_errors, describe, is_postgres_url
from bot.terminal.board import print_board
from bot.terminal.lines import LineReader
from bot.terminal.play import play_game, player_name, terminal_user_id
from bot.terminal.presenter import plural
from bot.terminal.review import review
from bot.terminal.screen import Screen

Out = Callable[[str], None]

#: How to point the commands at banks kept elsewhere; shown whenever none are found.
WHERE_HELP = (
    "Point at a directory of banks (<dir>/<bank>/bank.yaml) with --questions DIR, "
    "or set QUIZBOT_QUESTIONS=DIR."
)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _db_problem(path: str, *, read_only: bool) -> str | None:
    """Say why `path` cannot be the database before anything tries to open it."""
    if is_postgres_url(path):
        return None  # a server: only connecting tells
    if Path(path).is_dir():
        return f"Cannot use the database {path}: it is a directory; give a file, e.g. --db quiz.db"
    if read_only and not Path(path).exists():
        # Reading commands never create a database: a mistyped --db would only show nothing.
        return (
            f"No database at {path}: nothing has been played with it yet. "
            "Check --db, or play first with `quizbot play`."
        )
    return None


async def _open_store(path: str, *, read_only: bool = False) -> Store | None:
    """Open the store at `path`, or explain on stderr why it cannot be used."""
    problem = _db_problem(path, read_only=read_only)
    if problem is not None:
        _err(problem)
        return None
    try:
        # The bot may be running on the same file: its live games are not ours to abort.
        return await Store.open(path, abort_running=False, read_only=read_only)
    except (*database_errors(), OSError, ValueError, MigrationError) as exc:
        _err(f"Cannot use the database {describe(path)}: {exc}")
        return None


def read_banks(directory: str) -> dict[str, Bank] | None:
    """Return the banks under `directory`, or None after saying where they were looked for."""
    where = Path(directory)
    try:
        banks = load_banks(where)
    except BankError as exc:
        for p in exc.problems:
            _err(str(p))
        _err(f"Fix the bank, or check it with `quizbot check {directory}`.")
        return None
    except OSError as exc:
        banks = {}
        _err(f"Cannot read {directory}: {exc}")
    if not banks:
        state = "no such directory" if not where.exists() else "no <bank>/bank.yaml in it"
        _err(f"No question banks found in {where.resolve()} ({state}).")
        _err(WHERE_HELP)
        _err("To make a bank from an article: quizbot extract, then quizbot generate.")
        return None
    return banks


def _quiet_banks(directory: str) -> dict[str, Bank]:
    """Return the banks under `directory` for naming topics, or none: a board needs no banks."""
    try:
        return load_banks(directory)
    except (BankError, OSError):
        return {}


def choose(banks: dict[str, Bank], bank: str | None, topic: str | None) -> tuple[Bank, str | None]:
    """Return the bank and topic slug to play; names and titles are read case-insensitively.

    Raises UnknownChoiceError with the valid names, as the terminal shows them.
    """
    try:
        return resolve(banks, bank, topic)
    except UnknownChoiceError:
        if bank and not any(bank.strip() == s or bank.casefold() == b.title.casefold()
                            for s, b in banks.items()):  # fmt: skip
            names = "; ".join(f"{slug} ({b.title})" for slug, b in sorted(banks.items()))
            raise UnknownChoiceError(f"Unknown bank {bank!r}. Banks: {names}.") from None
        shown = [
            f"{slug} ({b.topics.get(slug, slug)})"
            for b in ([banks[bank.strip()]] if bank and bank.strip() in banks else banks.values())
            for slug in b.topic_names()
        ]
        raise UnknownChoiceError(
            f"Unknown topic {topic!r}. Topics: {'; '.join(sorted(set(shown)))}. "
            "See `quizbot topics`."
        ) from None


@contextlib.contextmanager
def _ctrl_c_ends_input(reader: LineReader) -> Iterator[None]:
    """Make Ctrl-C end the input, so the game or review stops cleanly and exits 0."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, reader.interrupt)
    except (NotImplementedError, RuntimeError, ValueError):
        # No signal handlers here (not the main thread): Ctrl-C stays a KeyboardInterrupt.
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


async def play(args: argparse.Namespace, out: Out | None = None) -> int:
    """Play one terminal game, or a review with `--review`; answers go to the store."""
    banks = read_banks(args.questions)
    if banks is None:
        return 1
    try:
        bank, args.topic = choose(banks, args.bank, args.topic)
    except UnknownChoiceError as exc:
        _err(str(exc))
        return 2
    name = player_name(args.name)
    store = await _open_store(args.db)
    if store is None:
        return 1
    screen = Screen(out)
    reader = LineReader()
    try:
        reader.start()
        with _ctrl_c_ends_input(reader):
            if args.review:
                uid = terminal_user_id(name)
                return await review(store, bank, uid, name, args, screen, reader)
            return await play_game(store, bank, args, name, out=screen, reader=reader)
    finally:
        reader.stop()
        await store.close()


async def leaderboard(args: argparse.Namespace, out: Out | None = None) -> int:
    """Print a guild's leaderboard (guild 0 holds terminal games)."""
    store = await _open_store(args.db, read_only=True)
    if store is None:
        return 1
    try:
        return await print_board(store, args, Screen(out), _quiet_banks(args.questions))
    finally:
        await store.close()


def topics(args: argparse.Namespace, out: Out | None = None) -> int:
    """List the banks, their topics and how many questions each has."""
    banks = read_banks(args.questions)
    if banks is None:
        return 1
    screen = Screen(out)
    for slug, bank in sorted(banks.items()):
        screen(f"{bank.title}", "title")
        screen(f"  bank: {slug} · {plural(len(bank.questions), 'question')}", "source")
        counts: dict[str, int] = {}
        for q in bank.questions:
            counts[q.topic] = counts.get(q.topic, 0) + 1
        width = max((len(t) for t in counts), default=0)
        for topic in sorted(counts):
            label = bank.topics.get(topic, topic)
            screen(f"  {topic:<{width}}  {plural(counts[topic], 'question'):>13}  {label}")
    screen("")
    screen("Play one: quizbot play --topic <topic or its title> (add --bank <bank> to choose).")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run `play`, `leaderboard` or `topics`."""
    if args.command == "topics":
        return topics(args)
    command = play if args.command == "play" else leaderboard
    try:
        return asyncio.run(command(args))
    except KeyboardInterrupt:
        _err("\nStopped; your answers so far are saved.")
        return 130
