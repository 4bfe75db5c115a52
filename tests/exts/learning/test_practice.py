"""`/practice` end to end: private replies, a choice by button, a typed answer by modal, the
explanation and paragraph, Next and the summary, owner-only buttons, DMs and the idle timeout."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.learnkit import button, button_ids, command, description, fields, is_ephemeral, press
from support.quizharness import TEST_BANK_SLUG, manual_clock, quiz_bot

from bot.client import QuizBot
from bot.core.models import Question
from bot.kit import limits
from bot.services.sessions import SESSION_IDLE


def _question(bot: QuizBot, prompt_line: str) -> Question:
    """Return the test-bank question whose prompt opens the embed description."""
    bank = bot.catalog.banks[TEST_BANK_SLUG]
    found = next(
        (q for q in bank.questions if limits.bank_text(q.prompt, 1500) == prompt_line), None
    )
    assert found is not None, prompt_line
    return found


async def test_choice_by_button_then_summary(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        first = await command(fake, alice, "practice", {"topic": "places", "count": 2})
        assert first.ephemeral and is_ephemeral(first.message)
        assert first.embeds[0]["title"] == "Practice · question 1/2"
        q1 = _question(bot, description(first).splitlines()[0])
        assert q1.choices
        ids = button_ids(first.message)
        # Options, then Skip and End; no id names the right option.
        assert [i.rsplit(":", 1)[1] for i in ids] == ["c0", "c1", "c2", "c3", "skip", "end"]
        assert all(q1.answer not in i for i in ids)

        right = await press(fake, alice, first.message, ids[q1.correct_index])
        assert right.type == 7 and is_ephemeral(right.message)
        assert right.embeds[0]["title"] == "✅ Right! · 1/2"
        text = description(right)
        assert f"Your answer: **{q1.answer}**" in text
        assert q1.explanation in text
        assert fields(right)["Source"] == f"Paragraph {q1.paragraph} · A small test bank"

        second = await press(
            fake, alice, right.message, button(right.message, ":next")["custom_id"]
        )
        assert second.embeds[0]["title"] == "Practice · question 2/2"
        q2 = _question(bot, description(second).splitlines()[0])
        assert q2.fact_id != q1.fact_id
        wrong_index = (q2.correct_index + 1) % len(q2.choices)
        wrong = await press(fake, alice, second.message, button_ids(second.message)[wrong_index])
        assert wrong.embeds[0]["title"] == "❌ Not quite · 2/2"
        assert f"Answer: **{q2.answer}**" in description(wrong)
        results = button(wrong.message, ":next")
        assert results["label"] == "See results"

        summary = await press(fake, alice, wrong.message, results["custom_id"])
        assert summary.embeds[0]["title"] == "Practice finished"
        assert description(summary).startswith("You got **1** of **2** right (50%).")
        assert "• Places: 1/2" in description(summary)
        assert not summary.components
        assert is_ephemeral(summary.message)

        # Both answers trained alice's cards, logged as practice.
        cards = {c.fact_id: c for c in await bot.store.cards.for_user(alice.id, TEST_BANK_SLUG)}
        assert set(cards) == {q1.fact_id, q2.fact_id}
        assert cards[q2.fact_id].due < cards[q1.fact_id].due
        assert bot.sessions.live() == []
    assert not fake.bot_errors


async def test_free_text_by_modal(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        first = await command(fake, alice, "practice", {"topic": "leaders", "count": 1})
        q = _question(bot, description(first).splitlines()[0])
        assert not q.choices
        assert "Press **Type answer** to reply." in description(first)
        typed = button(first.message, ":type")
        assert typed["label"] == "Type answer"

        opened = await press(fake, alice, first.message, typed["custom_id"])
        assert opened.type == 9
        modal = opened.modal
        assert modal is not None and len(modal["title"]) <= 45
        text_input = modal["components"][0]["components"][0]
        assert text_input["custom_id"] == "answer"
        assert text_input["max_length"] == 200

        # A lowercase answer without the accent still counts.
        guess = q.answer.lower().replace("č", "c").replace("ć", "c")
        submitted = await fake.submit_modal(
            alice, fake.channel, modal["custom_id"], {"answer": guess}, message_id=first.message_id
        )
        verdict = await fake.response_to(submitted)
        assert verdict.type == 7 and is_ephemeral(verdict.message)
        assert verdict.embeds[0]["title"] == "✅ Right! · 1/1"
        assert q.explanation in description(verdict)
        assert fields(verdict)["Source"].startswith(f"Paragraph {q.paragraph} ·")
        card = await bot.store.cards.get(alice.id, TEST_BANK_SLUG, q.fact_id)
        assert card is not None and card.reps == 1
    assert not fake.bot_errors


async def test_only_the_player_can_press(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        first = await command(fake, alice, "practice", {"topic": "places", "count": 1})
        refused = await press(fake, bob, first.message, button_ids(first.message)[0])
        assert refused.ephemeral
        assert "someone else's session" in refused.content
        assert await bot.store.cards.for_user(bob.id) == []
        assert await bot.store.cards.for_user(alice.id) == []
    assert not fake.bot_errors


async def test_practice_works_in_dms(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        dm = fake.dm_channel(alice)
        first = await command(fake, alice, "practice", {"topic": "places", "count": 1}, channel=dm)
        assert first.ephemeral
        q = _question(bot, description(first).splitlines()[0])
        answered = await press(
            fake, alice, first.message, button_ids(first.message)[q.correct_index]
        )
        assert answered.embeds[0]["title"].startswith("✅")
    assert not fake.bot_errors


async def test_idle_session_ends_on_the_clock(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        first = await command(fake, alice, "practice", {"count": 2})
        mark = fake.mark()
        await manual_clock(bot).advance(SESSION_IDLE - 60)
        assert bot.sessions.live()
        await manual_clock(bot).advance(120)
        await fake.wait_for_call("PATCH", r"/webhooks/\d+/[^/]+/messages/@original", after=mark)
        ended = fake.message(first.message_id)
        assert ended["embeds"][0]["title"] == "Practice ended"
        assert not ended["components"]
        assert is_ephemeral(ended)
        assert bot.sessions.live() == []
        assert manual_clock(bot).sleepers == 0  # the idle timer stops with the last session
    assert not fake.bot_errors


async def test_a_new_session_replaces_the_old_one(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        old = await command(fake, alice, "practice", {"count": 1})
        await command(fake, alice, "practice", {"count": 1})
        stale = await press(fake, alice, old.message, button(old.message, ":skip")["custom_id"])
        assert "This session has ended" in stale.content

        bad = await command(fake, alice, "practice", {"topic": "nope"})
        assert bad.ephemeral
        assert "Unknown topic 'nope'" in bad.content
    assert not fake.bot_errors
