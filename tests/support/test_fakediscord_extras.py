"""More end-to-end checks of the fake Discord: REST details, attachments, RESUME, failures."""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import discord.http
import pytest
from discord import app_commands
from discord.ext import commands

from support.fakediscord import FakeDiscord, FakeFile, running_bot


def make_bot(*, message_content: bool = False) -> commands.Bot:
    """Build a small bot whose commands edit answers, read files and autocomplete."""
    intents = discord.Intents.default()
    intents.message_content = message_content
    bot = commands.Bot(
        command_prefix="!", intents=intents, allowed_mentions=discord.AllowedMentions.none()
    )
    tree = bot.tree

    @tree.command(name="whoami", description="Describe the caller")
    async def whoami(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"{interaction.user.name} is here")

    @tree.command(name="count", description="Answer, then edit the answer twice")
    async def count(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("1")
        await interaction.edit_original_response(content="2")
        message = await interaction.original_response()
        await message.edit(content=str(int(message.content) + 1))

    @tree.command(name="upload", description="Read an attachment")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        await interaction.response.send_message(f"{file.filename}:{data.decode()}")

    @tree.command(name="topic", description="Pick a topic")
    async def topic(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @topic.autocomplete("name")
    async def topic_names(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = ["history", "hydrology", "math"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    return bot


async def test_responses_are_exact_json_and_unknown_routes_are_recorded(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.api_base}/users/@me", headers=headers) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            assert (await resp.json())["id"] == str(fake.bot_user.id)
        async with http.get(f"{fake.api_base}/no/such/route", headers=headers) as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"] == "application/json"
        bad = {"Authorization": "Bot wrong"}
        async with http.get(f"{fake.api_base}/users/@me", headers=bad) as resp:
            assert resp.status == 401
    assert [c.path for c in fake.unknown_calls()] == ["/no/such/route"]


async def test_attachment_option_is_downloaded_from_the_fake(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        file = FakeFile("notes.txt", b"rivers and lakes", "text/plain")
        reply = await fake.response_to(
            await fake.slash(alice, fake.channel, "upload", {"file": file})
        )
    assert reply.content == "notes.txt:rivers and lakes"
    assert fake.calls("GET", r"/attachments/\d+/notes\.txt")


async def test_autocomplete_returns_choices(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        inter = await fake.autocomplete(alice, fake.channel, "topic", {"name": "hy"}, "name")
        reply = await fake.response_to(inter)
    assert reply.type == 8
    assert reply.choices == [{"name": "hydrology", "value": "hydrology"}]


async def test_resume_after_reconnect_keeps_the_bot_working(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        before = fake.gateway.ready_sessions[0]
        await fake.force_reconnect()
        after = fake.gateway.ready_sessions
        reply = await fake.response_to(await fake.slash(alice, fake.channel, "whoami"))
    assert [p["op"] for p in fake.gateway.received].count(6) == 1
    assert [s.session_id for s in after] == [before.session_id]
    assert after[0] is not before and after[0].seq > before.seq
    assert reply.content == "alice is here"


async def test_injected_failure_reaches_the_bot(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running_bot(fake, make_bot()) as bot:
        fake.fail_next("POST", r"/channels/\d+/messages")
        channel = bot.get_channel(fake.channel.id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.Forbidden) as err:
            await channel.send("hello")
        assert err.value.code == 50013
        sent = await channel.send("hello again")
    assert fake.message(sent.id)["content"] == "hello again"


async def test_original_response_edits_are_tracked(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        inter = await fake.slash(alice, fake.channel, "count")
        reply = await fake.response_to(inter)
        await fake.wait_for_call(
            "PATCH", r"/webhooks/\d+/[^/]+/messages/@original", after=inter.mark
        )
        await fake.wait_until(lambda: len(inter.edits) == 2, 5.0, "two edits of @original")
    assert [v["content"] for v in fake.message_versions(reply.message_id)] == ["1", "2", "3"]
    assert reply.content == "3"  # the reply's message is live
    assert fake.calls("GET", r"/webhooks/\d+/[^/]+/messages/@original")


async def test_bot_side_rest_calls(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        channel = bot.get_channel(fake.channel.id)
        assert isinstance(channel, discord.TextChannel)
        async with channel.typing():
            sent = await channel.send("notes", file=discord.File(io.BytesIO(b"abc"), "n.txt"))
        await sent.add_reaction("👍")
        await sent.edit(content="notes v2")
        history = [m.content async for m in channel.history(limit=5)]
        await sent.delete()
        user = await bot.fetch_user(alice.id)
        dm = await user.send("psst")
    upload = fake.calls("POST", r"/channels/\d+/messages")[0]
    assert upload.json["content"] == "notes"
    assert [(f.filename, f.data) for f in upload.files] == [("n.txt", b"abc")]
    first = fake.message_versions(sent.id)[0]
    assert fake.attachment_bytes(first["attachments"][0]["url"]) == b"abc"
    assert fake.message(sent.id)["reactions"][0]["emoji"]["name"] == "👍"
    assert history == ["notes v2"]
    assert fake.is_deleted(sent.id)
    assert fake.messages_in(fake.channel) == []
    assert fake.calls("POST", r"/channels/\d+/typing")
    assert fake.message(dm.id)["channel_id"] == str(fake.dm_channel(alice).id)


async def test_start_failures_surface_from_running_bot(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    with pytest.raises(discord.LoginFailure):
        async with running_bot(fake, make_bot(), token="wrong-token"):
            pass
    fake.privileged_intents = 0
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(fake, make_bot(message_content=True)):
            pass
    assert discord.http.Route.BASE == "https://discord.com/api/v10"


@pytest.mark.expect_errors(r"Ignoring exception in command 'whoami'")
async def test_expired_interactions_are_refused(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        late = await fake.slash(alice, fake.channel, "whoami", expired=True)
        path = r"/interactions/\d+/[^/]+/callback"
        refused = await fake.wait_for_call("POST", path, after=late.mark)
        await fake.wait_until(
            lambda: any("10062" in e for e in fake.bot_errors), 5.0, "the bot to log the error"
        )
        answered = await fake.response_to(await fake.slash(alice, fake.channel, "whoami"))
        fake.expire(answered.interaction)
        url = f"{fake.api_base}/webhooks/{fake.application_id}/{answered.interaction.token}"
        async with aiohttp.ClientSession() as http, http.post(url, json={"content": "x"}) as resp:
            assert resp.status == 401
            assert (await resp.json())["code"] == 50027
    assert refused.status == 404
    assert refused.response["code"] == 10062
    assert late.callback is None
    assert fake.messages_in(fake.channel) == [answered.message]


async def test_second_acknowledgement_is_rejected(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        answered = await fake.response_to(await fake.slash(alice, fake.channel, "whoami"))
        inter = answered.interaction
        url = f"{fake.api_base}/interactions/{inter.id}/{inter.token}/callback"
        async with aiohttp.ClientSession() as http, http.post(url, json={"type": 6}) as resp:
            assert resp.status == 400
            assert (await resp.json())["code"] == 40060
    assert inter.callback_type == 4


async def test_discord_limits_are_enforced(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running_bot(fake, make_bot()) as bot:
        channel = bot.get_channel(fake.channel.id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        embeds = [discord.Embed(description="y" * 4000), discord.Embed(description="z" * 2001)]
        with pytest.raises(discord.HTTPException) as too_big:
            await channel.send(embeds=embeds)
        ok = await channel.send("x" * 2000, embeds=embeds[:1])
    assert (too_long.value.status, too_long.value.code) == (400, 50035)
    assert "6000" in too_big.value.text
    assert fake.messages_in(fake.channel) == [fake.message(ok.id)]


async def test_events_missed_while_away_are_replayed_on_resume(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        await fake.drop_connection()
        # Sent while the bot is disconnected: Discord keeps it for the session's RESUME.
        missed = await fake.slash(alice, fake.channel, "whoami")
        await fake.wait_resumed(1, timeout=15)
        reply = await fake.response_to(missed, timeout=5)
    assert reply.content == "alice is here"


@pytest.mark.expect_errors(r"Ignoring exception in command 'slow'")
async def test_an_interaction_answered_after_three_seconds_expires(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    fake.interaction_window = 0.2  # Discord's 3 s, shortened so the test stays quick
    alice = fake.add_user("alice")
    bot = make_bot()

    @bot.tree.command(name="slow", description="Answer too late")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.4)
        await interaction.response.send_message("late")

    async with running_bot(fake, bot):
        await bot.tree.sync()
        inter = await fake.slash(alice, fake.channel, "slow")
        await fake.wait_until(lambda: inter.expired or None, 5, "the interaction to expire")
        call = await fake.wait_for_call("POST", r"/interactions/.*/callback")
    assert (call.status, call.response["code"]) == (404, 10062)
    assert inter.callback is None


async def test_a_rate_limited_call_is_sent_again_after_retry_after(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    async with running_bot(fake, make_bot()) as bot:
        channel = bot.get_channel(fake.channel.id)
        assert isinstance(channel, discord.TextChannel)
        fake.rate_limit("POST", rf"/channels/{fake.channel.id}/messages", retry_after=0.3)
        loop = asyncio.get_running_loop()
        started = loop.time()
        sent = await channel.send("after the wait")
        waited = loop.time() - started
    calls = fake.calls("POST", rf"/channels/{fake.channel.id}/messages")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].response["retry_after"] == 0.3
    assert waited >= 0.3
    assert fake.message(sent.id)["content"] == "after the wait"
