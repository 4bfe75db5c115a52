"""Clear answers for commands that cannot run: DMs, missing bot permissions, bad input, banks."""

from __future__ import annotations

import logging

import pytest
from support.fakediscord import BOT_PERMISSIONS, EMBED_LINKS, MANAGE_GUILD, FakeDiscord
from support.quizharness import (
    TEST_BANK,
    embed_title,
    quiz_bot,
    start_game,
    wait_message,
    write_test_bank,
)


async def test_command_in_dms(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await fake.response_to(await start_game(fake, alice, fake.dm_channel(alice)))
        assert reply.ephemeral
        assert reply.content == "Use this in a server channel."
        assert len(bot.games) == 0


async def test_bot_missing_embed_links(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        inter = await fake.slash(
            alice, fake.channel, "quiz start", {}, app_permissions=BOT_PERMISSIONS & ~EMBED_LINKS
        )
        reply = await fake.response_to(inter)
        assert reply.ephemeral
        assert reply.content.startswith("I need the **Embed Links** permission in this channel.")
        assert len(bot.games) == 0
        assert fake.calls("POST", r"/channels/\d+/messages", after=mark) == []
        # Nor does a refused start count towards the cooldown.
        ok = await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        assert embed_title(ok.message).startswith("Quiz:")


async def test_unknown_topic_and_bank(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        reply = await fake.response_to(await start_game(fake, alice, topic="cooking"))
        assert reply.content == (
            "Unknown topic 'cooking'. Topics: claims, leaders, places. See `/quiz topics`."
        )
        reply = await fake.response_to(await start_game(fake, alice, bank="nope"))
        assert reply.content == "Unknown bank 'nope'. Banks: test-bank."
        # True/false questions cannot be typed, so a classic game of them has nothing to ask.
        started = start_game(fake, alice, topic="claims", mode="classic")
        reply = await fake.response_to(await started)
        assert reply.content == "Not enough questions for topic claims in bank test-bank."
        assert len(bot.games) == 0


async def test_stop_and_skip_only_for_starter_or_manager(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=3))
        await wait_message(fake, mark, title="Question 1/3")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        for command in ("quiz stop", "quiz skip"):
            reply = await fake.response_to(await fake.slash(bob, fake.channel, command))
            assert reply.ephemeral
            assert reply.content.startswith("Only alice, who started this game, or someone with")
        assert bot.games.in_channel(fake.channel.id) is live
        assert live.stopped_by is None and live.skip_index is None
        assert [m for m in fake.messages_in(fake.channel) if "🏁" in str(m["embeds"])] == []

        skip = await fake.response_to(await fake.slash(alice, fake.channel, "quiz skip"))
        assert skip.content == "⏭️ alice skipped the question." and not skip.ephemeral
        reveal = await wait_message(fake, mark, title="Answer:")
        assert reveal["embeds"][0]["description"].startswith("Skipped: no points")

        stop = await fake.response_to(await fake.slash(boss, fake.channel, "quiz stop"))
        assert stop.content == "⏹️ boss stopped the game." and not stop.ephemeral
        end = await wait_message(fake, mark, title="🏁 Game stopped")
        assert "stopped by boss" in end["embeds"][0]["description"]
        none = await fake.response_to(await fake.slash(bob, fake.channel, "quiz stop"))
        assert none.content.startswith("No game is running in this channel.")


@pytest.mark.expect_errors(r"skipping bank .*broken-bank")
async def test_broken_bank_is_skipped_and_logged(
    fake_discord: FakeDiscord, tmp_path, caplog
) -> None:
    fake = fake_discord
    questions = write_test_bank(tmp_path / "questions")
    broken = TEST_BANK.replace("bank: test-bank", "bank: broken-bank").replace(
        "  answer: Belgrade\n", "  answer: Paris\n"
    )
    write_test_bank(questions, broken, slug="broken-bank")
    alice = fake.add_user("alice")
    with caplog.at_level(logging.ERROR, logger="bot.client"):
        async with quiz_bot(fake, tmp_path, questions_dir=questions) as bot:
            assert sorted(bot.catalog.banks) == ["test-bank"]
            reply = await fake.response_to(await fake.slash(alice, fake.channel, "quiz topics"))
            assert [f["name"] for f in reply.embeds[0]["fields"]] == [
                "A small test bank [test-bank] · 6 questions"
            ]
            places = reply.embeds[0]["fields"][0]["value"].splitlines()
            assert "`places` Places (3)" in places
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "broken-bank/bank.yaml" in logged
    assert "'Paris' is not among the choices" in logged


async def test_topic_autocomplete(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        inter = await fake.autocomplete(
            alice, fake.channel, "quiz start", {"topic": "pla"}, focused="topic"
        )
        reply = await fake.response_to(inter)
        assert reply.choices == [{"name": "Places (3 questions)", "value": "places"}]
