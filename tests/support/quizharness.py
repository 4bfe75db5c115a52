"""Run the real QuizBot against the fake Discord with a ManualClock, a temp DB and a tiny bank.

    from support.quizharness import quiz_bot, start_game, wait_message

    async def test_game(fake_discord, tmp_path):
        fake = fake_discord
        alice = fake.add_user("alice")
        async with quiz_bot(fake, tmp_path) as bot:
            mark = fake.mark()
            await start_game(fake, alice, topic="places", questions=1)
            question = await wait_message(fake, mark, title="Question 1/1")
            await bot.clock.advance(20)  # the round closes on the bot's clock
            reveal = await wait_message(fake, mark, title="The answer")

`quiz_bot` writes `questions/test-bank/bank.yaml` (TEST_BANK) under tmp_path unless given a
questions directory, seeds the game service's random picks, sets the pause between rounds, and
closes the bot afterwards. Helpers return the raw message dicts the fake recorded.
"""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bot.client import QuizBot, build_bot
from bot.core.clock import ManualClock
from support.fakediscord import FakeChannel, FakeDiscord, FakeInteraction, FakeUser, running_bot

TEST_BANK_SLUG = "test-bank"
TEST_BANK = """\
generated: true
bank: test-bank
title: A small test bank
source: tests
facts_sha256: '0000'
topics:
  places: Places
  leaders: Leaders
  claims: Claims
questions:
- id: capital.choice
  kind: choice
  fact: capital
  paragraph: 2
  topic: places
  fact_kind: place
  prompt: Which city hosted the signing ceremony?
  answer: Belgrade
  choices: [Novi Sad, Belgrade, Nis, Kragujevac]
  explanation: The ceremony took place in the Serbian capital.
- id: pipeline.choice
  kind: choice
  fact: pipeline
  paragraph: 4
  topic: places
  fact_kind: place
  prompt: Through which country does the gas interconnector run before reaching Serbia?
  answer: Bulgaria
  choices: [Bulgaria, Romania, Hungary, Croatia]
  explanation: The interconnector links the Bulgarian network with the Serbian one.
- id: airline.choice
  kind: choice
  fact: airline
  paragraph: 6
  topic: places
  fact_kind: place
  prompt: Which city gained a direct flight from the Serbian capital?
  answer: Baku
  choices: [Tbilisi, Yerevan, Baku, Ankara]
  explanation: A direct route now links the two capitals.
- id: president.fill
  kind: fill
  fact: president
  paragraph: 1
  topic: leaders
  fact_kind: person
  prompt: 'Fill in the blank: the host of the visit was Serbian President _____.'
  answer: Aleksandar Vučić
  rivals: [Ilham Aliyev]
  explanation: The Serbian president hosted the visit.
- id: guest.fill
  kind: fill
  fact: guest
  paragraph: 1
  topic: leaders
  fact_kind: person
  prompt: 'Fill in the blank: the guest of the visit was Azerbaijani President _____.'
  answer: Ilham Aliyev
  rivals: [Aleksandar Vučić]
  explanation: The Azerbaijani president was the guest.
- id: partnership.true_false
  kind: true_false
  fact: partnership
  paragraph: 3
  topic: claims
  fact_kind: claim
  prompt: True or false? The two countries describe their relationship as a strategic partnership.
  answer: 'True'
  choices: ['True', 'False']
  explanation: True. Both sides use the words strategic partnership.
"""


def write_test_bank(root: Path, text: str = TEST_BANK, slug: str = TEST_BANK_SLUG) -> Path:
    """Write a bank under `root/<slug>/bank.yaml` and return `root` (a questions directory)."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank.yaml").write_text(text, encoding="utf-8")
    return root


@contextlib.asynccontextmanager
async def quiz_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    *,
    clock: ManualClock | None = None,
    questions_dir: Path | None = None,
    db_path: Path | None = None,
    seed: int = 7,
    reveal_pause: float = 5.0,
    force_sync: bool = False,
    sync_guild: int | None = None,
    message_content: bool = True,
    web_url: str | None = None,
) -> AsyncIterator[QuizBot]:
    """Yield a connected QuizBot on a ManualClock with a temp DB; close it afterwards."""
    clock = clock or ManualClock()
    if questions_dir is None:
        questions_dir = tmp_path / "questions"
        if not (questions_dir / TEST_BANK_SLUG / "bank.yaml").exists():
            write_test_bank(questions_dir)
    bot = build_bot(
        db_path or tmp_path / "quiz.db",
        questions_dir,
        clock=clock,
        force_sync=force_sync,
        sync_guild=sync_guild,
        message_content=message_content,
        web_url=web_url,
    )
    bot.games.rng = random.Random(seed)
    bot.games.reveal_pause = reveal_pause
    async with running_bot(fake, bot):
        yield bot


def manual_clock(bot: QuizBot) -> ManualClock:
    """Return the bot's clock as the ManualClock the harness gave it."""
    assert isinstance(bot.clock, ManualClock)
    return bot.clock


async def idle(bot: QuizBot, timeout: float = 5.0) -> None:
    """Wait until every live game is waiting on the clock, with no message in flight."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not all(live.waiting or live.task is None or live.task.done() for live in bot.games):
        if loop.time() > end:
            states = [(g.game_id, g.engine.state, g.waiting) for g in bot.games]
            raise AssertionError(f"games still busy after {timeout}s: {states}")
        # Real time passes here only while the bot talks to the fake over loopback.
        await asyncio.sleep(0.002)


async def advance(bot: QuizBot, seconds: float) -> None:
    """Let the games settle, then move the bot's clock forward (timers due then fire)."""
    await idle(bot)
    await manual_clock(bot).advance(seconds)


async def start_game(
    fake: FakeDiscord,
    user: FakeUser,
    channel: FakeChannel | None = None,
    **options: Any,
) -> FakeInteraction:
    """Run `/quiz start` with options (e.g. topic="places", questions=1, mode="classic")."""
    return await fake.slash(user, channel or fake.channel, "quiz start", options)


def embed_title(message: dict[str, Any]) -> str:
    """Return the title of a message's first embed ('' when it has none)."""
    embeds = message.get("embeds") or []
    return (embeds[0].get("title") or "") if embeds else ""


def posted(
    fake: FakeDiscord, after: int = 0, channel: FakeChannel | None = None
) -> list[dict[str, Any]]:
    """Return the messages the bot created in a channel with POST since a mark, in order."""
    channel = channel or fake.channel
    calls = fake.calls("POST", rf"/channels/{channel.id}/messages", after=after)
    return [c.response for c in calls if c.status == 200]


async def wait_message(
    fake: FakeDiscord,
    after: int = 0,
    *,
    title: str | None = None,
    content: str | None = None,
    channel: FakeChannel | None = None,
    predicate: Callable[[dict[str, Any]], bool] | None = None,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Wait for a bot message posted after `after` whose title/content starts with/contains text."""

    def matches(msg: dict[str, Any]) -> bool:
        if title is not None and not embed_title(msg).startswith(title):
            return False
        if content is not None and content not in (msg.get("content") or ""):
            return False
        return predicate is None or predicate(msg)

    def find() -> dict[str, Any] | None:
        return next((m for m in posted(fake, after, channel) if matches(m)), None)

    what = f"a message titled {title!r}" if title else f"a message containing {content!r}"
    return await fake.wait_until(find, timeout, what)


async def wait_edit(
    fake: FakeDiscord,
    message_id: int | str,
    predicate: Callable[[dict[str, Any]], bool],
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Wait until a message's current state satisfies `predicate` and return it."""

    def find() -> dict[str, Any] | None:
        msg = fake.message(message_id)
        return msg if predicate(msg) else None

    return await fake.wait_until(find, timeout, f"an edit of message {message_id}")


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the buttons of a message, in order."""
    return [
        c for row in message.get("components") or [] for c in row.get("components", [])
        if c.get("type") == 2
    ]  # fmt: skip


def fields_of(embed: dict[str, Any]) -> dict[str, str]:
    """Return an embed's fields as name → value."""
    return {f["name"]: f["value"] for f in embed.get("fields") or []}


async def click_and_read(
    fake: FakeDiscord, user: FakeUser, message: dict[str, Any], option: int
) -> str:
    """Click option `option` of a question message and return the ephemeral reply's text."""
    custom_id = buttons_of(message)[option]["custom_id"]
    inter = await fake.click(user, message["id"], custom_id)
    reply = await fake.response_to(inter)
    assert reply.ephemeral, reply.data
    return reply.content


async def wait_game_over(bot: QuizBot, game_id: int, timeout: float = 5.0) -> None:
    """Wait until a game's task has finished (its end is then recorded in the store)."""
    live = bot.games.by_id(game_id)
    if live is None or live.task is None:
        return
    await asyncio.wait_for(asyncio.shield(live.task), timeout)


async def wait_status(bot: QuizBot, game_id: int, status: str, timeout: float = 5.0) -> None:
    """Wait until the store records `status` for a game (its end is written last)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        game = await bot.store.games.get(game_id)
        if game is not None and game.status == status:
            return
        if loop.time() > end:
            raise AssertionError(f"game {game_id} is {game and game.status}, not {status}")
        await asyncio.sleep(0.002)


async def eventually(condition: Callable[[], Any], what: str, timeout: float = 5.0) -> Any:
    """Poll until `condition()` is truthy (e.g. the bot has handled a gateway event); return it."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not (result := condition()):
        if loop.time() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        # Gateway events reach the bot over loopback; nothing the fake records marks them done.
        await asyncio.sleep(0.002)
    return result
