"""Quiet edges of real Discord: a message that mentions the bot, and a command sync that fails."""

from __future__ import annotations

import logging
import types

import discord.http
import pytest
from support.fakediscord import FakeDiscord
from support.quizharness import advance, click_and_read, quiz_bot, start_game, wait_message


async def test_a_mention_of_the_bot_logs_no_error(fake_discord: FakeDiscord, tmp_path) -> None:
    # The fixture fails the test on any ERROR the bot (or discord.py) logs.
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        mark = fake.mark()
        for text in (f"{fake.bot_user.mention} hello", f"<@!{fake.bot_user.id}> help", "hi"):
            await fake.say(alice, fake.channel, text)
        # A round trip through the gateway after the mentions: they have been handled by then.
        await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        await wait_message(fake, mark, title="Question 1/1")
    assert not fake.bot_errors
    said = [
        c.json.get("content") for c in fake.calls("POST", r"/channels/\d+/messages", after=mark)
    ]
    assert all("hello" not in (s or "") for s in said)


async def test_a_failed_command_sync_is_logged_and_the_bot_plays(
    fake_discord: FakeDiscord, tmp_path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")

    async def no_wait(_: float) -> None:
        return None

    # discord.py retries a 500 five times, sleeping 1 to 9 s between tries: skip the sleeps.
    fast = types.SimpleNamespace(**{**vars(discord.http.asyncio), "sleep": no_wait})
    monkeypatch.setattr(discord.http, "asyncio", fast)
    fake.fail_next(
        "PUT", r"/applications/\d+/commands", status=500, code=0,
        message="Internal Server Error", times=5,
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="bot"):
        async with quiz_bot(fake, tmp_path, force_sync=True) as bot:
            tries = fake.calls("PUT", r"/applications/\d+/commands")
            assert [c.status for c in tries] == [500] * 5
            assert not bot.synced and fake.commands.get(None) is None
            [record] = [r for r in caplog.records if "could not sync" in r.getMessage()]
            assert record.levelno >= logging.WARNING and record.exc_info is None

            mark = fake.mark()
            await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
            question = await wait_message(fake, mark, title="Question 1/1")
            right = bot.games.in_channel(fake.channel.id).engine.question.correct_index
            assert (await click_and_read(fake, alice, question, right)).startswith("Locked in")
            await advance(bot, 20)
            await wait_message(fake, mark, title="Answer:")
