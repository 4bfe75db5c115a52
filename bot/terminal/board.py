"""`quizbot leaderboard`: a server's board printed in the terminal, read-only."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.core.models import Bank
from bot.store import Store
from bot.terminal.screen import Screen

SHOWN = 10
#: Rows read beyond the shown ones, so players tied at the cut are all there to sort by name.
TIE_ROOM = 50


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def topic_slug(wanted: str, banks: Mapping[str, Bank]) -> str:
    """Return the topic slug for a slug or a title (any case); unknown names come back as typed."""
    key = _fold(wanted)
    for bank in banks.values():
        for slug in bank.topic_names():
            if key in (_fold(slug), _fold(bank.topics.get(slug, ""))):
                return slug
    return wanted.strip()


def bank_slug(wanted: str, banks: Mapping[str, Bank]) -> str:
    """Return the bank slug for a slug or a title (any case); unknown names come back as typed."""
    key = _fold(wanted)
    return next(
        (slug for slug, b in banks.items() if key in (_fold(slug), _fold(b.title))), wanted.strip()
    )


def header(args: argparse.Namespace, topic: str | None, bank: str | None) -> str:
    """Return the board's title with every active filter."""
    parts = ["this week (UTC)" if args.week else "all time"]
    if topic:
        parts.append(f"topic {topic}")
    if bank:
        parts.append(f"bank {bank}")
    parts.append("terminal games" if args.guild == 0 else f"server {args.guild}")
    return "Leaderboard — " + " · ".join(parts)


async def print_board(
    store: Store, args: argparse.Namespace, out: Screen, banks: Mapping[str, Bank] | None = None
) -> int:
    """Print a guild's leaderboard (guild 0 holds terminal games); 2 for an unknown filter."""
    banks = banks or {}
    topic = topic_slug(args.topic, banks) if args.topic else None
    bank = bank_slug(args.bank, banks) if args.bank else None
    if topic is not None:
        scored = await store.boards.scored_topics(args.guild)
        known = sorted(set(scored) | {t for b in banks.values() for t in b.topic_names()})
        if topic not in known:
            listed = ", ".join(known) or "none yet"
            out.error(f"Unknown topic {args.topic!r}. Topics: {listed}. See `quizbot topics`.")
            return 2
    board = await store.boards.leaderboard(
        args.guild,
        period="week" if args.week else "all",
        topic=topic,
        bank=bank,
        limit=SHOWN + TIE_ROOM,
    )
    if bank is not None and bank not in banks and not board.rows:
        listed = ", ".join(sorted(banks)) or "none found"
        out.error(f"Unknown bank {args.bank!r}: no answers under that name. Banks: {listed}.")
        return 2
    out(header(args, topic, bank), "title")
    if not board.rows:
        filtered = args.week or topic or bank
        out("No answers for these filters yet." if filtered else "No answers yet.")
        out("Play with `quizbot play`.")
        return 0
    rows = sorted(board.rows, key=lambda r: (r.rank, r.name.casefold(), r.user_id))[:SHOWN]
    out(
        f"{'#':>3}  {'player':<24} {'points':>7} {'accuracy':>8} {'games':>5} {'streak':>6}",
        "progress",
    )
    for r in rows:
        name, acc = r.name[:24], f"{r.accuracy:.0%}"
        out(f"{r.rank:>3}  {name:<24} {r.points:>7} {acc:>8} {r.games:>5} {r.best_streak:>6}")
    return 0
