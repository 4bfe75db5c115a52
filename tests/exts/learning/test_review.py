"""`/review` end to end: due facts first, then unseen ones; a typed answer by modal updates the
card; every reply is private; "all caught up" with the next review time."""

from __future__ import annotations

import sqlite3

from support.fakediscord import FakeDiscord
from support.learnkit import (
    button,
    button_ids,
    command,
    description,
    fields,
    is_ephemeral,
    press,
    review,
)
from support.quizharness import TEST_BANK_SLUG, manual_clock, quiz_bot

from bot.core.review import Rating
from bot.kit import limits

HOUR = 3600


async def test_due_first_then_unseen_with_modal_answer(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        # Missed "guest" (due again in an hour), got "capital" right (due later).
        missed = await review(bot, alice, "guest.fill", Rating.Again, source="game")
        known = await review(bot, alice, "capital.choice", Rating.Good, source="game")
        assert missed.due < known.due
        await manual_clock(bot).advance(2 * HOUR)
        assert missed.due <= bot.clock.now() < known.due

        first = await command(fake, alice, "review", {"count": 3})
        assert first.ephemeral and is_ephemeral(first.message)
        assert first.embeds[0]["title"] == "Review · question 1/3"
        guest = bot.catalog.banks[TEST_BANK_SLUG].question("guest.fill")
        assert guest is not None
        # The due fact comes first; it only has a fill-in question, so it is typed.
        assert description(first).splitlines()[0] == limits.bank_text(guest.prompt, 1500)

        opened = await press(
            fake, alice, first.message, button(first.message, ":type")["custom_id"]
        )
        assert opened.type == 9 and opened.modal is not None
        submitted = await fake.submit_modal(
            alice, fake.channel, opened.modal["custom_id"], {"answer": "Ilham Aliyev"},
            message_id=first.message_id,
        )  # fmt: skip
        verdict = await fake.response_to(submitted)
        assert is_ephemeral(verdict.message)
        assert verdict.embeds[0]["title"] == "✅ Right! · 1/3"
        assert fields(verdict)["Next review"].startswith("<t:")
        card = await bot.store.cards.get(alice.id, TEST_BANK_SLUG, "guest")
        assert card is not None
        assert card.reps == 2
        assert card.due > bot.clock.now()

        # Then facts never seen; the known, not-yet-due "capital" is not asked.
        nxt = await press(
            fake, alice, verdict.message, button(verdict.message, ":next")["custom_id"]
        )
        assert is_ephemeral(nxt.message)
        prompt = description(nxt).splitlines()[0]
        bank = bot.catalog.banks[TEST_BANK_SLUG]
        asked = next(q for q in bank.questions if limits.bank_text(q.prompt, 1500) == prompt)
        assert asked.fact_id not in {"guest", "capital"}
        assert await bot.store.cards.get(alice.id, TEST_BANK_SLUG, asked.fact_id) is None

        ended = await press(fake, alice, nxt.message, button(nxt.message, ":end")["custom_id"])
        assert ended.embeds[0]["title"] == "Review finished"
        assert "Ended after 1 of 3 questions." in description(ended)
        assert "Your next review is due <t:" in description(ended)
    assert not fake.bot_errors


async def test_all_caught_up(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        bank = bot.catalog.banks[TEST_BANK_SLUG]
        for q in bank.questions:
            await review(bot, alice, q.id, Rating.Good)
        cards = await bot.store.cards.for_user(alice.id)
        soonest = min(c.due for c in cards)
        assert soonest > bot.clock.now()

        reply = await command(fake, alice, "review")
        assert reply.ephemeral
        assert (
            reply.content == f"You're all caught up; next review <t:{int(soonest.timestamp())}:R>."
        )

        # Once the first card falls due, there is something to review again.
        await manual_clock(bot).advance((soonest - bot.clock.now()).total_seconds() + 1)
        again = await command(fake, alice, "review")
        assert again.embeds[0]["title"].startswith("Review · question 1/")
    assert not fake.bot_errors


async def test_review_choice_in_dms(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        dm = fake.dm_channel(alice)
        first = await command(fake, alice, "review", {"topic": "places", "count": 1}, channel=dm)
        assert first.ephemeral
        bank = bot.catalog.banks[TEST_BANK_SLUG]
        shown = description(first).splitlines()[0]
        q = next(q for q in bank.questions if limits.bank_text(q.prompt, 1500) == shown)
        # An unseen fact is asked at level 0: multiple choice.
        assert q.choices and q.kind.value == "choice"
        wrong = (q.correct_index + 1) % len(q.choices)
        verdict = await press(fake, alice, first.message, button_ids(first.message)[wrong])
        assert verdict.embeds[0]["title"] == "❌ Not quite · 1/1"
        card = await bot.store.cards.get(alice.id, TEST_BANK_SLUG, q.fact_id)
        assert card is not None and card.level == 0
    assert not fake.bot_errors


async def test_a_refused_review_stores_nothing(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        unknown = await command(fake, alice, "review", {"bank": "no-such-bank"})
        assert unknown.ephemeral and unknown.content.startswith("Unknown bank 'no-such-bank'.")
        topic = await command(fake, alice, "review", {"topic": "no-such-topic"})
        assert topic.ephemeral and topic.content.startswith("Unknown topic 'no-such-topic'.")
    # Not even the player's name is kept for a command that was refused.
    with sqlite3.connect(tmp_path / "quiz.db") as db:
        assert db.execute("SELECT user_id FROM players").fetchall() == []
