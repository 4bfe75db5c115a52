"""What one server's page shows: its topics and one page of each board, read from the store.

Every board is one LIMIT/OFFSET page of the store's leaderboard query (an index range scan),
so a page costs the same on a server of ten players as on one of a million.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.core.models import Bank
from bot.store import LeaderRow, Store

Period = Literal["all", "week"]
PERIODS: tuple[Period, ...] = ("all", "week")
PAGE_SIZE = 10
#: Pages past this are refused: no board is that long, and offsets stay far from overflow.
MAX_PAGE = 100_000
UNNAMED = "Unnamed player"


@dataclass(frozen=True, slots=True)
class Line:
    """One player on a board, as the page shows it: never their user id."""

    rank: int
    name: str
    points: int
    accuracy: float
    games: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class BoardView:
    """One page of one board (all time or this week)."""

    period: Period
    label: str
    lines: tuple[Line, ...]
    page: int
    pages: int
    players: int


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic someone scored in, with its readable name."""

    slug: str
    name: str


def display_name(row: LeaderRow) -> str:
    """Return the name to show; a player known by no name shows as unnamed, never as an id."""
    # The store falls back to the user id as text when it has no name for a player.
    if not row.name.strip() or row.name == str(row.user_id):
        return UNNAMED
    return row.name


def topic_name(banks: Mapping[str, Bank], slug: str) -> str:
    """Return a topic's name from the first bank (by slug) that names it, else the slug."""
    for key in sorted(banks):
        name = banks[key].topics.get(slug)
        if name:
            return name
    return slug


def known_topic(banks: Mapping[str, Bank], slug: str) -> bool:
    """Tell whether some bank has questions in a topic."""
    return any(slug in bank.topic_names() for bank in banks.values())


async def topics(store: Store, guild_id: int, banks: Mapping[str, Bank]) -> list[Topic]:
    """Return the topics with someone on the guild's all-time board, by name."""
    slugs = await store.boards.scored_topics(guild_id)
    found = [Topic(slug, topic_name(banks, slug)) for slug in slugs]
    return sorted(found, key=lambda t: (t.name.casefold(), t.slug))


def week_dates(label: str) -> tuple[date, date] | None:
    """Return the Monday and Sunday of a label such as 'week 2026-W10', or None."""
    try:
        year, week = label.removeprefix("week ").split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None
    return monday, monday + timedelta(days=6)


async def board(
    store: Store, guild_id: int, period: Period, topic: str | None, page: int
) -> BoardView:
    """Return one page (from 1) of a board; a page past the end shows the last one."""
    if not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page must be from 1 to {MAX_PAGE}")

    async def fetch(number: int) -> tuple[list[LeaderRow], int, str]:
        result = await store.boards.leaderboard(
            guild_id, period=period, topic=topic, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        return result.rows, result.total_players, result.period_label

    rows, players, label = await fetch(page)
    pages = max(1, math.ceil(players / PAGE_SIZE))
    if page > pages:
        # A stale link (the board shrank, or a page number typed by hand): show the last page.
        page = pages
        rows, players, label = await fetch(page)
    lines = tuple(
        Line(r.rank, display_name(r), r.points, r.accuracy, r.games, r.best_streak) for r in rows
    )
    return BoardView(period, label, lines, page, pages, players)
