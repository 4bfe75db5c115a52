"""QUIZBOT_MESSAGE_CONTENT, and `quizbot run` carrying on when Discord refuses the intent (4014)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
import pytest
from support.fakediscord import FakeDiscord, fast_start, pointed_at
from support.fakediscord.payloads import INTENT_MESSAGE_CONTENT, PRIVILEGED_INTENTS
from support.quizharness import start_game, wait_message, write_test_bank

from bot.cli.run import INTENT_REFUSED, run_with_intent_fallback
from bot.cli.settings import ENV_MESSAGE_CONTENT, load_settings
from bot.client import QuizBot, build_bot
from bot.exts.game.cog import NO_CLASSIC


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("on", True), ("1", True), ("off", False), ("FALSE", False), ("no", False)],
)
def test_setting_is_on_unless_turned_off(tmp_path: Path, value: str | None, expected: bool) -> None:
    environ = {} if value is None else {ENV_MESSAGE_CONTENT: value}
    assert load_settings(environ, tmp_path / "none.env").message_content is expected


def test_setting_reads_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"{ENV_MESSAGE_CONTENT}=off\n", encoding="utf-8")
    assert load_settings({}, env_file).message_content is False


def test_unreadable_value_is_named_and_left_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        settings = load_settings({ENV_MESSAGE_CONTENT: "maybe"}, tmp_path / "none.env")
    assert settings.message_content is True
    assert f"{ENV_MESSAGE_CONTENT}=maybe is not on or off" in caplog.text


async def _run_until_ready(
    fake: FakeDiscord, tmp_path: Path, message_content: bool
) -> tuple[asyncio.Task[None], list[QuizBot]]:
    """Run `run_with_intent_fallback` as `quizbot run` does; return it once a bot is ready."""
    questions = write_test_bank(tmp_path / "questions")
    built: list[QuizBot] = []

    def make_bot(content: bool) -> discord.Client:
        bot = build_bot(tmp_path / "quiz.db", questions, message_content=content)
        fast_start(bot)
        built.append(bot)
        return bot

    task = asyncio.create_task(run_with_intent_fallback(make_bot, fake.token, message_content))
    await fake.wait_until(
        lambda: fake.gateway.ready_sessions or task.done(), 10.0, "a bot to be ready"
    )
    if task.done():
        task.result()
    await built[-1].wait_until_ready()
    return task, built


async def _stop(task: asyncio.Task[None], bot: QuizBot) -> None:
    await bot.close()
    await asyncio.wait_for(task, 5.0)


async def test_refused_intent_warns_once_and_plays_without_it(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    fake.privileged_intents = PRIVILEGED_INTENTS & ~INTENT_MESSAGE_CONTENT
    alice = fake.add_user("alice")
    with pointed_at(fake), caplog.at_level(logging.WARNING, logger="bot"):
        task, built = await _run_until_ready(fake, tmp_path, message_content=True)
        try:
            # The first IDENTIFY asked for the intent and was closed with 4014; the second did not.
            identifies = [p["d"]["intents"] for p in fake.gateway.received if p["op"] == 2]
            assert [bool(i & INTENT_MESSAGE_CONTENT) for i in identifies] == [True, False]
            assert len(built) == 2 and not built[-1].intents.message_content
            assert caplog.text.count(INTENT_REFUSED) == 1

            classic = await fake.response_to(await start_game(fake, alice, mode="classic"))
            assert classic.ephemeral and classic.content == NO_CLASSIC
            mark = fake.mark()
            buttons = await fake.response_to(await start_game(fake, alice, topic="places"))
            assert not buttons.ephemeral
            await wait_message(fake, mark, title="Question 1/")
        finally:
            await _stop(task, built[-1])


async def test_intent_off_by_setting_never_asks(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    fake.privileged_intents = PRIVILEGED_INTENTS & ~INTENT_MESSAGE_CONTENT
    with pointed_at(fake):
        task, built = await _run_until_ready(fake, tmp_path, message_content=False)
        try:
            identifies = [p["d"]["intents"] for p in fake.gateway.received if p["op"] == 2]
            assert [bool(i & INTENT_MESSAGE_CONTENT) for i in identifies] == [False]
            assert len(built) == 1
        finally:
            await _stop(task, built[-1])


async def test_intent_enabled_runs_with_it(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    with pointed_at(fake):
        task, built = await _run_until_ready(fake, tmp_path, message_content=True)
        try:
            assert len(built) == 1 and built[0].intents.message_content
        finally:
            await _stop(task, built[-1])
