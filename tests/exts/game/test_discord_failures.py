"""What real Discord does to a running game: failed edits and hints, rate-limited posts."""

from __future__ import annotations

import asyncio

from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    click_and_read,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)


async def test_locked_in_answers_are_kept_when_the_question_cannot_be_redrawn(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    # A permission removed mid-game: closing the question's buttons fails with 403. The players
    # were told "Locked in"; their answers are stored and the game goes on to its reveal.
    fake = fake_discord
    ana, bo = fake.add_user("ana"), fake.add_user("bo")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, ana, topic="places", questions=1))
        question = await wait_message(fake, mark, title="Question 1/1")
        assert (await click_and_read(fake, ana, question, 0)).startswith("Locked in")
        assert (await click_and_read(fake, bo, question, 1)).startswith("Locked in")
        fake.fail_next("PATCH", rf"/channels/{fake.channel.id}/messages/{question['id']}", times=5)
        await advance(bot, 20)
        await wait_message(fake, mark, title="Answer")
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, 1)
        rows = await bot.store.answers.for_game(1)
        game = await bot.store.games.get(1)
    assert sorted(r.user_id for r in rows) == sorted([ana.id, bo.id])
    assert game is not None and game.status == "finished"


async def test_a_classic_game_goes_on_when_a_hint_cannot_be_posted(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(
            await start_game(fake, ana, topic="leaders", questions=1, mode="classic", seconds=30)
        )
        await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None and live.engine.question is not None
        fake.fail_next(
            "POST", rf"/channels/{fake.channel.id}/messages",
            when=lambda call: "Hint" in ((call.json or {}).get("content") or ""),
        )  # fmt: skip
        await advance(bot, 11)  # the first hint is due at a third of the time
        await fake.say(ana, fake.channel, live.engine.question.answer)
        win = await wait_message(fake, mark, content="got it")
        assert "ana" in win["content"]
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, live.game_id)
        rows = await bot.store.answers.for_game(live.game_id)
    assert [(r.user_id, r.correct) for r in rows] == [(ana.id, True)]


async def test_a_rate_limited_question_is_asked_once_discord_takes_it(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        fake.rate_limit("POST", rf"/channels/{fake.channel.id}/messages", retry_after=0.3)
        await fake.response_to(await start_game(fake, ana, topic="places", questions=1, seconds=5))
        question = await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        async with asyncio.timeout(5):
            while not live.shown:  # noqa: ASYNC110 - the game's own flag: nothing to wait on
                await asyncio.sleep(0.002)
        # The window opened once Discord took the post: the full five seconds are left.
        assert live.engine.deadline == bot.clock.monotonic() + 5
        assert (await click_and_read(fake, ana, question, 0)).startswith("Locked in")
    statuses = [c.status for c in fake.calls("POST", rf"/channels/{fake.channel.id}/messages")]
    assert statuses[:2] == [429, 200]
