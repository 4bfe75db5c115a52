"""Fixtures shared by the whole suite: the fake Discord, and a throwaway PostgreSQL server."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from support import postgres
from support.fakediscord import FakeDiscord
from support.skips import require

_databases = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers the suite uses."""
    config.addinivalue_line(
        "markers",
        "expect_errors(*patterns): the bot may log ERRORs matching these regular expressions",
    )


@pytest_asyncio.fixture
async def fake_discord(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """Yield a started fake Discord on a free loopback port; stop it after the test.

    The test fails when the fake itself failed, and when the bot (or discord.py) logged an
    ERROR the test did not expect with `@pytest.mark.expect_errors("pattern", …)`.
    """
    async with FakeDiscord() as fake:
        yield fake
    # A failure inside the fake itself means it answered the bot wrongly: never let it pass.
    assert not fake.errors, fake.errors
    marker = request.node.get_closest_marker("expect_errors")
    allowed = [re.compile(p) for p in (marker.args if marker else ())]
    unexpected = [e for e in fake.bot_errors if not any(p.search(e) for p in allowed)]
    assert not unexpected, "the bot logged errors:\n" + "\n---\n".join(unexpected)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where this test's database lives, by `backend` (a parameter the test or its folder
    gives): "sqlite" is a file in the test's temp dir, "postgres" a fresh PostgreSQL database."""
    if backend == "postgres":
        return str(request.getfixturevalue("pg_dsn"))
    return str(tmp_path / "quiz.db")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[postgres.PgServer]:
    """Start one throwaway PostgreSQL server for the session (skip, or fail in CI, without)."""
    why = postgres.unavailable()
    require(why is None, f"PostgreSQL tests skipped: {why}")
    with postgres.running_server() as server:
        yield server


@pytest_asyncio.fixture
async def pg_dsn(pg_server: postgres.PgServer) -> AsyncIterator[str]:
    """Yield the address of a fresh, empty database on the session's server; drop it after."""
    import asyncpg

    name = f"quizbot_test_{next(_databases)}"
    admin = await asyncpg.connect(pg_server.dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield pg_server.dsn(name)
    finally:
        admin = await asyncpg.connect(pg_server.dsn())
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
