"""The shared game scenarios, played in a Discord channel through the fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    buttons_of,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)
from support.scenarios import MODES, SCENARIOS, TOPIC, Scenario, option_for, typed_for


async def _until(condition: Callable[[], bool]) -> None:
    """Wait until the bot's own state says something happened (it sends nothing to see)."""
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - the game's state has no event to wait on
            await asyncio.sleep(0.002)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("mode", [discord for discord, _ in MODES])
async def test_scenario_in_a_channel(
    fake_discord: FakeDiscord, tmp_path: Path, scenario: Scenario, mode: str
) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        started = await start_game(
            fake, ana, topic=TOPIC, questions=scenario.questions, mode=mode, seconds=20
        )
        await fake.response_to(started)
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        game_id = live.game_id
        for number, action in enumerate(scenario.actions, start=1):
            message = await wait_message(fake, mark, title=f"Question {number}/")
            question = live.engine.question
            assert question is not None
            if action == "stop":
                await fake.response_to(await fake.slash(ana, fake.channel, "quiz stop", {}))
                break
            if mode == "buttons":
                custom_id = buttons_of(message)[option_for(question, action)]["custom_id"]
                await fake.response_to(await fake.click(ana, message["id"], custom_id))
            else:
                # Chat typed before the bot has seen its question go out is not a guess.
                await _until(lambda: live.shown)
                await fake.say(ana, fake.channel, typed_for(question, action))
                # A wrong guess is silent: wait until the game has taken it.
                await _until(lambda: ana.id in live.last_guess)
            if action == "wrong" or number == 1:
                await advance(bot, 20)  # nobody else answers: the round closes at its deadline
            await wait_message(fake, mark, title="Answer")
            mark = fake.mark()
            if number < len(scenario.actions):
                await advance(bot, 6)  # the pause between rounds
        await wait_game_over(bot, game_id)
        game = await bot.store.games.get(game_id)
        assert game is not None and game.status == scenario.status
        rows = await bot.store.answers.for_game(game_id)
    assert [r.correct for r in rows] == scenario.correct
    assert all((r.points > 0) == r.correct for r in rows)
