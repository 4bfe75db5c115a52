"""Restarts and crashes: old buttons say the game ended, unfinished games are closed as aborted."""

from __future__ import annotations

import pytest
from support.fakediscord import FakeDiscord
from support.quizharness import (
    buttons_of,
    click_and_read,
    quiz_bot,
    start_game,
    wait_message,
    wait_status,
)

from bot.core.clock import ManualClock
from bot.exts.game.embeds import ABORTED_TEXT
from bot.store import Store


async def test_restart_mid_game(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=3))
        question = await wait_message(fake, mark, title="Question 1/3")
        assert await click_and_read(fake, alice, question, 0) == "Locked in: A"
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        game_id = live.game_id

    async with quiz_bot(fake, tmp_path) as bot:
        # The buttons of the old message still route to the new process.
        reply = await fake.response_to(
            await fake.click(bob, question["id"], buttons_of(question)[1]["custom_id"])
        )
        assert reply.ephemeral and reply.content == "This game has ended."
        game = await bot.store.games.get(game_id)
        assert game is not None and game.status == "aborted"
        # The open round was never scored, so nothing was stored for it.
        assert await bot.store.answers.for_game(game_id) == []
        # The channel is free again.
        mark = fake.mark()
        await fake.response_to(await start_game(fake, bob, topic="places", questions=1))
        await wait_message(fake, mark, title="Question 1/1")
        assert not fake.bot_errors


async def test_game_left_running_by_a_crash_is_aborted_at_start(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    db = tmp_path / "quiz.db"
    clock = ManualClock()
    store = await Store.open(db, clock=clock.now)
    try:
        crashed = await store.games.start(fake.guild.id, fake.channel.id, "test-bank", "buttons",
                                         None, 1, 3)  # fmt: skip
    finally:
        await store.close()
    async with quiz_bot(fake, tmp_path, clock=clock, db_path=db) as bot:
        assert bot.aborted_on_start == [crashed]
        game = await bot.store.games.get(crashed)
        assert game is not None and game.status == "aborted"


@pytest.mark.expect_errors(r"game 1 in channel \d+ crashed")
async def test_crashing_game_task_is_aborted_and_says_so(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        # Posting the first question fails (permissions changed after the start).
        fake.fail_next("POST", rf"/channels/{fake.channel.id}/messages")
        await fake.response_to(await start_game(fake, alice, topic="places", questions=2))
        notice = await wait_message(fake, mark, content=ABORTED_TEXT)
        assert notice["content"] == ABORTED_TEXT
        posts = fake.calls("POST", rf"/channels/{fake.channel.id}/messages", after=mark)
        assert [c.status for c in posts] == [403, 200]  # the failed question, then the notice
        await wait_status(bot, 1, "aborted")
        assert bot.games.in_channel(fake.channel.id) is None
