"""Helpers for the `/quiz import` and `/quiz banks` end-to-end tests."""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.client import QuizBot
from bot.store import GuildBankRow
from bot.store.guilds import GuildsRepo
from support.fakediscord import FakeChannel, FakeDiscord, FakeFile, FakeUser, InteractionReply

FACTS_PATH = Path(__file__).parents[1] / "data" / "imports" / "lantern-fair.facts.yaml"
SLUG = "lantern-fair"
TITLE = "The Lantern Fair of Orvell"


def facts_text() -> str:
    """Return the small facts file every import test uploads."""
    return FACTS_PATH.read_text(encoding="utf-8")


def attachment_downloads(fake: FakeDiscord, after: int = 0) -> int:
    """Return how many attachment downloads the bot made since a mark."""
    return len(fake.calls("GET", r"/attachments/\d+/.+", after=after))


async def import_file(
    fake: FakeDiscord,
    user: FakeUser,
    data: bytes,
    filename: str = "upload.yaml",
    *,
    channel: FakeChannel | None = None,
    timeout: float = 10.0,
) -> InteractionReply:
    """Run `/quiz import` with an attachment and return the bot's (filled) reply."""
    file = FakeFile(filename, data, "application/x-yaml")
    inter = await fake.slash(user, channel or fake.channel, "quiz import", {"file": file})
    return await fake.response_to(inter, timeout=timeout)


async def banks(
    fake: FakeDiscord, user: FakeUser, channel: FakeChannel | None = None, **options: str
) -> InteractionReply:
    """Run `/quiz banks` (with `remove=` to ask for a removal) and return the reply."""
    inter = await fake.slash(user, channel or fake.channel, "quiz banks", options)
    return await fake.response_to(inter)


async def wait_guild_banks_loaded(bot: QuizBot, guild_id: int) -> None:
    """Wait for the load of a server's imported banks that the bot starts on its own."""
    task = bot.catalog.load_of(guild_id)
    assert task is not None, "the bot did not start loading this server's banks"
    await task


def hold_bank_reads(monkeypatch: pytest.MonkeyPatch) -> Callable[[object], Awaitable[None]]:
    """Hold every read of stored banks until the returned `on_interaction` listener runs.

    Added to a freshly started bot, it makes the first interaction arrive while the server's
    imported banks are still being read, as can happen just after a start.
    """
    received = asyncio.Event()
    read = GuildsRepo.banks

    async def held_read(store: GuildsRepo, guild_id: int) -> list[GuildBankRow]:
        await received.wait()
        return await read(store, guild_id)

    async def on_interaction(_interaction: object) -> None:
        received.set()

    monkeypatch.setattr(GuildsRepo, "banks", held_read)
    return on_interaction
