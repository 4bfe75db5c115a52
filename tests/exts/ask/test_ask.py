"""`/ask` end to end: facts with their paragraph and bank, "The article does not say.", the
length limit, a bank filter, DMs, and the shipped article's own facts."""

from __future__ import annotations

from pathlib import Path

from support.fakediscord import FakeDiscord
from support.learnkit import command, description
from support.quizharness import advance, quiz_bot, start_game, wait_message

from bot.core.bank import load_bank
from bot.kit import limits

SHIPPED = Path(__file__).resolve().parents[3] / "questions"


async def test_answer_names_paragraph_and_bank(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        reply = await command(
            fake,
            alice,
            "ask",
            {"question": "Which country does the gas interconnector run through?"},
        )
        assert reply.ephemeral
        embed = reply.embeds[0]
        assert embed["title"] == "What the article says"
        assert "gas interconnector" in description(reply)
        first = embed["fields"][0]
        assert first["name"] == "Paragraph 4 · A small test bank"
        assert "Bulgarian network" in first["value"]

        filtered = await command(
            fake, alice, "ask", {"question": "Who hosted the visit?", "bank": "test-bank"}
        )
        assert filtered.embeds[0]["fields"][0]["name"].startswith("Paragraph 1 ·")
    assert not fake.bot_errors


async def test_nothing_found_and_too_long(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        reply = await command(fake, alice, "ask", {"question": "Who won the world cup in 2018?"})
        assert reply.ephemeral
        assert reply.content == "The article does not say."
        assert not reply.embeds

        long = await command(fake, alice, "ask", {"question": "why " * 80})
        assert long.ephemeral
        assert long.content.startswith("Please keep questions to 300 characters (yours has 320).")

        unknown = await command(fake, alice, "ask", {"question": "who?", "bank": "nope"})
        assert "Unknown bank 'nope'" in unknown.content
    assert not fake.bot_errors


async def test_ask_in_dms_with_the_shipped_article(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    bank = load_bank(SHIPPED / "baku-belgrade" / "bank.yaml")
    async with quiz_bot(fake, tmp_path, questions_dir=SHIPPED):
        dm = fake.dm_channel(alice)
        question = "When did Aliyev arrive in Belgrade?"
        reply = await command(fake, alice, "ask", {"question": question}, channel=dm)
        assert reply.ephemeral
        field = reply.embeds[0]["fields"][0]
        fact = bank.fact("visit-date")
        assert fact is not None
        assert field["name"] == f"Paragraph {fact.paragraph} · {bank.title}"
        assert field["value"].startswith(fact.statement)
    assert not fake.bot_errors


async def test_the_open_question_of_a_game_is_never_given_away(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        message = await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None and live.engine.question is not None
        question = live.engine.question
        prompt = message["embeds"][0]["description"].splitlines()[0]

        # Pasting the live prompt into /ask, here or in DMs, does not reveal its fact.
        for channel in (fake.channel, fake.dm_channel(bob)):
            during = await command(fake, bob, "ask", {"question": prompt}, channel=channel)
            shown = during.content + "".join(f["value"] for e in during.embeds for f in e["fields"])
            assert limits.bank_text(question.explanation, 400) not in shown, shown
        # Nor does /practice ask it while the round is open.
        practice = await command(fake, bob, "practice", {"topic": "places", "count": 5})
        assert prompt not in description(practice)

        await advance(bot, 20)  # the round closes: now the article may tell
        await wait_message(fake, mark, title="Answer")
        after = await command(fake, bob, "ask", {"question": prompt})
        assert any(
            limits.bank_text(question.explanation, 400) in f["value"]
            for e in after.embeds
            for f in e["fields"]
        )
    assert not fake.bot_errors
