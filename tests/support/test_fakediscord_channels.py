"""The fake Discord's threads, forums, voice channels, overwrites and shards, seen by discord.py."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from support.fakediscord import FakeDiscord, running_bot
from support.fakediscord.gateway import shard_of
from support.fakediscord.payloads import (
    EMBED_LINKS,
    MANAGE_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
)
from support.quizharness import eventually


def make_client(**kwargs: Any) -> discord.Client:
    """A plain client that only watches guilds (threads and channels come with them)."""
    intents = discord.Intents.none()
    intents.guilds = True
    return discord.Client(intents=intents, **kwargs)


async def _post(client: discord.Client, channel_id: int) -> discord.Message:
    return await client.get_partial_messageable(channel_id).send("hi")


async def test_guild_create_carries_the_channel_types_and_visible_threads(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    voice, forum = fake.add_voice_channel("Lounge"), fake.add_forum("ideas")
    public = await fake.add_thread(fake.channel, "open", owner=alice)
    hidden = await fake.add_thread(fake.channel, "hidden", owner=alice, private=True)
    joined = await fake.add_thread(
        fake.channel, "joined", owner=alice, private=True, members=(fake.bot_user,)
    )
    post = await fake.forum_post(forum, "First idea", alice, "What about a quiz?")
    async with running_bot(fake, make_client()) as client:
        guild = client.get_guild(fake.guild.id)
        assert guild is not None
        assert isinstance(guild.get_channel(voice.id), discord.VoiceChannel)
        assert isinstance(guild.get_channel(forum.id), discord.ForumChannel)
        threads = {t.id: t for t in guild.threads}
        assert set(threads) == {public.id, joined.id, post.id}
        assert threads[joined.id].type is discord.ChannelType.private_thread
        assert threads[joined.id].me is not None and threads[public.id].me is None
        assert threads[post.id].parent_id == forum.id
        assert threads[public.id].owner_id == alice.id
        assert hidden.id not in threads


async def test_thread_events_reach_the_client(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_client()) as client:
        guild = client.get_guild(fake.guild.id)
        assert guild is not None
        thread = await fake.add_thread(fake.channel, "new", owner=alice)
        await eventually(lambda: guild.get_thread(thread.id), "THREAD_CREATE")
        secret = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
        await fake.add_thread_member(secret, fake.bot_user)
        seen = await eventually(lambda: guild.get_thread(secret.id), "the bot added to a thread")
        assert seen.me is not None
        await fake.set_thread_state(thread, archived=True)
        await eventually(lambda: guild.get_thread(thread.id) is None, "THREAD_UPDATE")


async def test_rest_refuses_what_discord_refuses_in_threads_and_forums(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    forum = fake.add_forum("ideas")
    async with running_bot(fake, make_client()) as client:
        secret = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
        with pytest.raises(discord.Forbidden) as hidden:
            await _post(client, secret.id)
        assert hidden.value.code == 50001
        with pytest.raises(discord.Forbidden):
            await client.http.join_thread(secret.id)
        with pytest.raises(discord.HTTPException) as into_forum:
            await _post(client, forum.id)
        assert (into_forum.value.status, into_forum.value.code) == (400, 50008)

        await fake.add_thread_member(secret, fake.bot_user)
        assert (await _post(client, secret.id)).channel.id == secret.id
        public = await fake.add_thread(fake.channel, "open", owner=alice)
        await client.http.join_thread(public.id)
        assert fake.bot_user.id in public.members
        await fake.set_thread_state(public, archived=True)
        with pytest.raises(discord.HTTPException) as archived:
            await client.http.join_thread(public.id)
        assert archived.value.code == 50083
        with pytest.raises(discord.HTTPException):
            await _post(client, public.id)


async def test_overwrites_change_permissions_in_the_channel_and_its_threads(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    bot = fake.bot_user
    async with running_bot(fake, make_client()) as client:
        thread = await fake.add_thread(fake.channel, "open", owner=alice)
        guild = client.get_guild(fake.guild.id)
        assert guild is not None and guild.me is not None
        await fake.set_permissions(fake.channel, fake.guild, deny=SEND_MESSAGES)
        channel = guild.get_channel(fake.channel.id)
        assert isinstance(channel, discord.TextChannel)
        await eventually(lambda: channel.overwrites, "CHANNEL_UPDATE")
        assert not channel.permissions_for(guild.me).send_messages
        assert not fake.permissions_for(bot, fake.channel) & SEND_MESSAGES
        # The member's own overwrite beats the @everyone one.
        await fake.set_permissions(fake.channel, bot, allow=SEND_MESSAGES)
        assert fake.permissions_for(bot, fake.channel) & SEND_MESSAGES
        # A thread follows its parent: deny Send Messages in Threads there, the thread refuses.
        await fake.set_permissions(fake.channel, bot, deny=SEND_MESSAGES_IN_THREADS)
        assert not fake.permissions_for(bot, thread) & SEND_MESSAGES_IN_THREADS
        with pytest.raises(discord.Forbidden) as refused:
            await _post(client, thread.id)
        assert refused.value.code == 50013
        # Without View Channel nothing else counts.
        await fake.set_permissions(fake.channel, bot, deny=VIEW_CHANNEL)
        assert fake.permissions_for(bot, fake.channel) == 0
        assert fake.permissions_for(bot, thread) == 0


async def test_private_thread_is_seen_by_members_and_thread_managers(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    mod = fake.add_user("mod", permissions=bob.permissions | MANAGE_THREADS)
    secret = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
    assert fake.can_see(alice, secret) and fake.can_see(mod, secret)
    assert not fake.can_see(bob, secret)
    await fake.add_thread_member(secret, bob)
    assert fake.can_see(bob, secret)


async def test_interactions_carry_the_apps_permissions_in_that_channel(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    thread = await fake.add_thread(fake.channel, "open", owner=alice)
    await fake.set_permissions(fake.channel, fake.bot_user, deny=SEND_MESSAGES_IN_THREADS)
    async with running_bot(fake, make_client()):
        in_thread = await fake.slash(alice, thread, "anything")
        in_channel = await fake.slash(alice, fake.channel, "anything")
    perms = int(in_thread.payload["app_permissions"])
    assert not perms & SEND_MESSAGES_IN_THREADS and perms & SEND_MESSAGES
    assert int(in_channel.payload["app_permissions"]) & SEND_MESSAGES_IN_THREADS == 0
    assert in_thread.payload["channel"]["type"] == 11
    assert in_thread.payload["channel"]["parent_id"] == str(fake.channel.id)


async def test_shards_get_only_their_guilds_and_dms_go_to_shard_zero(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    guilds = [fake.add_guild(f"g{i}", shard=(i, 3)) for i in range(3)]
    rooms = [fake.add_channel("room", g) for g in guilds]
    client = discord.AutoShardedClient(intents=discord.Intents.none(), shard_count=3)
    async with running_bot(fake, client):
        sessions = {s.shard: s for s in fake.gateway.ready_sessions}
        assert set(sessions) == {(0, 3), (1, 3), (2, 3)}
        for session in sessions.values():
            created = {g for e, g in session.dispatched if e == "GUILD_CREATE"}
            assert {shard_of(g or 0, 3) for g in created} == {session.shard[0]}
        for guild in guilds:
            assert client.get_guild(guild.id).shard_id == shard_of(guild.id, 3)
        for room in rooms:
            await fake.say(alice, room, "hello")
        await fake.say(alice, fake.dm_channel(alice), "psst")
        for shard, session in sessions.items():
            said = [g for e, g in session.dispatched if e == "MESSAGE_CREATE"]
            expected = [g.id for g in guilds if shard_of(g.id, 3) == shard[0]]
            if shard[0] == 0:
                expected.append(None)  # the DM
            assert said == expected


async def test_a_bot_asking_discord_runs_the_recommended_shards(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    fake.recommended_shards = 2
    client = discord.AutoShardedClient(intents=discord.Intents.none())
    async with running_bot(fake, client):
        assert client.shard_count == 2
        assert sorted(s.shard for s in fake.gateway.ready_sessions) == [(0, 2), (1, 2)]


async def test_without_embed_links_a_message_is_sent_without_its_embeds(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    async with running_bot(fake, make_client()) as client:
        await fake.set_permissions(fake.channel, fake.bot_user, deny=EMBED_LINKS)
        channel = client.get_partial_messageable(fake.channel.id)
        sent = await channel.send("look", embed=discord.Embed(title="Card"))
    stored = fake.message(sent.id)
    assert stored["content"] == "look" and stored["embeds"] == []
    [call] = fake.calls("POST", rf"/channels/{fake.channel.id}/messages")
    assert call.json["embeds"][0]["title"] == "Card"  # what the bot sent is kept as sent
