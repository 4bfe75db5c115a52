"""A sharded bot (two gateway connections) playing in servers on both shards at once."""

from __future__ import annotations

from pathlib import Path

from support.fakediscord import BOT_PERMISSIONS, MANAGE_GUILD, FakeDiscord
from support.fakediscord.gateway import shard_of
from support.importkit import SLUG, facts_text, import_file
from support.quizharness import (
    advance,
    click_and_read,
    posted,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)


async def test_two_shards_keep_each_servers_state_apart(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    fake.recommended_shards = 2  # what GET /gateway/bot answers, as for a large bot
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    east = fake.add_guild("East", shard=(0, 2))
    west = fake.add_guild("West", shard=(1, 2))
    east_room, west_room = fake.add_channel("quiz", east), fake.add_channel("quiz", west)
    assert (shard_of(east.id, 2), shard_of(west.id, 2)) == (0, 1)

    async with quiz_bot(fake, tmp_path) as bot:
        # One connection per shard, each told only about its own servers.
        sessions = sorted(fake.gateway.ready_sessions, key=lambda s: s.shard or (0, 0))
        assert [s.shard for s in sessions] == [(0, 2), (1, 2)]
        for session in sessions:
            guilds = {g for e, g in session.dispatched if e == "GUILD_CREATE"}
            assert (east.id if session.shard == (0, 2) else west.id) in guilds
            assert {shard_of(g, 2) for g in guilds if g is not None} == {session.shard[0]}
        assert bot.shard_count == 2
        assert (bot.get_guild(east.id).shard_id, bot.get_guild(west.id).shard_id) == (0, 1)

        # Per-server settings and an imported bank in the West only.
        for room, seconds, count in ((east_room, 10, 1), (west_room, 30, 2)):
            options = {"seconds": seconds, "questions": count}
            inter = await fake.slash(boss, room, "quiz settings", options)
            assert (await fake.response_to(inter)).ephemeral
        imported = await import_file(fake, boss, facts_text().encode(), channel=west_room)
        assert imported.embeds[0]["title"].startswith("Bank imported")
        assert SLUG in bot.catalog.banks_for(west.id)
        assert SLUG not in bot.catalog.banks_for(east.id)
        refused = await fake.response_to(await start_game(fake, alice, east_room, bank=SLUG))
        assert refused.ephemeral and bot.games.in_channel(east_room.id) is None

        # Both games at once, one on each shard.
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, east_room, topic="places"))
        await fake.response_to(await start_game(fake, bob, west_room, bank=SLUG))
        east_q = await wait_message(fake, mark, title="Question 1/1", channel=east_room)
        west_q = await wait_message(fake, mark, title="Question 1/2", channel=west_room)
        east_game, west_game = (
            bot.games.in_channel(east_room.id),
            bot.games.in_channel(west_room.id),
        )
        assert east_game is not None and west_game is not None
        assert (east_game.guild_id, west_game.guild_id) == (east.id, west.id)
        assert (east_game.bank_slug, west_game.bank_slug) == ("test-bank", SLUG)
        assert (east_game.engine.settings.seconds, west_game.engine.settings.seconds) == (10, 30)

        east_right = east_game.engine.question.correct_index
        west_right = west_game.engine.question.correct_index
        assert (await click_and_read(fake, alice, east_q, east_right)).startswith("Locked in")
        assert (await click_and_read(fake, bob, west_q, west_right)).startswith("Locked in")

        # Ten seconds close the East's round only; the West's stays open for thirty.
        await advance(bot, 10)
        await wait_message(fake, mark, title="Answer:", channel=east_room)
        assert not [m for m in posted(fake, mark, west_room) if "Answer" in str(m["embeds"])]
        await wait_message(fake, mark, title="🏁 Final results", channel=east_room)
        await wait_game_over(bot, east_game.game_id)
        assert bot.games.in_channel(west_room.id) is west_game
        await advance(bot, 20)
        await wait_message(fake, mark, title="Answer:", channel=west_room)

        answers = await bot.store.answers.for_game(east_game.game_id)
        assert [(a.user_id, a.correct) for a in answers] == [(alice.id, True)]
        answers = await bot.store.answers.for_game(west_game.game_id)
        assert [(a.user_id, a.correct) for a in answers] == [(bob.id, True)]
        # Each interaction reached only the connection of its server's shard.
        for session in sessions:
            seen = {g for e, g in session.dispatched if e == "INTERACTION_CREATE"}
            assert seen and {shard_of(g, 2) for g in seen if g is not None} == {session.shard[0]}
