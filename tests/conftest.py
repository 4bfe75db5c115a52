"""Fixtures for end-to-end tests that run a real discord.py client against a fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from support.fakediscord import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """Yield a started fake Discord on a free loopback port; stop it after the test."""
    async with FakeDiscord() as fake:
        yield fake
    # A failure inside the fake itself means it answered the bot wrongly: never let it pass.
    assert not fake.errors, fake.errors
