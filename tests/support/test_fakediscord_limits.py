"""The fake refuses, with Discord's 400, the payloads Discord refuses; the bot's own pass.

Autocomplete results (at most 25, names 1-100, values up to 100), modals' text inputs, and
command registration (names, descriptions up to 100, at most 25 options...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from support.fakediscord import MANAGE_GUILD, FakeDiscord, running_bot
from support.quizharness import quiz_bot

#: What the small bot below answers; each test sets it before acting.
ANSWER: dict[str, Any] = {}


class Ask(discord.ui.Modal, title="Ask"):
    """A modal whose one text input takes its settings from ANSWER["input"]."""

    def __init__(self) -> None:
        super().__init__()
        self.add_item(discord.ui.TextInput(custom_id="text", **ANSWER["input"]))


def make_bot() -> discord.Client:
    """A bot with one autocompleted command and one modal, answering what ANSWER holds."""
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)

    async def suggest(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=v) for n, v in ANSWER["choices"]]

    @tree.command(name="find", description="Find something")
    @app_commands.autocomplete(what=suggest)
    async def find(interaction: discord.Interaction, what: str) -> None:
        await interaction.response.send_message(what)

    @tree.command(name="ask", description="Open a modal")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Ask())

    client.tree = tree  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize(
    ("choices", "problem"),
    [
        ([(f"n{i}", f"v{i}") for i in range(26)], "26 autocomplete choices, more than 25"),
        ([("", "v")], "autocomplete choice name '' is not 1-100 characters"),
        ([("n" * 101, "v")], "is not 1-100 characters"),
        ([("n", "v" * 101)], "autocomplete choice value is 101 characters, more than 100"),
    ],
)
@pytest.mark.expect_errors("400 Bad Request")
async def test_bad_autocomplete_results_get_400(
    fake_discord: FakeDiscord, choices: list[tuple[str, str]], problem: str
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()  # type: ignore[attr-defined]
        ANSWER["choices"] = choices
        mark = fake.mark()
        await fake.autocomplete(alice, fake.channel, "find", {"what": "x"}, "what")
        call = await fake.wait_for_call("POST", r"/interactions/\d+/.+/callback", after=mark)
    assert call.status == 400
    assert call.response["code"] == 50035 and problem in call.response["message"]


async def test_autocomplete_at_the_limits_passes(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()  # type: ignore[attr-defined]
        ANSWER["choices"] = [("n" * 100, "v" * 100)] * 25
        inter = await fake.autocomplete(alice, fake.channel, "find", {"what": "x"}, "what")
        reply = await fake.response_to(inter)
    assert reply.choices is not None and len(reply.choices) == 25


@pytest.mark.parametrize(
    ("text_input", "problem"),
    [
        ({"label": "L" * 46}, "text input label is 46 characters, more than 45"),
        ({"label": "x", "placeholder": "p" * 101}, "placeholder is 101 characters"),
        ({"label": "x", "max_length": 4001}, "max_length 4001 is not 1-4000"),
        ({"label": "x", "min_length": 4001}, "min_length 4001 is not 0-4000"),
        ({"label": "x", "min_length": 10, "max_length": 5}, "more than its max_length 5"),
        ({"label": "x", "default": "d" * 4001}, "text input value is 4001 characters"),
    ],
)
@pytest.mark.expect_errors("400 Bad Request")
async def test_bad_modal_text_inputs_get_400(
    fake_discord: FakeDiscord, text_input: dict[str, Any], problem: str
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with running_bot(fake, make_bot()) as bot:
        await bot.tree.sync()  # type: ignore[attr-defined]
        ANSWER["input"] = text_input
        mark = fake.mark()
        await fake.slash(alice, fake.channel, "ask")
        call = await fake.wait_for_call("POST", r"/interactions/\d+/.+/callback", after=mark)
    assert call.status == 400
    assert call.response["code"] == 50035 and problem in call.response["message"]
    assert fake.modals == {}


def _command(**overrides: Any) -> dict[str, Any]:
    return {"name": "quiz", "description": "Play", "type": 1, "options": [], **overrides}


def _option(name: str = "topic", **overrides: Any) -> dict[str, Any]:
    return {"name": name, "description": "Which one", "type": 3, **overrides}


@pytest.mark.parametrize(
    ("commands", "problem"),
    [
        ([_command(name="")], "command name '' is not 1-32"),
        ([_command(name="Quiz")], "command name 'Quiz' is not 1-32 lowercase"),
        ([_command(name="q" * 33)], "is not 1-32"),
        ([_command(name="two words")], "is not 1-32"),
        ([_command(description="")], "command 'quiz' description is not 1-100"),
        ([_command(description="d" * 101)], "command 'quiz' description is not 1-100"),
        ([_command(options=[_option(f"o{i}") for i in range(26)])], "26 options, more than 25"),
        ([_command(options=[_option(description="d" * 101)])], "option 'topic' description"),
        ([_command(options=[_option(), _option()])], "two options with the same name"),
        (
            [_command(options=[_option("a"), _option("b", required=True)])],
            "required option 'b' comes after an optional one",
        ),
        (
            [_command(options=[_option(choices=[
                {"name": str(i), "value": "v"} for i in range(26)
            ])])],
            "26 choices, more than 25",
        ),
        (
            [_command(options=[_option(choices=[{"name": "n", "value": "v" * 101}])])],
            "choice value",
        ),
        ([_command(), _command()], "command name 'quiz' is used twice"),
        ([_command(name=f"c{i}") for i in range(101)], "101 slash commands, more than 100"),
        (
            [_command(name="big", options=[
                _option(f"o{i}", description="d" * 100,
                        choices=[{"name": "n" * 100, "value": "v" * 50}])
                for i in range(20)
            ])],
            "/big holds 5",
        ),
    ],
)  # fmt: skip
async def test_bad_command_registration_gets_400(
    fake_discord: FakeDiscord, commands: list[dict[str, Any]], problem: str
) -> None:
    fake = fake_discord
    async with running_bot(fake, make_bot()) as bot:
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.bulk_upsert_global_commands(fake.application_id, commands)
    assert raised.value.status == 400 and raised.value.code == 50035
    assert problem in raised.value.text
    assert fake.commands.get(None) is None


async def test_a_good_registration_is_stored(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    good = [_command(options=[_option("a", required=True), _option("b")]), _command(name="ask")]
    async with running_bot(fake, make_bot()) as bot:
        stored = await bot.http.bulk_upsert_global_commands(fake.application_id, good)
    assert [c["name"] for c in stored] == ["quiz", "ask"]


async def test_the_bots_own_payloads_pass(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path, force_sync=True):
        [sync] = fake.calls("PUT", r"/applications/\d+/commands")
        assert sync.status == 200 and len(sync.json) >= 5
        for name, focused in (("quiz start", "topic"), ("quiz start", "bank")):
            inter = await fake.autocomplete(admin, fake.channel, name, {focused: ""}, focused)
            reply = await fake.response_to(inter)
            assert reply.choices, (name, focused)
        assert all(c.status < 400 for c in fake.calls("POST", r"/interactions/\d+/.+/callback"))
