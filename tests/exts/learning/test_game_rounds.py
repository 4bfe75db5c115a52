"""A real server-game round trains the players' review cards (the game service's learning hook)."""

from __future__ import annotations

import sqlite3

from support.fakediscord import FakeDiscord
from support.quizharness import (
    TEST_BANK_SLUG,
    advance,
    click_and_read,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)


async def test_round_updates_cards_wrong_answer_due_sooner(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    db = tmp_path / "quiz.db"
    async with quiz_bot(fake, tmp_path, db_path=db) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, topic="places", questions=1))
        msg = await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        game_id = live.game_id
        question = live.engine.question
        assert question is not None and question.correct_index is not None
        right = question.correct_index
        await click_and_read(fake, alice, msg, right)
        await click_and_read(fake, bob, msg, (right + 1) % len(question.choices))
        await advance(bot, 20)
        await wait_message(fake, mark, title="Answer:")
        await wait_game_over(bot, game_id)

        fact = question.fact_id
        good = await bot.store.cards.get(alice.id, TEST_BANK_SLUG, fact)
        bad = await bot.store.cards.get(bob.id, TEST_BANK_SLUG, fact)
        assert good is not None and bad is not None
        assert bad.due < good.due
        assert good.level == 1 and bad.level == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT user_id, correct, source, guild_id FROM reviews ORDER BY user_id"
        ).fetchall()
    assert sorted(rows) == sorted(
        [(alice.id, 1, "game", fake.guild.id), (bob.id, 0, "game", fake.guild.id)]
    )
    assert not fake.bot_errors
