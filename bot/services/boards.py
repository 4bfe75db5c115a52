"""The data behind `/leaderboard` and `/stats`: board pages, player results, learning progress."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from bot.core.clock import Clock
from bot.core.mastery import TopicMastery, day_streak, topic_mastery
from bot.core.models import Bank
from bot.core.scoring import competition_ranks
from bot.services.facts import facts_of
from bot.store import Store
from bot.store.records import CardRow, Leaderboard, LeaderRow, PlayerStats

PAGE_SIZE = 10
#: Weeks of reviews the /stats chart shows.
CHART_WEEKS = 8
# A facts board is read whole and paged here; no guild has this many learners in one board.
FACTS_BOARD_LIMIT = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Period = Literal["all", "week"]
RankBy = Literal["points", "facts"]
PERIODS: tuple[Period, ...] = ("all", "week")
RANK_BY: tuple[RankBy, ...] = ("points", "facts")


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """Which board a player asked for, and which page of it they look at."""

    owner_id: int
    period: Period = "all"
    rank_by: RankBy = "points"
    topic: str | None = None
    bank: str | None = None
    page: int = 0
    #: Shown as a picture (the same lines, drawn) rather than as text.
    picture: bool = False


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One ranked player; a facts board fills only rank, user, name and `facts`."""

    rank: int
    user_id: int
    name: str
    points: int = 0
    accuracy: float = 0.0
    games: int = 0
    best_streak: int = 0
    facts: int = 0


@dataclass(frozen=True, slots=True)
class BoardPage:
    """One page of a board; `caller` is the owner's line when it is not on this page."""

    query: BoardQuery
    lines: list[BoardLine]
    pages: int
    total_players: int
    caller: BoardLine | None
    period_label: str

    @property
    def empty(self) -> bool:
        """Tell whether nobody is on the board at all."""
        return self.total_players == 0


def page_path(guild_id: int) -> str:
    """Return the path of a server's leaderboard web page, to join to the site's address."""
    return f"/g/{int(guild_id)}"


def week_start(now: datetime) -> datetime:
    """Return Monday 00:00 UTC of the ISO week containing `now`."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def _line(row: LeaderRow) -> BoardLine:
    return BoardLine(
        rank=row.rank,
        user_id=row.user_id,
        name=row.name,
        points=row.points,
        accuracy=row.accuracy,
        games=row.games,
        best_streak=row.best_streak,
    )


def _pages(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


async def _points_page(store: Store, guild_id: int, query: BoardQuery) -> BoardPage:
    async def fetch(page: int) -> Leaderboard:
        return await store.boards.leaderboard(
            guild_id,
            period=query.period,
            topic=query.topic,
            bank=query.bank,
            limit=PAGE_SIZE,
            offset=page * PAGE_SIZE,
            caller_id=query.owner_id,
        )

    page = max(0, query.page)
    board = await fetch(page)
    pages = _pages(board.total_players)
    if page >= pages:
        # The board shrank (a reset) since the buttons were drawn: show its last page.
        page = pages - 1
        board = await fetch(page)
    return BoardPage(
        query=replace(query, page=page),
        lines=[_line(r) for r in board.rows],
        pages=pages,
        total_players=board.total_players,
        caller=_line(board.caller) if board.caller else None,
        period_label=board.period_label,
    )


async def _facts_page(store: Store, guild_id: int, query: BoardQuery, now: datetime) -> BoardPage:
    _, label = store.boards.period_key(query.period)
    since = week_start(now) if query.period == "week" else EPOCH
    rows = await store.cards.learned_board(guild_id, since, limit=FACTS_BOARD_LIMIT)
    ranks = competition_ranks([learned for _, _, learned in rows])
    lines = [
        BoardLine(rank=rank, user_id=user_id, name=name, facts=learned)
        for rank, (user_id, name, learned) in zip(ranks, rows, strict=True)
    ]
    pages = _pages(len(lines))
    page = min(max(0, query.page), pages - 1)
    shown = lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    caller = None
    if all(line.user_id != query.owner_id for line in shown):
        caller = next((line for line in lines if line.user_id == query.owner_id), None)
    return BoardPage(replace(query, page=page), shown, pages, len(lines), caller, label)


@dataclass(frozen=True, slots=True)
class BankMastery:
    """A player's mastery of one bank's topics."""

    bank: Bank
    topics: list[TopicMastery]


@dataclass(frozen=True, slots=True)
class PlayerOverview:
    """What `/stats` shows: game results in this guild and learning progress."""

    user_id: int
    stats: PlayerStats | None
    mastery: list[BankMastery]
    due: int
    day_streak: int
    next_due: datetime | None
    reviewed_facts: int
    #: Facts reviewed in each of the last weeks (Monday, reviews), oldest first.
    weekly_reviews: list[tuple[date, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Tell whether the player has neither played nor reviewed anything."""
        return self.stats is None and self.reviewed_facts == 0


def _mastery(banks: Mapping[str, Bank], cards: list[CardRow], now: datetime) -> list[BankMastery]:
    by_bank: dict[str, list[CardRow]] = {}
    for card in cards:
        by_bank.setdefault(card.bank, []).append(card)
    out: list[BankMastery] = []
    for slug in sorted(by_bank):
        bank = banks.get(slug)
        if bank is None:
            continue
        topics = topic_mastery(facts_of(bank), by_bank[slug], now)
        out.append(BankMastery(bank, [t for t in topics if t.seen]))
    return out


class Boards:
    """The pages of a guild's boards and a player's overview, read from the store."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def page(self, guild_id: int, query: BoardQuery) -> BoardPage:
        """Return the requested page of a guild's points or facts-learned board."""
        if query.rank_by == "facts":
            return await _facts_page(self.store, guild_id, query, self.clock.now())
        return await _points_page(self.store, guild_id, query)

    async def overview(
        self, guild_id: int, user_id: int, banks: Mapping[str, Bank]
    ) -> PlayerOverview:
        """Return a player's results in a guild and their learning progress in `banks`."""
        store = self.store
        now = self.clock.now()
        stats = await store.boards.player_stats(guild_id, user_id)
        cards = [c for c in await store.cards.for_user(user_id) if c.bank in banks]
        days = await store.cards.review_days(user_id)
        weekly = await store.cards.weekly_reviews(user_id, now, weeks=CHART_WEEKS)
        due = sum(1 for c in cards if c.due <= now)
        later = [c.due for c in cards if c.due > now]
        return PlayerOverview(
            user_id=user_id,
            stats=stats,
            mastery=_mastery(banks, cards, now),
            due=due,
            day_streak=day_streak(days, now.astimezone(UTC).date()),
            next_due=min(later, default=None),
            reviewed_facts=len(cards),
            weekly_reviews=weekly,
        )
