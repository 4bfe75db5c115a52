"""Boards of every bank: stored only once two banks count in them, read the same either way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from support.storekit import (
    AnswerFactory,
    FakeClock,
    board_sizes,
    counted_sizes,
    expected_scores,
    new_game,
    stored_scores,
)

from bot.store import Store


def _stored_banks(raw: sqlite3.Connection, guild_id: int = 1) -> set[tuple[str, str]]:
    """Return the (topic, bank) of every board a guild has rows stored for."""
    rows = raw.execute(
        """SELECT DISTINCT sc.topic, sc.bank FROM scores AS s
           JOIN score_scopes AS sc ON sc.scope_id = s.scope_id WHERE s.guild_id = ?""",
        (guild_id,),
    )
    return set(rows)


def _exact(raw: sqlite3.Connection) -> None:
    assert stored_scores(raw) == expected_scores(raw)
    assert board_sizes(raw) == counted_sizes(raw)


async def _play(store: Store, answer: AnswerFactory, bank: str, topic: str, users: range) -> None:
    game = await new_game(store, bank=bank)
    await store.answers.record_many(
        [answer(game, 0, u, bank=bank, topic=topic, points=10 * u) for u in users]
    )


async def test_a_server_playing_one_bank_stores_only_that_banks_boards(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    async with await Store.open(db_path, clock=clock, fold_delay=None) as store:
        await _play(store, answer, "news", "politics", range(1, 4))
        await _play(store, answer, "news", "economy", range(2, 6))
        # Half the rows an answer would cost if every board were stored.
        assert _stored_banks(raw) == {("", "news"), ("politics", "news"), ("economy", "news")}
        _exact(raw)
        every = await store.boards.leaderboard(1, caller_id=1)
        news = await store.boards.leaderboard(1, bank="news", caller_id=1)
        assert every == news
        assert [(r.user_id, r.points) for r in every.rows] == [
            (3, 60), (5, 50), (2, 40), (4, 40), (1, 10)
        ]  # fmt: skip
        assert every.total_players == 5
        topic = await store.boards.leaderboard(1, topic="economy", period="week")
        assert [(r.user_id, r.points) for r in topic.rows] == [(5, 50), (4, 40), (3, 30), (2, 20)]
        stats = await store.boards.player_stats(1, 2)
        assert stats is not None
        assert (stats.points, stats.games) == (40, 2)
        assert {t: s.points for t, s in stats.by_topic.items()} == {"politics": 20, "economy": 20}
        assert await store.boards.scored_topics(1) == ["economy", "politics"]


async def test_a_second_bank_in_a_topic_starts_its_board_of_every_bank_from_the_first(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    async with await Store.open(db_path, clock=clock, fold_delay=None) as store:
        await _play(store, answer, "news", "economy", range(1, 4))
        assert ("economy", "") not in _stored_banks(raw)
        await _play(store, answer, "sport", "economy", range(3, 5))
        # Both banks' players on the topic's board, player 3 with points from both.
        assert {("economy", ""), ("", "")} <= _stored_banks(raw)
        _exact(raw)
        board = await store.boards.leaderboard(1, topic="economy")
        assert [(r.user_id, r.points) for r in board.rows] == [(3, 60), (4, 40), (2, 20), (1, 10)]
        assert board.total_players == 4
        assert (await store.boards.leaderboard(1, topic="economy", bank="news")).total_players == 3
        stats = await store.boards.player_stats(1, 3)
        assert stats is not None
        assert (stats.points, stats.games, stats.by_topic["economy"].points) == (60, 2, 60)
        # From now on the board of every bank is kept with each answer.
        await _play(store, answer, "news", "economy", range(1, 2))
        _exact(raw)
        board = await store.boards.leaderboard(1, topic="economy")
        assert [(r.user_id, r.points) for r in board.rows] == [(3, 60), (4, 40), (1, 20), (2, 20)]


async def test_two_new_banks_in_one_batch_share_a_board_at_once(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    async with await Store.open(db_path, clock=clock, fold_delay=None, fold_inline=False) as lazy:
        news, sport = await new_game(lazy, bank="news"), await new_game(lazy, bank="sport")
        await lazy.answers.record_many(
            [answer(news, 0, 1, bank="news", topic="economy", points=5),
             answer(sport, 0, 1, bank="sport", topic="economy", points=7),
             answer(sport, 1, 2, bank="sport", topic="economy", points=1)]
        )  # fmt: skip
        board = await lazy.boards.leaderboard(1, topic="economy")  # folds all three at once
        assert [(r.user_id, r.points, r.games) for r in board.rows] == [(1, 12, 2), (2, 1, 1)]
        _exact(raw)


async def test_a_reset_server_forgets_its_banks(
    db_path: Path, clock: FakeClock, answer: AnswerFactory, raw: sqlite3.Connection
) -> None:
    async with await Store.open(db_path, clock=clock, fold_delay=None) as store:
        await _play(store, answer, "news", "economy", range(1, 3))
        await store.boards.reset_guild(1)
        assert raw.execute("SELECT COUNT(*) FROM board_banks").fetchone() == (0,)
        # A bank played after the reset is the only one again: nothing stale is merged in.
        await _play(store, answer, "sport", "economy", range(2, 4))
        assert ("economy", "") not in _stored_banks(raw)
        _exact(raw)
        board = await store.boards.leaderboard(1, topic="economy")
        assert [(r.user_id, r.points) for r in board.rows] == [(3, 30), (2, 20)]
