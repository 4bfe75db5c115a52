"""Leaderboards: ISO weeks in UTC, ties, the caller's rank, pages, guilds and filters."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from support.storekit import AnswerFactory, FakeClock, new_game

from bot.store import AnswerRecord, LeaderRow, Store, week_key

SUNDAY_END = datetime(2026, 3, 8, 23, 59, 59, tzinfo=UTC)
MONDAY = datetime(2026, 3, 9, tzinfo=UTC)


def _expected(
    records: list[AnswerRecord],
    guild_id: int,
    week: str | None = None,
    topic: str | None = None,
    bank: str | None = None,
) -> list[tuple[int, int, int, int, int, int, int]]:
    """Rank stored answers independently: (rank, user, points, answers, correct, games, streak)."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    games: dict[int, set[int]] = defaultdict(set)
    for r in records:
        if r.guild_id != guild_id or (topic and r.topic != topic) or (bank and r.bank != bank):
            continue
        if week and week_key(r.answered_at) != week:
            continue
        t = totals[r.user_id]
        t[0] += r.points
        t[1] += 1
        t[2] += r.correct
        t[3] = max(t[3], r.streak)
        games[r.user_id].add(r.game_id)
    order = sorted(totals, key=lambda u: (-totals[u][0], u))
    out = []
    for i, user in enumerate(order):
        rank = out[-1][0] if out and out[-1][2] == totals[user][0] else i + 1
        p, a, c, s = totals[user]
        out.append((rank, user, p, a, c, len(games[user]), s))
    return out


def _plain(rows: list[LeaderRow]) -> list[tuple[int, int, int, int, int, int, int]]:
    return [
        (r.rank, r.user_id, r.points, r.answers, r.correct, r.games, r.best_streak) for r in rows
    ]


async def _answers(store: Store, records: list[AnswerRecord]) -> None:
    for r in records:
        assert await store.answers.record(r)


def test_iso_weeks_follow_the_iso_calendar_in_utc() -> None:
    assert date(2026, 1, 1).isoweekday() == 4  # a Thursday start gives 2026 a 53rd week
    assert week_key(datetime(2026, 12, 31, 12, tzinfo=UTC)) == "2026-W53"
    assert week_key(datetime(2027, 1, 3, 23, 59, 59, tzinfo=UTC)) == "2026-W53"
    assert week_key(datetime(2027, 1, 4, tzinfo=UTC)) == "2027-W01"
    assert week_key(datetime(2024, 12, 30, tzinfo=UTC)) == "2025-W01"
    assert week_key(SUNDAY_END) == "2026-W10"
    assert week_key(MONDAY) == "2026-W11"
    # 01:30 on Monday at UTC+2 is still Sunday in UTC.
    assert week_key(datetime(2026, 3, 9, 1, 30, tzinfo=timezone(timedelta(hours=2)))) == "2026-W10"


async def test_week_board_switches_at_monday_midnight_utc(
    store: Store, clock: FakeClock, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    east = timezone(timedelta(hours=2))
    await _answers(
        store,
        [
            answer(game, 0, 1, points=100, answered_at=SUNDAY_END),
            answer(game, 0, 3, points=70, answered_at=datetime(2026, 3, 9, 1, 30, tzinfo=east)),
            answer(game, 1, 2, points=50, answered_at=MONDAY),
        ],
    )
    clock.now = SUNDAY_END
    week = await store.boards.leaderboard(1, period="week")
    assert week.period_label == "week 2026-W10"
    assert [(r.user_id, r.points) for r in week.rows] == [(1, 100), (3, 70)]

    clock.now = MONDAY
    week = await store.boards.leaderboard(1, period="week")
    assert week.period_label == "week 2026-W11"
    assert [(r.user_id, r.points) for r in week.rows] == [(2, 50)]
    everything = await store.boards.leaderboard(1)
    assert everything.period_label == "all time"
    assert [r.user_id for r in everything.rows] == [1, 3, 2]


async def test_week_53_spans_the_new_year(
    store: Store, clock: FakeClock, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    await _answers(
        store,
        [
            answer(game, 0, 1, points=10, answered_at=datetime(2026, 12, 31, 9, tzinfo=UTC)),
            answer(game, 1, 1, points=20, answered_at=datetime(2027, 1, 2, 9, tzinfo=UTC)),
            answer(game, 2, 1, points=40, answered_at=datetime(2027, 1, 4, 9, tzinfo=UTC)),
        ],
    )
    clock.now = datetime(2027, 1, 3, 23, 59, 59, tzinfo=UTC)
    week = await store.boards.leaderboard(1, period="week")
    assert week.period_label == "week 2026-W53"
    assert [(r.points, r.answers) for r in week.rows] == [(30, 2)]
    clock.now = datetime(2027, 1, 4, tzinfo=UTC)
    week = await store.boards.leaderboard(1, period="week")
    assert week.period_label == "week 2027-W01"
    assert [(r.points, r.answers) for r in week.rows] == [(40, 1)]


async def test_ties_share_a_rank_and_order_by_user_id(store: Store, answer: AnswerFactory) -> None:
    game = await new_game(store)
    points = {40: 300, 30: 200, 10: 200, 20: 100, 50: 0}
    await _answers(store, [answer(game, 0, u, points=p) for u, p in points.items()])
    board = await store.boards.leaderboard(1)
    assert [(r.rank, r.user_id, r.points) for r in board.rows] == [
        (1, 40, 300), (2, 10, 200), (2, 30, 200), (4, 20, 100), (5, 50, 0),
    ]  # fmt: skip
    assert board.total_players == 5


async def test_pages_keep_competition_ranks_across_the_boundary(
    store: Store, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    points = [500, 400, 300, 300, 300, 100]
    await _answers(store, [answer(game, 0, u + 1, points=p) for u, p in enumerate(points)])
    first = await store.boards.leaderboard(1, limit=3, caller_id=5)
    assert [(r.rank, r.user_id) for r in first.rows] == [(1, 1), (2, 2), (3, 3)]
    assert first.caller is not None and (first.caller.rank, first.caller.user_id) == (3, 5)
    second = await store.boards.leaderboard(1, limit=3, offset=3, caller_id=5)
    assert [(r.rank, r.user_id) for r in second.rows] == [(3, 4), (3, 5), (6, 6)]
    assert second.caller is None  # on the page
    beyond = await store.boards.leaderboard(1, limit=3, offset=10, caller_id=6)
    assert beyond.rows == [] and beyond.total_players == 6
    assert beyond.caller is not None and beyond.caller.rank == 6
    with pytest.raises(ValueError, match="limit"):
        await store.boards.leaderboard(1, limit=0)
    with pytest.raises(ValueError, match="period"):
        await store.boards.leaderboard(1, period="month")  # type: ignore[arg-type]


async def test_caller_outside_the_top_ten_gets_their_rank(
    store: Store, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    await _answers(store, [answer(game, 0, u, points=1000 - u * 10) for u in range(1, 26)])
    board = await store.boards.leaderboard(1, caller_id=20)
    assert len(board.rows) == 10 and board.total_players == 25
    assert board.caller is not None
    assert (board.caller.rank, board.caller.user_id, board.caller.points) == (20, 20, 800)
    assert (await store.boards.leaderboard(1, caller_id=3)).caller is None  # already on the page
    assert (await store.boards.leaderboard(1, caller_id=999)).caller is None  # never answered


async def test_a_player_in_several_guilds_has_separate_scores(
    store: Store, answer: AnswerFactory
) -> None:
    g1 = await new_game(store, guild_id=1)
    g2 = await new_game(store, guild_id=2)
    await _answers(
        store,
        [
            answer(g1, 0, 5, guild_id=1, points=100),
            answer(g1, 1, 5, guild_id=1, points=30, correct=False, streak=0),
            answer(g2, 0, 5, guild_id=2, points=7),
            answer(g2, 0, 6, guild_id=2, points=9),
        ],
    )
    one = await store.boards.leaderboard(1)
    two = await store.boards.leaderboard(2)
    assert [(r.user_id, r.points, r.answers) for r in one.rows] == [(5, 130, 2)]
    assert [(r.user_id, r.points) for r in two.rows] == [(6, 9), (5, 7)]
    assert one.rows[0].accuracy == 0.5
    stats = await store.boards.player_stats(1, 5)
    assert stats is not None
    assert (stats.points, stats.answers, stats.correct, stats.games) == (130, 2, 1, 1)
    other = await store.boards.player_stats(2, 5)
    assert other is not None and other.points == 7
    assert await store.boards.player_stats(3, 5) is None


async def test_player_stats_by_topic(store: Store, answer: AnswerFactory) -> None:
    game = await new_game(store)
    later = await new_game(store)
    await _answers(
        store,
        [
            answer(game, 0, 5, topic="politics", points=100, streak=1),
            answer(game, 1, 5, topic="economy", points=0, correct=False, streak=0),
            answer(game, 2, 5, topic="economy", points=80, streak=1),
            answer(later, 0, 5, topic="economy", points=90, streak=4),
        ],
    )
    stats = await store.boards.player_stats(1, 5)
    assert stats is not None
    assert (stats.points, stats.games, stats.answers, stats.correct) == (270, 2, 4, 3)
    assert stats.best_streak == 4 and stats.accuracy == 0.75
    assert set(stats.by_topic) == {"economy", "politics"}
    economy = stats.by_topic["economy"]
    assert (economy.points, economy.answers, economy.correct) == (170, 3, 2)
    assert economy.accuracy == pytest.approx(2 / 3)


async def test_random_boards_match_an_independent_ranking(store: Store, clock: FakeClock) -> None:
    rng = random.Random(11)
    records: list[AnswerRecord] = []
    seen: set[tuple[int, int, int]] = set()
    for _ in range(12):
        guild = rng.choice([1, 2])
        bank = rng.choice(["news", "sport"])
        game = await new_game(store, guild_id=guild, bank=bank)
        for index in range(5):
            topic = rng.choice(["politics", "economy", "visit"])
            when = clock.now + timedelta(days=rng.randrange(-10, 3), hours=rng.randrange(24))
            for user in rng.sample(range(1, 40), 15):
                r = AnswerRecord(
                    game, index, guild, user, f"u{user}", f"q{index}", f"f{index}", topic, bank,
                    "x", rng.random() < 0.6, rng.choice([0, 50, 100, 150]), 700,
                    rng.randrange(6), when,
                )  # fmt: skip
                records.append(r)
                seen.add((game, index, user))
    await _answers(store, records)
    assert len(seen) == len(records)

    this_week = week_key(clock.now)
    for guild in (1, 2):
        for week in (None, this_week):
            for topic in (None, "economy"):
                for bank in (None, "sport"):
                    expected = _expected(records, guild, week, topic, bank)
                    period = "week" if week else "all"
                    board = await store.boards.leaderboard(
                        guild, period=period, topic=topic, bank=bank, limit=7, offset=4
                    )
                    assert _plain(board.rows) == expected[4:11]
                    assert board.total_players == len(expected)
                    whole = await store.boards.leaderboard(
                        guild, period=period, topic=topic, bank=bank, limit=100
                    )
                    assert _plain(whole.rows) == expected
