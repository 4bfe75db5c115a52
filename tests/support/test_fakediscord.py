"""End-to-end checks that a real discord.py client works against the fake Discord."""

from __future__ import annotations

import itertools
import re
from typing import Any

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from support.fakediscord import MANAGE_GUILD, MEMBER_PERMISSIONS, FakeDiscord, running_bot
from support.fakediscord.payloads import EMBED_LINKS, INTENT_MESSAGE_CONTENT

_boots = itertools.count(1)


class Vote(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"vote:(?P<choice>[a-z]+)"):
    """A stateless button that any bot instance can answer, even after a restart."""

    def __init__(self, choice: str) -> None:
        super().__init__(discord.ui.Button(label=choice, custom_id=f"vote:{choice}"))
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Vote:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction) -> None:
        boot = interaction.client.boot  # type: ignore[attr-defined]
        await interaction.response.send_message(
            f"{interaction.user.name} voted {self.choice} (boot {boot})", ephemeral=True
        )


class Panel(discord.ui.View):
    """A view with a confirm button (ephemeral answer) and a rename button (edits the message)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Confirm", custom_id="panel:confirm")
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message(
            f"confirmed by {interaction.user.name}", ephemeral=True
        )

    @discord.ui.select(
        custom_id="panel:pick",
        options=[discord.SelectOption(label=x, value=x) for x in ("a", "b", "c")],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.send_message(f"picked {select.values}", ephemeral=True)

    @discord.ui.button(label="Rename", custom_id="panel:rename")
    async def rename(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content="renamed", view=None)


class AnswerModal(discord.ui.Modal, title="Answer"):
    """A one-field modal."""

    answer: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your answer", custom_id="answer"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"got {self.answer.value}")


def make_bot(*, message_content: bool = True, members: bool = False) -> commands.Bot:
    """Build a small bot that exercises the interaction and message paths."""
    intents = discord.Intents.default()
    intents.message_content = message_content
    intents.members = members
    bot = commands.Bot(
        command_prefix="!", intents=intents, allowed_mentions=discord.AllowedMentions.none()
    )
    bot.boot = next(_boots)  # type: ignore[attr-defined]
    tree = bot.tree

    async def setup_hook() -> None:
        bot.add_dynamic_items(Vote)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]

    @tree.command(name="hello", description="Greet someone")
    async def hello(interaction: discord.Interaction, name: str, times: int = 1) -> None:
        text = f"hi {name} x{times}"
        if interaction.app_permissions.embed_links:
            await interaction.response.send_message(embed=discord.Embed(title=text))
        else:
            await interaction.response.send_message(text)

    @tree.command(name="whoami", description="Describe the caller")
    async def whoami(interaction: discord.Interaction) -> None:
        where = "dm" if interaction.guild is None else f"guild {interaction.guild.name}"
        await interaction.response.send_message(
            f"{interaction.user.name} in {where} manage={interaction.permissions.manage_guild}"
        )

    @tree.command(name="poke", description="Describe another member")
    async def poke(interaction: discord.Interaction, target: discord.Member) -> None:
        manage = target.guild_permissions.manage_guild
        await interaction.response.send_message(f"poked {target.display_name} manage={manage}")

    @tree.command(name="panel", description="Show buttons")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=Panel())

    @tree.command(name="answer", description="Open a modal")
    async def answer(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal())

    @tree.command(name="poll", description="Post a vote")
    async def poll(interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Vote("yes"))
        view.add_item(Vote("no"))
        await interaction.response.send_message("Vote!", view=view)

    @tree.command(name="slow", description="Defer, then follow up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"done <@{interaction.user.id}>")
        await interaction.followup.send("secret", ephemeral=True)

    quiz = app_commands.Group(name="quiz", description="Quiz commands")

    @quiz.command(name="start", description="Start a quiz")
    async def start(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(f"quiz on {topic}")

    tree.add_command(quiz)

    @bot.listen("on_message")
    async def heard(message: discord.Message) -> None:
        if message.author.bot:
            return
        await message.channel.send(f"heard '{message.content}' from <@{message.author.id}>")

    return bot


async def test_login_reaches_ready_with_full_guild(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice", global_name="Alice")
    async with running_bot(fake, make_bot(members=True)) as bot:
        assert bot.is_ready()
        assert bot.user is not None and bot.user.id == fake.bot_user.id
        guild = bot.get_guild(fake.guild.id)
        assert guild is not None
        assert [c.name for c in guild.text_channels] == ["general"]
        member = guild.get_member(alice.id)
        assert member is not None and member.display_name == "Alice"
        assert guild.me.guild_permissions.send_messages
        chunked = await guild.chunk()  # opcode 8, answered with GUILD_MEMBERS_CHUNK
        assert {m.id for m in chunked} == {alice.id, fake.bot_user.id}
    assert [c.path for c in fake.calls("GET")] == ["/users/@me", "/oauth2/applications/@me"]
    assert [p["op"] for p in fake.gateway.received if p["op"] != 1] == [2, 8]
    assert not fake.gateway.sessions


async def test_tree_sync_is_recorded_as_put(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running_bot(fake, make_bot()) as bot:
        synced = await bot.tree.sync()
        await bot.tree.sync(guild=discord.Object(fake.guild.id))
        fetched = await bot.tree.fetch_commands()
    put = fake.calls("PUT", r"/applications/\d+/commands")
    assert len(put) == 1
    names = "hello whoami poke panel answer poll slow quiz"
    assert {c["name"] for c in put[0].json} == set(names.split())
    assert fake.calls("PUT", rf"/applications/\d+/guilds/{fake.guild.id}/commands")
    assert sorted(c.id for c in synced) == sorted(c.id for c in fetched)


async def test_slash_command_answered_with_embed(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        inter = await fake.slash(alice, fake.channel, "hello", {"name": "bob", "times": 2})
        reply = await fake.response_to(inter)
        sub = await fake.slash(alice, fake.channel, "quiz start", {"topic": "rivers"})
        sub_reply = await fake.response_to(sub)
    assert inter.callback is not None
    assert inter.callback.json["type"] == 4
    assert inter.callback.json["data"]["embeds"][0]["title"] == "hi bob x2"
    assert reply.embeds[0]["title"] == "hi bob x2"
    assert fake.messages_in(fake.channel)[0]["id"] == str(reply.message_id)
    assert sub_reply.content == "quiz on rivers"


async def test_missing_embed_links_is_visible_to_the_bot(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        perms = fake.app_permissions & ~EMBED_LINKS
        inter = await fake.slash(alice, fake.channel, "hello", {"name": "x"}, app_permissions=perms)
        reply = await fake.response_to(inter)
    assert reply.embeds == []
    assert reply.content == "hi x x1"


async def test_member_permissions_reach_the_bot(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        as_admin = await fake.response_to(await fake.slash(admin, fake.channel, "whoami"))
        as_alice = await fake.response_to(await fake.slash(alice, fake.channel, "whoami"))
        poke = await fake.slash(alice, fake.channel, "poke", {"target": admin})
        poked = await fake.response_to(poke)
    assert as_admin.content == "admin in guild Quiz Guild manage=True"
    assert as_alice.content == "alice in guild Quiz Guild manage=False"
    assert poked.content == "poked admin manage=True"


async def test_button_click_answered_ephemerally(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        shown = await fake.response_to(await fake.slash(alice, fake.channel, "panel"))
        assert shown.custom_ids == ["panel:confirm", "panel:rename", "panel:pick"]
        click = await fake.click(alice, shown.message_id, "panel:confirm")
        confirmed = await fake.response_to(click)
        pick = await fake.click(alice, shown.message_id, "panel:pick", values=["b"])
        picked = await fake.response_to(pick)
        rename = await fake.response_to(await fake.click(alice, shown.message_id, "panel:rename"))
    assert confirmed.ephemeral
    assert confirmed.content == "confirmed by alice"
    assert confirmed.message_id != shown.message_id
    assert picked.content == "picked ['b']"
    assert rename.type == 7
    assert fake.message(shown.message_id)["content"] == "renamed"
    assert fake.message(shown.message_id)["components"] == []
    assert len(fake.message_versions(shown.message_id)) == 2


async def test_modal_is_submitted(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        opened = await fake.response_to(await fake.slash(alice, fake.channel, "answer"))
        assert opened.modal is not None and opened.modal["title"] == "Answer"
        with pytest.raises(ValueError, match="never opened"):
            await fake.submit_modal(alice, fake.channel, "unknown", {"answer": "x"})
        modal_id = opened.modal["custom_id"]
        with pytest.raises(ValueError, match="no input"):
            await fake.submit_modal(alice, fake.channel, modal_id, {"answer": "x", "typo": "y"})
        submitted = await fake.submit_modal(alice, fake.channel, modal_id, {"answer": "Nile"})
        reply = await fake.response_to(submitted)
    assert reply.content == "got Nile"


async def test_chat_message_is_read_with_message_content(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()):
        mark = fake.mark()
        said = await fake.say(alice, fake.channel, "the answer is 42")
        call = await fake.wait_for_call("POST", r"/channels/\d+/messages", after=mark)
    assert call.path == f"/channels/{fake.channel.id}/messages"
    assert call.json["content"] == f"heard 'the answer is 42' from <@{alice.id}>"
    assert fake.messages_in(fake.channel)[0]["id"] == said["id"]


async def test_chat_content_is_hidden_without_the_intent(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot(message_content=False)):
        assert not fake.gateway.ready_sessions[0].intents & INTENT_MESSAGE_CONTENT
        mark = fake.mark()
        await fake.say(alice, fake.channel, "secret words")
        call = await fake.wait_for_call("POST", r"/channels/\d+/messages", after=mark)
    assert call.json["content"].startswith("heard '' from")


async def test_dynamic_button_clicked_after_restart(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as first:
        await first.tree.sync()
        posted = await fake.response_to(await fake.slash(alice, fake.channel, "poll"))
        first_boot = first.boot  # type: ignore[attr-defined]
    assert not fake.gateway.sessions
    async with running_bot(fake, make_bot()) as second:
        click = await fake.click(alice, posted.message_id, "vote:no")
        reply = await fake.response_to(click)
        second_boot = second.boot  # type: ignore[attr-defined]
    assert second_boot != first_boot
    assert reply.content == f"alice voted no (boot {second_boot})"
    assert reply.ephemeral
    assert len(fake.calls("GET", "/users/@me")) == 2


async def test_dm_slash_command(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    dm = fake.dm_channel(alice)
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        inter = await fake.slash(alice, dm, "whoami")
        reply = await fake.response_to(inter)
    assert "member" not in inter.payload and inter.payload["user"]["id"] == str(alice.id)
    assert reply.content == "alice in dm manage=False"
    assert reply.message is not None and reply.message["channel_id"] == str(dm.id)


async def test_allowed_mentions_none_reaches_every_payload(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        reply = await fake.response_to(await fake.slash(alice, fake.channel, "slow"), followups=2)
        mark = fake.mark()
        await fake.say(alice, fake.channel, "ping")
        await fake.wait_for_call("POST", r"/channels/\d+/messages", after=mark)
    bodies = [c.json for c in fake.calls("POST", r"/webhooks/\d+/[^/]+")]
    bodies += [c.json for c in fake.calls("POST", r"/channels/\d+/messages")]
    assert len(bodies) == 3
    assert all(b["allowed_mentions"] == {"parse": []} for b in bodies)
    assert reply.message is not None and reply.message["mentions"] == []
    assert all(m["mentions"] == [] for m in fake.messages_in(fake.channel))


async def test_deferred_answer_and_ephemeral_follow_up(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()
        reply = await fake.response_to(await fake.slash(alice, fake.channel, "slow"), followups=2)
    assert reply.type == 5
    assert reply.content == f"done <@{alice.id}>"
    assert not reply.ephemeral
    assert [f["content"] for f in reply.followups] == [reply.content, "secret"]
    assert reply.followups[1]["flags"] & 64
    assert [m["content"] for m in fake.messages_in(fake.channel, include_ephemeral=False)] == [
        reply.content
    ]


def test_private_hooks_have_not_moved() -> None:
    """Fail loudly when a discord.py upgrade moves the names the fake relies on."""
    assert discord.__version__.startswith("2.7."), discord.__version__
    assert isinstance(vars(discord.http.Route)["BASE"], str)
    route = discord.http.Route("GET", "/users/@me")
    assert route.url == discord.http.Route.BASE + "/users/@me"
    assert isinstance(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    client = discord.Client(intents=discord.Intents.none())
    assert isinstance(client._connection.guild_ready_timeout, float)
