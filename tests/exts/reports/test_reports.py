"""The 🚩 Report button (modal → stored report, also after a restart) and `/quiz reports`."""

from __future__ import annotations

from typing import Any

import discord
from support.fakediscord import MANAGE_GUILD, FakeDiscord, FakeUser
from support.learnkit import command, press
from support.quizharness import TEST_BANK_SLUG, quiz_bot

from bot.client import QuizBot
from bot.core.models import Bank, FactKind, Question, QuestionKind
from bot.exts.reports.cog import REPORT_THANKS, find_question
from bot.kit.report import report_button, report_custom_id


async def _post_reveal(bot: QuizBot, fake: FakeDiscord, question_id: str) -> dict[str, Any]:
    """Post a message carrying the Report button, as a reveal would, and return it."""
    view = discord.ui.View(timeout=None)
    view.add_item(report_button(TEST_BANK_SLUG, question_id))
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("Answer: Belgrade", view=view)
    return fake.message(sent.id)


async def _report(fake: FakeDiscord, user: FakeUser, message: dict[str, Any], reason: str) -> str:
    custom_id = message["components"][0]["components"][0]["custom_id"]
    opened = await press(fake, user, message, custom_id)
    assert opened.type == 9 and opened.modal is not None
    field = opened.modal["components"][0]["components"][0]
    assert field["custom_id"] == "reason" and field["max_length"] == 300
    submitted = await fake.submit_modal(
        user, fake.channel, opened.modal["custom_id"], {"reason": reason}
    )
    confirmation = await fake.response_to(submitted)
    assert confirmation.ephemeral
    return confirmation.content


async def test_report_then_managers_list_it(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path) as bot:
        reveal = await _post_reveal(bot, fake, "capital.choice")
        button = reveal["components"][0]["components"][0]
        assert button["custom_id"] == "quiz:report:test-bank:capital.choice"
        assert button["label"] == "Report" and button["emoji"]["name"] == "🚩"

        assert await _report(fake, alice, reveal, "Two of the options are right.") == REPORT_THANKS
        assert await _report(fake, bob, reveal, "  The answer looks wrong  ") == REPORT_THANKS
        rows = await bot.store.reports.recent(fake.guild.id)
        assert [(r.user_id, r.question_id, r.bank, r.reason) for r in rows] == [
            (bob.id, "capital.choice", TEST_BANK_SLUG, "The answer looks wrong"),
            (alice.id, "capital.choice", TEST_BANK_SLUG, "Two of the options are right."),
        ]

        listed = await command(fake, admin, "quiz reports")
        assert listed.ephemeral
        embed = listed.embeds[0]
        assert embed["title"] == "🚩 Question reports"
        field = embed["fields"][0]
        assert field["name"] == "test-bank / capital.choice — 2 reports"
        assert "Which city hosted the signing ceremony?" in field["value"]
        assert f"Two of the options are right. — <@{alice.id}>" in field["value"]
        assert f"The answer looks wrong — <@{bob.id}>" in field["value"]

        refused = await command(fake, alice, "quiz reports")
        assert refused.ephemeral
        assert "Manage Server" in refused.content
        assert not refused.embeds
    assert not fake.bot_errors


async def test_no_reports_yet(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    admin = fake.add_user("admin", permissions=MANAGE_GUILD)
    async with quiz_bot(fake, tmp_path):
        reply = await command(fake, admin, "quiz reports")
        assert reply.ephemeral
        assert reply.content.startswith("No reports yet.")
        dm = await command(fake, admin, "quiz reports", channel=fake.dm_channel(admin))
        assert dm.content == "Use this in a server channel."
    assert not fake.bot_errors


async def test_report_button_survives_a_restart(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    db = tmp_path / "quiz.db"
    async with quiz_bot(fake, tmp_path, db_path=db) as bot:
        reveal = await _post_reveal(bot, fake, "airline.choice")
    async with quiz_bot(fake, tmp_path, db_path=db) as bot:
        assert await _report(fake, alice, reveal, "Typo in the prompt") == REPORT_THANKS
        rows = await bot.store.reports.recent(fake.guild.id)
        assert [(r.question_id, r.reason) for r in rows] == [
            ("airline.choice", "Typo in the prompt")
        ]
    assert not fake.bot_errors


def test_long_ids_are_hashed_and_found_again() -> None:
    slug = "a-very-long-bank-slug-" + "x" * 60
    q = Question(
        id="some-fact-with-a-long-name." + "y" * 40,
        kind=QuestionKind.CHOICE,
        prompt="Which?",
        answer="A",
        explanation="Because.",
        fact_id="some-fact",
        paragraph=1,
        topic="t",
        fact_kind=FactKind.CLAIM,
        choices=("A", "B"),
    )
    bank = Bank(slug=slug, title="T", source="s", questions=(q,))
    custom_id = report_custom_id(slug, q.id)
    assert len(custom_id) <= 100
    assert custom_id.startswith("quiz:report:#")
    assert find_question({slug: bank}, custom_id.removeprefix("quiz:report:#")) == (slug, q.id)
    assert find_question({slug: bank}, "0" * 16) is None
    assert report_custom_id("short", "q.choice") == "quiz:report:short:q.choice"


async def test_a_reason_out_of_bounds_is_refused_server_side(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    # Discord's client enforces the modal's lengths; a crafted submit must meet them here too.
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        reveal = await _post_reveal(bot, fake, "capital.choice")
        for reason in ("x", "y" * 301, "   "):
            answer = await _report(fake, alice, reveal, reason)
            assert answer == "A reason needs 3 to 300 characters; nothing was saved."
        assert await bot.store.reports.recent(fake.guild.id) == []
