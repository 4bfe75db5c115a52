"""`quizbot leaderboard`: a server's board printed in the terminal, read-only."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bot.store import Store

Out = Callable[[str], None]


async def print_board(store: Store, args: argparse.Namespace, out: Out) -> int:
    """Print a guild's leaderboard (guild 0 holds terminal games)."""
    board = await store.boards.leaderboard(
        args.guild,
        period="week" if args.week else "all",
        topic=args.topic,
        bank=args.bank,
        limit=10,
    )
    out(f"Leaderboard — {board.period_label}")
    if not board.rows:
        out("No answers yet. Play with `quizbot play`.")
        return 0
    out(f"{'#':>3}  {'player':<24} {'points':>7} {'accuracy':>8} {'games':>5} {'streak':>6}")
    for r in board.rows:
        name, acc = r.name[:24], f"{r.accuracy:.0%}"
        out(f"{r.rank:>3}  {name:<24} {r.points:>7} {acc:>8} {r.games:>5} {r.best_streak:>6}")
    return 0
