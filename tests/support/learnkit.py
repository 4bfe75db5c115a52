"""Helpers for the leaderboard, stats and learning end-to-end tests (no fixtures, no conftest).

Scores are seeded through the real store API (a game, its answers) so a board test does not have
to play dozens of rounds; one test in test_learning_game.py plays a real round instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.client import QuizBot
from bot.core.models import Question
from bot.core.review import Rating, Scheduled
from bot.store.records import AnswerRecord
from support.fakediscord import FakeChannel, FakeDiscord, FakeUser, InteractionReply
from support.quizharness import TEST_BANK_SLUG

EPHEMERAL = 64


@dataclass(frozen=True)
class Played:
    """One seeded answer: who, right or not, points, in which topic, when."""

    user: FakeUser
    correct: bool
    points: int
    topic: str = "places"
    when: datetime | None = None
    question_id: str = "capital.choice"


async def seed_game(
    bot: QuizBot, guild_id: int, answers: Sequence[Played], bank: str = TEST_BANK_SLUG
) -> int:
    """Store one finished game of a bank with these answers (one question index per answer)."""
    store = bot.store
    game_id = await store.games.start(
        guild_id, 1, bank, "buttons", None, answers[0].user.id, len(answers)
    )
    streaks: dict[int, int] = {}
    for index, a in enumerate(answers):
        streaks[a.user.id] = streaks.get(a.user.id, 0) + 1 if a.correct else 0
        fact_id = a.question_id.split(".")[0]
        await store.games.ask(game_id, index, a.question_id, fact_id, a.topic)
        stored = await store.answers.record(
            AnswerRecord(
                game_id=game_id,
                question_index=index,
                guild_id=guild_id,
                user_id=a.user.id,
                user_name=a.user.name,
                question_id=a.question_id,
                fact_id=fact_id,
                topic=a.topic,
                bank=bank,
                answer="x",
                correct=a.correct,
                points=a.points,
                elapsed_ms=1000,
                streak=streaks[a.user.id],
                answered_at=a.when or bot.clock.now(),
            )
        )
        assert stored
    await store.games.finish(game_id, "finished")
    return game_id


def question(bot: QuizBot, question_id: str) -> Question:
    """Return a question of the test bank."""
    found = bot.catalog.banks[TEST_BANK_SLUG].question(question_id)
    assert found is not None, question_id
    return found


async def review(
    bot: QuizBot,
    user: FakeUser,
    question_id: str,
    rating: Rating,
    guild_id: int = 0,
    *,
    source: str = "review",
) -> Scheduled:
    """Review one fact of the test bank for a player through the learning service."""
    q = question(bot, question_id)
    # The commands record the player's name when a session starts; do the same here.
    await bot.store.players.upsert(user.id, user.name)
    return await bot.cards.review(
        user.id, guild_id, TEST_BANK_SLUG, q, rating, rating != Rating.Again, source
    )


async def command(
    fake: FakeDiscord,
    user: FakeUser,
    name: str,
    options: dict[str, Any] | None = None,
    channel: FakeChannel | None = None,
) -> InteractionReply:
    """Run a slash command and return the bot's answer."""
    inter = await fake.slash(user, channel or fake.channel, name, options or {})
    return await fake.response_to(inter)


async def press(
    fake: FakeDiscord, user: FakeUser, message: dict[str, Any], custom_id: str
) -> InteractionReply:
    """Click a component of a stored message and return the bot's answer."""
    inter = await fake.click(user, message["id"], custom_id)
    return await fake.response_to(inter)


def button_ids(message: dict[str, Any]) -> list[str]:
    """Return the custom_ids of a message's buttons, in order."""
    return [
        c["custom_id"]
        for row in message.get("components") or []
        for c in row.get("components", [])
        if c.get("type") == 2 and "custom_id" in c
    ]


def button(message: dict[str, Any], suffix: str) -> dict[str, Any]:
    """Return the button whose custom_id ends with `suffix`."""
    for row in message.get("components") or []:
        for c in row.get("components", []):
            if c.get("type") == 2 and c.get("custom_id", "").endswith(suffix):
                return c
    raise AssertionError(f"no button ending in {suffix!r}: {button_ids(message)}")


def description(reply_or_message: InteractionReply | dict[str, Any]) -> str:
    """Return the first embed's description."""
    embeds = (
        reply_or_message.embeds
        if isinstance(reply_or_message, InteractionReply)
        else reply_or_message.get("embeds") or []
    )
    assert embeds, "no embed"
    return embeds[0].get("description") or ""


def fields(reply_or_message: InteractionReply | dict[str, Any]) -> dict[str, str]:
    """Return the first embed's fields as name → value."""
    embeds = (
        reply_or_message.embeds
        if isinstance(reply_or_message, InteractionReply)
        else reply_or_message.get("embeds") or []
    )
    assert embeds, "no embed"
    return {f["name"]: f["value"] for f in embeds[0].get("fields") or []}


def is_ephemeral(message: dict[str, Any] | None) -> bool:
    """Return True when a stored message carries the ephemeral flag (64)."""
    return bool(message and (message.get("flags") or 0) & EPHEMERAL)
