"""A buttons game end to end: clicks, the reveal, the store, double and late clicks, cooldown."""

from __future__ import annotations

import re

from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    buttons_of,
    click_and_read,
    embed_title,
    fields_of,
    posted,
    quiz_bot,
    start_game,
    wait_edit,
    wait_game_over,
    wait_message,
)

from bot.client import QuizBot


def _open_question(bot: QuizBot, fake: FakeDiscord):
    live = bot.games.in_channel(fake.channel.id)
    assert live is not None
    return live, live.engine.question


async def test_three_players_fast_slow_wrong(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    fast, slow, wrong = fake.add_user("fast"), fake.add_user("slow"), fake.add_user("wrong")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        start = await fake.response_to(await start_game(fake, fast, topic="places", questions=1))
        assert embed_title(start.message).startswith("Quiz:")
        assert not start.ephemeral
        msg = await wait_message(fake, mark, title="Question 1/1")
        live, question = _open_question(bot, fake)
        right = question.correct_index
        bad = (right + 1) % len(question.choices)

        # The buttons say which option, never which one is right.
        ids = [b["custom_id"] for b in buttons_of(msg)]
        assert ids == [f"quiz:a:{live.game_id}:0:{i}" for i in range(len(question.choices))]
        assert "Closes <t:" in fields_of(msg["embeds"][0])["Time"]

        letter = "ABCD"[right]
        assert await click_and_read(fake, fast, msg, right) == f"Locked in: {letter}"
        await advance(bot, 10)
        assert await click_and_read(fake, slow, msg, right) == f"Locked in: {letter}"
        assert await click_and_read(fake, wrong, msg, bad) == f"Locked in: {'ABCD'[bad]}"
        await advance(bot, 10)

        reveal = await wait_message(fake, mark, title="Answer:")
        embed = reveal["embeds"][0]
        assert embed["title"] == f"Answer: {question.answer}"
        fields = fields_of(embed)
        assert fields["Source"] == f"Paragraph {question.paragraph} of the article"
        lines = fields["Answers"].splitlines()
        assert lines[right].startswith(f"`{letter} ███████░░░  67%` (2)")
        assert lines[right].endswith("✅")
        assert lines[bad].startswith(f"`{'ABCD'[bad]} ███░░░░░░░  33%` (1)")
        assert fields["Fastest"] == "fast · 0.0 s"
        assert fields["Points"] == "fast **+1000**\nslow **+750**"
        report = reveal["components"][0]["components"][0]
        assert report["custom_id"] == f"quiz:report:{live.bank_slug}:{question.id}"

        # The question is redrawn closed with its buttons disabled.
        closed = await wait_edit(fake, msg["id"], lambda m: all(
            b["disabled"] for b in buttons_of(m)
        ))  # fmt: skip
        assert fields_of(closed["embeds"][0])["Time"] == "Closed"

        end = await wait_message(fake, mark, title="🏁 Final results")
        desc = end["embeds"][0]["description"]
        assert desc.startswith("🥇 fast — **1000**\n🥈 slow — **750**")
        assert "/leaderboard" in end["embeds"][0]["footer"]["text"]
        await wait_game_over(bot, live.game_id)

        rows = await bot.store.answers.for_game(live.game_id)
        got = {(r.user_id, r.correct, r.points, r.elapsed_ms) for r in rows}
        assert got == {
            (fast.id, True, 1000, 0),
            (slow.id, True, 750, 10_000),
            (wrong.id, False, 0, 10_000),
        }
        assert {r.answer for r in rows if r.correct} == {question.answer}
        game = await bot.store.games.get(live.game_id)
        assert game is not None and game.status == "finished"
        assert bot.games.in_channel(fake.channel.id) is None
        assert not fake.bot_errors


async def test_double_click_late_click_and_ended_game(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=2))
        q1 = await wait_message(fake, mark, title="Question 1/2")
        live, question = _open_question(bot, fake)
        assert await click_and_read(fake, alice, q1, 1) == "Locked in: B"
        assert await click_and_read(fake, alice, q1, 2) == "You already answered: B"
        await advance(bot, 20)
        await wait_message(fake, mark, title="Answer:")
        await wait_edit(fake, q1["id"], lambda m: buttons_of(m)[0]["disabled"])

        # A stale client clicks the closed question while the game goes on.
        late = await fake.click(bob, q1["id"], buttons_of(q1)[0]["custom_id"], force=True)
        reply = await fake.response_to(late)
        assert reply.ephemeral and reply.content == "This question is closed."

        await advance(bot, 5)
        q2 = await wait_message(fake, mark, title="Question 2/2")
        await advance(bot, 20)
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, live.game_id)
        after_end = await fake.click(bob, q2["id"], buttons_of(q2)[0]["custom_id"], force=True)
        reply = await fake.response_to(after_end)
        assert reply.ephemeral and reply.content == "This game has ended."

        rows = await bot.store.answers.for_game(live.game_id)
        assert [(r.question_index, r.user_id) for r in rows] == [(0, alice.id)]
        assert rows[0].answer == question.choices[1]


async def test_early_close_when_everyone_answered(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=2))
        q1 = await wait_message(fake, mark, title="Question 1/2")
        await click_and_read(fake, alice, q1, 0)
        await click_and_read(fake, bob, q1, 1)
        # Round one waits for its deadline: players join by answering it.
        await advance(bot, 20)
        await wait_message(fake, mark, title="Answer:")
        await advance(bot, 5)
        q2 = await wait_message(fake, mark, title="Question 2/2")
        reveals = len([m for m in posted(fake, mark) if embed_title(m).startswith("Answer:")])
        await click_and_read(fake, alice, q2, 0)
        await click_and_read(fake, bob, q2, 0)
        # Both known players answered: the round closes without moving the clock.
        await wait_message(fake, mark, title="🏁")
        titles = [embed_title(m) for m in posted(fake, mark)]
        assert len([t for t in titles if t.startswith("Answer:")]) == reveals + 1


async def test_one_game_per_channel_and_start_cooldown(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    other = fake.add_channel("other")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        await wait_message(fake, mark, title="Question 1/1")

        busy = await fake.response_to(await start_game(fake, bob))
        assert busy.ephemeral
        assert busy.content == "A game is already running here. Use `/quiz stop` to end it."

        again = await fake.response_to(await start_game(fake, alice, other))
        assert again.ephemeral
        assert re.fullmatch(r"You started a game just now: .* in 30 s\.", again.content)
        assert bot.games.in_channel(other.id) is None

        await advance(bot, 20)
        await wait_message(fake, mark, title="🏁")
        # 20 s later only 10 s of the cooldown are left; bob has none.
        again = await fake.response_to(await start_game(fake, alice, other))
        assert again.content.endswith("in 10 s.")
        ok = await fake.response_to(await start_game(fake, bob, other, questions=1))
        assert embed_title(ok.message).startswith("Quiz:")
        await advance(bot, 10)
        assert bot.games.in_channel(other.id) is not None
