"""Games, questions asked, answers, seen questions and guild resets."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support.storekit import INTEGRITY_ERRORS, AnswerFactory, FakeClock, Query, new_game

from bot.store import Store


async def test_a_game_left_running_is_aborted_at_the_next_open(
    db_url: str, clock: FakeClock, answer: AnswerFactory
) -> None:
    store = await Store.open(db_url, clock=clock)
    running = await new_game(store)
    done = await new_game(store)
    for user in (1, 2):
        assert await store.answers.record(answer(running, 0, user))
    await store.games.finish(done)
    await store.close()

    clock.now += timedelta(hours=1)
    store = await Store.open(db_url, clock=clock)
    try:
        assert store.aborted_at_open == [running]
        game = await store.games.get(running)
        assert game is not None
        assert game.status == "aborted"
        assert game.ended_at == clock.now
        assert [a.user_id for a in await store.answers.for_game(running)] == [1, 2]
        finished = await store.games.get(done)
        assert finished is not None and finished.status == "finished"
        assert await store.games.abort_running() == []
        board = await store.boards.leaderboard(1)
        assert [r.user_id for r in board.rows] == [1, 2]
    finally:
        await store.close()


async def test_a_tool_beside_a_running_bot_can_leave_games_alone(
    db_url: str, clock: FakeClock
) -> None:
    bot = await Store.open(db_url, clock=clock)
    try:
        running = await new_game(bot)
        tool = await Store.open(db_url, clock=clock, abort_running=False)
        try:
            assert tool.aborted_at_open == []
            game = await tool.games.get(running)
            assert game is not None and game.status == "running"
        finally:
            await tool.close()
    finally:
        await bot.close()


async def test_game_row_round_trips(store: Store, clock: FakeClock) -> None:
    started = clock.now - timedelta(minutes=5)
    game_id = await store.games.start(3, 44, "news", "classic", "economy", 9, 7, started)
    game = await store.games.get(game_id)
    assert game is not None
    assert (game.guild_id, game.channel_id, game.bank, game.mode, game.topic) == (
        3, 44, "news", "classic", "economy",
    )  # fmt: skip
    assert (game.started_by, game.question_count, game.status) == (9, 7, "running")
    assert game.started_at == started and game.ended_at is None
    assert await store.games.get(game_id + 100) is None


async def test_finish_game_keeps_the_first_final_status(store: Store, clock: FakeClock) -> None:
    game_id = await new_game(store)
    clock.now += timedelta(minutes=3)
    await store.games.finish(game_id, "stopped")
    ended = clock.now
    clock.now += timedelta(minutes=3)
    await store.games.finish(game_id, "finished")
    game = await store.games.get(game_id)
    assert game is not None
    assert (game.status, game.ended_at) == ("stopped", ended)
    with pytest.raises(ValueError, match="status"):
        await store.games.finish(game_id, "running")
    with pytest.raises(ValueError, match="status"):
        await store.games.finish(game_id, "won")


async def test_answers_for_game_in_question_then_time_order(
    store: Store, clock: FakeClock, answer: AnswerFactory
) -> None:
    game_id = await new_game(store)
    t0 = clock.now
    await store.answers.record(answer(game_id, 1, 5, answered_at=t0 + timedelta(seconds=1)))
    await store.answers.record(answer(game_id, 0, 6, answered_at=t0 + timedelta(seconds=3)))
    await store.answers.record(answer(game_id, 0, 5, answered_at=t0 + timedelta(seconds=2)))
    await store.answers.record(answer(game_id, 0, 5, points=1))  # second click: ignored
    rows = await store.answers.for_game(game_id)
    assert [(r.question_index, r.user_id) for r in rows] == [(0, 5), (0, 6), (1, 5)]
    first = rows[0]
    assert first.answered_at == t0 + timedelta(seconds=2)
    assert (first.user_name, first.points, first.correct) == ("player5", 100, True)


async def test_a_naive_time_is_refused_before_anything_is_written(
    store: Store, answer: AnswerFactory
) -> None:
    game_id = await new_game(store)
    with pytest.raises(ValueError, match="naive"):
        await store.answers.record(answer(game_id, 0, 5, answered_at=datetime(2026, 1, 1)))
    assert await store.answers.for_game(game_id) == []


async def test_player_names_follow_the_latest_answer_or_upsert(
    store: Store, answer: AnswerFactory
) -> None:
    game_id = await new_game(store)
    await store.answers.record(answer(game_id, 0, 5, user_name="Ana"))
    await store.answers.record(answer(game_id, 1, 5, user_name="Ana B."))
    assert (await store.boards.leaderboard(1)).rows[0].name == "Ana B."
    await store.players.upsert(5, "Ana C.")
    assert (await store.boards.leaderboard(1)).rows[0].name == "Ana C."
    assert (await store.answers.for_game(game_id))[0].user_name == "Ana C."


async def test_asking_the_same_index_twice_fails(store: Store) -> None:
    game_id = await new_game(store)
    await store.games.ask(game_id, 0, "q0", "f0", "politics")
    with pytest.raises(INTEGRITY_ERRORS):
        await store.games.ask(game_id, 0, "q9", "f9", "politics")


async def test_seen_questions_covers_answered_and_asked(
    store: Store, answer: AnswerFactory
) -> None:
    # Player 5 started a game and was asked q0 and q1 but answered only q0.
    solo = await new_game(store, started_by=5)
    await store.games.ask(solo, 0, "q0", "f0", "politics")
    await store.games.ask(solo, 1, "q1", "f1", "politics")
    await store.answers.record(answer(solo, 0, 5, question_id="q0"))
    # Player 6 joined someone else's game: asked q2 and q3, answered q2 only.
    group = await new_game(store, started_by=99)
    await store.games.ask(group, 0, "q2", "f2", "politics")
    await store.games.ask(group, 1, "q3", "f3", "politics")
    await store.answers.record(answer(group, 0, 6, question_id="q2"))
    # Another bank never counts.
    other = await new_game(store, bank="sport", started_by=5)
    await store.games.ask(other, 0, "s0", "g0", "football")
    await store.answers.record(answer(other, 0, 5, question_id="s0", bank="sport"))

    assert await store.answers.seen([5], "news") == {"q0", "q1"}
    assert await store.answers.seen([6], "news") == {"q2", "q3"}
    assert await store.answers.seen([5, 6, 7, 2**63 - 1], "news") == {"q0", "q1", "q2", "q3"}
    assert await store.answers.seen([5], "sport") == {"s0"}
    assert await store.answers.seen([7], "news") == set()
    assert await store.answers.seen([], "news") == set()


async def test_reset_guild_clears_only_that_guild(
    store: Store, answer: AnswerFactory, query: Query
) -> None:
    g1 = await new_game(store, guild_id=1)
    g2 = await new_game(store, guild_id=2)
    for user in (5, 6, 7):
        await store.answers.record(answer(g1, 0, user, guild_id=1))
    await store.answers.record(answer(g1, 1, 5, guild_id=1))
    await store.answers.record(answer(g2, 0, 5, guild_id=2, points=40))

    assert await store.boards.reset_guild(1) == 4
    cleared = await store.boards.leaderboard(1, caller_id=5)
    assert (cleared.rows, cleared.total_players, cleared.caller) == ([], 0, None)
    assert await store.boards.player_stats(1, 5) is None
    assert await query("SELECT COUNT(*) FROM scores WHERE guild_id = 1") == [(0,)]
    other = await store.boards.leaderboard(2)
    assert [(r.user_id, r.points) for r in other.rows] == [(5, 40)]
    assert await store.boards.reset_guild(1) == 0

    # The game is still running: an answer after the reset counts the game as played again.
    await store.answers.record(answer(g1, 2, 5, guild_id=1))
    board = await store.boards.leaderboard(1)
    assert board.total_players == 1
    assert (board.rows[0].answers, board.rows[0].games) == (1, 1)
