"""Many players answering one question at once: exactly one stored answer each."""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict

import pytest
from support.storekit import FakeClock, assert_counted, new_game

from bot.store import AnswerRecord, Store


def _calls(
    game_id: int, rng: random.Random, clock: FakeClock, scale: int = 1
) -> list[AnswerRecord]:
    """Return 1,000 × `scale` answers to one question: 600 × `scale` players, of whom
    250 × `scale` click twice and 75 × `scale` three times."""
    base = 1_234_567_890_123_456_789  # Discord snowflakes use most of a signed 64-bit integer
    players = list(range(base, base + 600 * scale))
    clickers = rng.sample(players, 325 * scale)
    repeats = Counter(dict.fromkeys(players, 1))
    repeats.update(dict.fromkeys(clickers[: 250 * scale], 1))
    repeats.update(dict.fromkeys(clickers[250 * scale :], 2))
    order = [p for p in players for _ in range(repeats[p])]
    rng.shuffle(order)
    assert len(order) == 1000 * scale
    calls = []
    for user_id in order:
        correct = rng.random() < 0.6
        calls.append(
            AnswerRecord(
                game_id=game_id,
                question_index=0,
                guild_id=7,
                user_id=user_id,
                user_name=f"p{user_id % 1000}",
                question_id="q-1",
                fact_id="f-1",
                topic="politics",
                bank="news",
                answer=rng.choice(["A", "B", "C", "D"]),
                correct=correct,
                points=rng.randrange(50, 1000) if correct else 0,
                elapsed_ms=rng.randrange(200, 20_000),
                streak=rng.randrange(0, 5),
                answered_at=clock.now,
            )
        )
    return calls


@pytest.mark.parametrize(
    ("max_batch", "window", "scale"),
    [(1000, 0.002, 1), (64, 0.002, 1), (1000, 0.0, 1), (1000, 0.002, 10)],
    ids=["batched", "small-batches", "no-window", "10k"],
)
async def test_concurrent_answers_store_exactly_one_per_player(
    db_url: str, clock: FakeClock, max_batch: int, window: float, scale: int
) -> None:
    store = await Store.open(db_url, clock=clock, max_batch=max_batch, batch_window=window)
    try:
        game_id = await new_game(store, guild_id=7)
        await store.games.ask(game_id, 0, "q-1", "f-1", "politics")
        calls = _calls(game_id, random.Random(max_batch), clock, scale)

        results = await asyncio.gather(*(store.answers.record(c) for c in calls))

        accepted: dict[int, int] = defaultdict(int)
        first: dict[int, AnswerRecord] = {}
        for call, ok in zip(calls, results, strict=True):
            accepted[call.user_id] += ok
            first.setdefault(call.user_id, call)
        assert set(accepted.values()) == {1}
        assert len(accepted) == 600 * scale

        stored = await store.answers.for_game(game_id)
        assert len(stored) == 600 * scale
        assert len({a.user_id for a in stored}) == 600 * scale
        # The first click that reached the store is the one kept.
        for row in stored:
            kept = first[row.user_id]
            assert (row.points, row.answer) == (kept.points, kept.answer)

        board = await store.boards.leaderboard(7, limit=10_000)
        assert board.total_players == 600 * scale
        assert sum(r.points for r in board.rows) == sum(a.points for a in stored)
        assert all(r.answers == 1 and r.games == 1 for r in board.rows)
        assert sum(r.correct for r in board.rows) == sum(a.correct for a in stored)
    finally:
        await store.close()
    await assert_counted(db_url)


async def test_answers_across_questions_and_games_keep_totals(
    store: Store, clock: FakeClock, db_url: str
) -> None:
    rng = random.Random(3)
    games = [await new_game(store, guild_id=7) for _ in range(3)]
    calls = []
    for game_id in games:
        for index in range(4):
            for user_id in rng.sample(range(1, 80), 40):
                for _ in range(rng.choice([1, 1, 2])):
                    calls.append(
                        AnswerRecord(
                            game_id, index, 7, user_id, f"u{user_id}", f"q{index}", f"f{index}",
                            ("politics", "economy")[index % 2], "news", "x", True,
                            rng.randrange(1, 500), 900, index, clock.now,
                        )
                    )  # fmt: skip
    rng.shuffle(calls)

    results = await asyncio.gather(*(store.answers.record(c) for c in calls))

    distinct = {(c.game_id, c.question_index, c.user_id) for c in calls}
    assert sum(results) == len(distinct)
    await assert_counted(db_url)
    # "games" counts distinct games with at least one answer, overall and per topic.
    played = defaultdict(set)
    for game_id, _, user_id in distinct:
        played[user_id].add(game_id)
    board = await store.boards.leaderboard(7, limit=100)
    assert {r.user_id: r.games for r in board.rows} == {u: len(g) for u, g in played.items()}
    per_topic = defaultdict(set)
    for game_id, index, user_id in distinct:
        if index % 2 == 1:
            per_topic[user_id].add(game_id)
    economy = await store.boards.leaderboard(7, topic="economy", limit=100)
    assert {r.user_id: r.games for r in economy.rows} == {u: len(g) for u, g in per_topic.items()}


async def test_record_answers_handles_a_round_in_one_call(
    store: Store, clock: FakeClock, db_url: str
) -> None:
    game_id = await new_game(store, guild_id=7)
    calls = _calls(game_id, random.Random(5), clock)
    results = await store.answers.record_many(calls)
    first_seen: set[int] = set()
    expected = []
    for call in calls:
        expected.append(call.user_id not in first_seen)
        first_seen.add(call.user_id)
    assert results == expected
    assert len(await store.answers.for_game(game_id)) == 600
    await assert_counted(db_url)
    assert await store.answers.record_many([]) == []
