"""`/quiz settings`: managers only, defaults used by games, allowed channels, confirmed reset."""

from __future__ import annotations

import sqlite3

import pytest
from support.fakediscord import BOT_PERMISSIONS, MANAGE_GUILD, FakeDiscord
from support.quizharness import (
    advance,
    buttons_of,
    click_and_read,
    fields_of,
    quiz_bot,
    start_game,
    wait_edit,
    wait_game_over,
    wait_message,
)

from bot.store import GuildSettings


async def test_non_manager_is_refused_and_nothing_changes(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    bob = fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        before = await bot.store.guilds.settings(fake.guild.id)
        inter = await fake.slash(bob, fake.channel, "quiz settings", {"seconds": 60})
        reply = await fake.response_to(inter)
        assert reply.ephemeral
        assert reply.content == "You need the Manage Server permission to change quiz settings."
        assert await bot.store.guilds.settings(fake.guild.id) == before
    quiz = next(c for c in fake.commands[None] if c["name"] == "quiz")
    names = [o["name"] for o in quiz["options"]]
    assert {"start", "stop", "skip", "topics", "settings"} <= set(names)


async def test_manager_sets_defaults_and_channels(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    alice = fake.add_user("alice")
    games = fake.add_channel("games")
    async with quiz_bot(fake, tmp_path) as bot:
        options = {"seconds": 10, "questions": 2, "mode": "buttons", "allow_channel": games}
        reply = await fake.response_to(
            await fake.slash(boss, fake.channel, "quiz settings", options)
        )
        assert reply.ephemeral
        fields = fields_of(reply.embeds[0])
        assert fields["Seconds per question"] == "10"
        assert fields["Games allowed in"] == f"<#{games.id}>"
        saved = await bot.store.guilds.settings(fake.guild.id)
        assert saved == GuildSettings(fake.guild.id, 10, 2, "buttons", (games.id,))

        refused = await fake.response_to(await start_game(fake, alice))
        assert refused.content == f"Games can only be started in <#{games.id}> on this server."

        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, games, topic="places"))
        await wait_message(fake, mark, title="Question 1/2", channel=games)
        live = bot.games.in_channel(games.id)
        assert live is not None and live.engine.settings.seconds == 10
        await advance(bot, 10)
        await wait_message(fake, mark, title="Answer:", channel=games)

        options = {"disallow_channel": games}
        reply = await fake.response_to(
            await fake.slash(boss, fake.channel, "quiz settings", options)
        )
        assert fields_of(reply.embeds[0])["Games allowed in"] == "Every channel"


async def test_reset_leaderboard_needs_the_invokers_confirmation(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        question = await wait_message(fake, mark, title="Question 1/1")
        await click_and_read(fake, alice, question, 0)
        await advance(bot, 20)
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, 1)
        assert len(await bot.store.answers.for_game(1)) == 1

        inter = await fake.slash(boss, fake.channel, "quiz settings", {"reset_leaderboard": True})
        reply = await fake.response_to(inter, followups=1)
        prompt = reply.followups[0]
        assert prompt["content"].startswith("⚠️ Reset this server's leaderboard?")
        assert prompt["flags"] & 64  # private, like the settings reply
        confirm, cancel = buttons_of(prompt)
        assert (confirm["label"], cancel["label"]) == ("Reset leaderboard", "Cancel")

        other = await fake.response_to(await fake.click(alice, prompt["id"], confirm["custom_id"]))
        assert other.ephemeral and other.content == "Only the person who asked can answer this."
        assert len(await bot.store.answers.for_game(1)) == 1

        done = await fake.response_to(await fake.click(boss, prompt["id"], confirm["custom_id"]))
        # The click is answered at once; the message says the outcome once the reset is done.
        assert done.content == "🧹 Resetting the leaderboard…"
        final = await wait_edit(
            fake, prompt["id"], lambda m: m["content"].startswith("🧹 Leaderboard reset")
        )
        assert final["content"] == "🧹 Leaderboard reset by boss (1 answers deleted)."
        assert all(b["disabled"] for b in buttons_of(done.message))
        assert await bot.store.answers.for_game(1) == []


async def test_reset_prompt_times_out_on_the_bot_clock(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        inter = await fake.slash(boss, fake.channel, "quiz settings", {"reset_leaderboard": True})
        prompt = (await fake.response_to(inter, followups=1)).followups[0]
        await advance(bot, 59)
        assert not buttons_of(fake.message(prompt["id"]))[0]["disabled"]
        await advance(bot, 1)

        def expired() -> dict | None:
            msg = fake.message(prompt["id"])
            return msg if "timed out" in msg["content"] else None

        msg = await fake.wait_until(expired, 5, "the prompt to expire")
        assert msg["content"] == "Leaderboard reset timed out. Nothing changed."
        assert all(b["disabled"] for b in buttons_of(msg))


@pytest.mark.expect_errors(r"confirmation Reset leaderboard failed")
async def test_a_reset_that_fails_gets_an_apology(
    fake_discord: FakeDiscord, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        inter = await fake.slash(boss, fake.channel, "quiz settings", {"reset_leaderboard": True})
        prompt = (await fake.response_to(inter, followups=1)).followups[0]

        async def broken(guild_id: int) -> int:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(bot.store.boards, "reset_guild", broken)
        confirm = buttons_of(prompt)[0]["custom_id"]
        failed = await fake.response_to(await fake.click(boss, prompt["id"], confirm), followups=1)
        assert failed.followups[0]["content"] == "Something went wrong. Please try again."
        assert failed.followups[0]["flags"] & 64  # ephemeral
        final = await wait_edit(fake, prompt["id"], lambda m: "failed" in m["content"])
        assert final["content"] == "The leaderboard reset failed; nothing changed."
