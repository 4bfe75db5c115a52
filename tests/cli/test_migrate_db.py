"""`quizbot migrate-db`: a played SQLite database moved into PostgreSQL reads the same there."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import asyncpg
import pytest
from support.storekit import START, FakeClock, assert_counted, new_game

from bot.cli import main
from bot.store import AnswerRecord, CardRow, GuildSettings, ReviewRecord, Store


def _count(card_json: str | None, review: ReviewRecord) -> CardRow:
    reps = 0 if card_json is None else int(json.loads(card_json)["reps"])
    return CardRow(
        review.user_id, review.bank, review.fact_id, json.dumps({"reps": reps + 1}),
        review.reviewed_at, 2, reps + 1, 0, review.reviewed_at,
    )  # fmt: skip


def _answer(  # noqa: PLR0917 - a test's shorthand
    game: int, index: int, guild: int, user: int, rng: random.Random, clock: FakeClock
) -> AnswerRecord:
    return AnswerRecord(
        game, index, guild, user, f"player {user}", f"q{index}", f"f{index}", "politics",
        "news", "A", rng.random() < 0.6, rng.randrange(0, 900), 1000, index, clock.now,
    )  # fmt: skip


async def _play(path: Path, clock: FakeClock) -> None:
    """Fill a SQLite file: two guilds' games, cards and reviews, settings, an import, and
    answers the aggregates have not counted yet."""
    rng = random.Random(4)
    store = await Store.open(path, clock=clock, fold_inline=False, fold_delay=None)
    try:
        for guild in (5, 6):
            game = await new_game(store, guild_id=guild)
            for index in range(3):
                await store.games.ask(game, index, f"q{index}", f"f{index}", "politics")
                records = [
                    _answer(game, index, guild, user, rng, clock) for user in range(100, 130)
                ]
                reviews = [
                    ReviewRecord(r.user_id, guild, "news", r.fact_id, 3, r.correct, START, "game")
                    for r in records
                ]
                await store.answers.record_round(records, reviews, _count)
            await store.games.finish(game)
        await store.guilds.save_settings(GuildSettings(5, seconds=30, web_page=True))
        await store.guilds.save_bank(5, "mine", "My bank", "title: My bank\n", 100)
        await store.reports.add(5, 100, "q1", "news", "unclear")
    finally:
        await store.close()


async def _reads(target: str, clock: FakeClock) -> list[object]:
    async with await Store.open(target, clock=clock, abort_running=False) as store:
        return [
            await store.boards.leaderboard(5, limit=50, caller_id=120),
            await store.boards.leaderboard(6, period="week", topic="politics", limit=50),
            await store.boards.player_stats(5, 101),
            await store.cards.for_user(110),
            await store.cards.learned_board(5, START),
            await store.guilds.settings(5),
            [(b.slug, b.title, b.yaml_text) for b in await store.guilds.banks(5)],
            await store.reports.recent(5),
            await store.reports.question_stats(),
            await store.answers.seen([100, 101], "news"),
        ]


async def test_a_played_database_reads_the_same_after_the_move(
    tmp_path: Path, pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    source = tmp_path / "quiz.db"
    await _play(source, clock)
    before = await _reads(str(source), clock)

    assert await asyncio.to_thread(main, ["migrate-db", "--from", str(source), "--to", pg_dsn]) == 0
    out = capsys.readouterr().out
    assert "answers: 180 rows" in out and "Done:" in out

    assert await _reads(pg_dsn, clock) == before
    await assert_counted(pg_dsn)
    # New rows continue after the copied ids, and the moved scores keep counting.
    async with await Store.open(pg_dsn, clock=clock) as store:
        game = await new_game(store, guild_id=5)
        assert game > 2
        await store.answers.record(_answer(game, 0, 5, 100, random.Random(1), clock))
    await assert_counted(pg_dsn)

    # A second copy into the same database is refused and changes nothing.
    conn = await asyncpg.connect(pg_dsn)
    try:
        answers = await conn.fetchval("SELECT COUNT(*) FROM answers")
        assert (
            await asyncio.to_thread(main, ["migrate-db", "--from", str(source), "--to", pg_dsn])
            == 1
        )
        assert "not empty" in capsys.readouterr().err
        assert await conn.fetchval("SELECT COUNT(*) FROM answers") == answers
    finally:
        await conn.close()


def test_wrong_arguments_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-db", "--from", "x.db", "--to", str(tmp_path / "y.db")]) == 2
    assert "postgresql://" in capsys.readouterr().err
    missing = tmp_path / "missing.db"
    assert main(["migrate-db", "--from", str(missing), "--to", "postgresql://u@127.0.0.1:1/d"]) == 1
    assert "no SQLite database" in capsys.readouterr().err
    assert not missing.exists()
