"""The terminal player: `quizbot play` (a game or a review) and `quizbot leaderboard`.

A game runs through the same game loop as a Discord channel (`bot.services.games`), shown by
`bot.terminal.presenter`; answers and review cards go to the same store.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from collections.abc import Callable

from bot.core.bank import load_banks
from bot.core.models import BankError
from bot.store import MigrationError, Store
from bot.terminal.board import print_board
from bot.terminal.lines import LineReader
from bot.terminal.play import play_game, player_name, terminal_user_id
from bot.terminal.review import review

Out = Callable[[str], None]


async def _open_store(path: str, *, read_only: bool = False) -> Store | None:
    """Open the store at `path`, or explain on stderr why it cannot be used."""
    try:
        # The bot may be running on the same file: its live games are not ours to abort.
        return await Store.open(path, abort_running=False, read_only=read_only)
    except (sqlite3.Error, OSError, ValueError, MigrationError) as exc:
        print(f"Cannot use the database {path}: {exc}", file=sys.stderr)
        return None


async def play(args: argparse.Namespace, out: Out = print) -> int:
    """Play one terminal game, or a review with `--review`; answers go to the store."""
    try:
        banks = load_banks(args.questions)
    except BankError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 1
    if not banks:
        print(f"No banks under {args.questions}/: run quizbot generate.", file=sys.stderr)
        return 1
    slug = args.bank or next(iter(banks))
    if slug not in banks:
        print(f"Unknown bank {slug!r}; banks: {', '.join(banks)}", file=sys.stderr)
        return 2
    bank = banks[slug]
    name = player_name(args.name)
    store = await _open_store(args.db)
    if store is None:
        return 1
    reader = LineReader()
    reader.start()
    try:
        if args.review:
            return await review(store, bank, terminal_user_id(name), name, args, out, reader)
        return await play_game(store, bank, args, name, out=out, reader=reader)
    finally:
        reader.stop()
        await store.close()


async def leaderboard(args: argparse.Namespace, out: Out = print) -> int:
    """Print a guild's leaderboard (guild 0 holds terminal games)."""
    store = await _open_store(args.db, read_only=True)
    if store is None:
        return 1
    try:
        return await print_board(store, args, out)
    finally:
        await store.close()


def run(args: argparse.Namespace) -> int:
    """Run `play` or `leaderboard`."""
    command = play if args.command == "play" else leaderboard
    try:
        return asyncio.run(command(args))
    except KeyboardInterrupt:
        print("\nStopped; your answers so far are saved.", file=sys.stderr)
        return 130
