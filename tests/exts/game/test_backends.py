"""A game, its leaderboard and a review through Discord on each backend: SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.fakediscord import FakeDiscord
from support.learnkit import command, description
from support.quizharness import (
    advance,
    click_and_read,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_game_then_the_board_and_a_review(
    fake_discord: FakeDiscord, tmp_path: Path, db_url: str
) -> None:
    fake = fake_discord
    fast, slow, wrong = fake.add_user("fast"), fake.add_user("slow"), fake.add_user("wrong")
    async with quiz_bot(fake, tmp_path, db_path=db_url) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, fast, topic="places", questions=2))
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        for number in (1, 2):
            msg = await wait_message(fake, mark, title=f"Question {number}/2")
            question = live.engine.question
            assert question is not None
            right = question.correct_index
            bad = (right + 1) % len(question.choices)
            assert (await click_and_read(fake, fast, msg, right)).startswith("Locked in")
            # A double click is refused and changes nothing.
            assert (await click_and_read(fake, fast, msg, bad)).startswith("You already answered")
            await advance(bot, 5)
            await click_and_read(fake, slow, msg, right)
            await click_and_read(fake, wrong, msg, bad)
            await advance(bot, 20)
            await wait_message(fake, mark, title="Answer:")
            mark = fake.mark()
            if number == 1:
                await advance(bot, 6)
        await wait_game_over(bot, live.game_id)

        rows = await bot.store.answers.for_game(live.game_id)
        assert len(rows) == 6  # three players, two questions, each answer once
        board = await command(fake, wrong, "leaderboard")
        lines = description(board).splitlines()
        points = {r.user_id: 0 for r in rows}
        for r in rows:
            points[r.user_id] += r.points
        assert points[fast.id] > points[slow.id] > points[wrong.id] == 0
        assert lines[0].startswith(f"🥇 **fast** — {points[fast.id]:,} pts · 100% right · 1 game")
        assert lines[1].startswith(f"🥈 **slow** — {points[slow.id]:,} pts · 100% right")
        assert lines[2].startswith("🥉 **wrong** — 0 pts · 0% right")
        # The missed facts are waiting in the wrong player's review.
        review = await command(fake, wrong, "review")
        assert review.ephemeral
        assert review.embeds, review.content
    assert not fake.bot_errors
