"""`/stats member:` for someone who has left the server answers with their results, cleanly."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.learnkit import Played, command, fields, seed_game
from support.quizharness import eventually, quiz_bot


async def test_stats_of_a_member_who_left(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, gone = fake.add_user("alice"), fake.add_user("gone", global_name="Gone Player")
    async with quiz_bot(fake, tmp_path) as bot:
        await seed_game(bot, fake.guild.id, [Played(gone, True, 700)])
        await fake.remove_member(gone)
        guild = bot.get_guild(fake.guild.id)
        assert guild is not None
        await eventually(lambda: guild.get_member(gone.id) is None, "GUILD_MEMBER_REMOVE")

        reply = await command(fake, alice, "stats", {"member": gone})
        assert reply.ephemeral
        # Resolved as a user (no member object): the global name is what Discord shows.
        assert reply.embeds[0]["title"] == "📊 Stats · Gone Player"
        assert fields(reply)["Points"] == "700"
        # The option named a user, not a member: no member object reached the bot.
        sent = fake.interactions[reply.interaction.token].payload["data"]["resolved"]
        assert str(gone.id) in sent["users"] and "members" not in sent
