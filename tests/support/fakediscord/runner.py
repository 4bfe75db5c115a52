"""Run a real discord.py client against a `FakeDiscord` for the length of a test."""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import discord
import discord.gateway
import discord.http
import yarl

if TYPE_CHECKING:
    from support.fakediscord import FakeDiscord


#: Whose ERROR records a test sees: discord.py's and the bot's own.
LOGGERS = ("discord", "bot")


class _ErrorLog(logging.Handler):
    """Collect ERROR records of discord.py and of the bot (exceptions in commands, views…)."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(logging.ERROR)
        self.fake = fake
        self.loop = asyncio.get_running_loop()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.fake.bot_errors.append(text)
        # Wake waiters (e.g. a test waiting for an error); log calls may come from other threads.
        self.loop.call_soon_threadsafe(self.fake.notify)


def point_at(api_base: str, gateway_url: str) -> tuple[str, yarl.URL]:
    """Point discord.py's REST base and gateway URL at a fake Discord; return the old ones."""
    old = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    return old


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway URL at `fake`, and collect ERROR logs, inside.

    For code that starts a client itself (`quizbot run`); `running_bot` uses it too.
    """
    old_base, old_gateway = point_at(fake.api_base, fake.gateway_url)
    errors = _ErrorLog(fake)
    for name in LOGGERS:
        logging.getLogger(name).addHandler(errors)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(errors)


def fast_start(bot: discord.Client) -> None:
    """Skip the client's waits that only pace real Discord: late GUILD_CREATEs (2 s) and the
    5 s between the IDENTIFYs of a sharded bot's shards."""
    state = bot._connection
    state.guild_ready_timeout = min(state.guild_ready_timeout, 0.05)

    async def no_pause(shard_id: int | None, *, initial: bool = False) -> None:
        return None

    bot.before_identify_hook = no_pause  # type: ignore[method-assign]


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    bot: discord.Client,
    *,
    token: str | None = None,
    timeout: float = 5.0,
    fast_ready: bool = True,
) -> AsyncIterator[discord.Client]:
    """Start `bot` against `fake`, wait until it is ready, and close it on exit.

    Points `discord.http.Route.BASE` and `DiscordWebSocket.DEFAULT_GATEWAY` at the fake while
    inside, restoring them afterwards. `fast_ready` shortens the client's wait for further
    GUILD_CREATEs (2 s by default) and between shards' IDENTIFYs, so READY comes in milliseconds.
    """
    if fast_ready:
        fast_start(bot)
    with pointed_at(fake):
        task = asyncio.create_task(bot.start(token or fake.token), name="fakediscord-bot")
        try:
            await _wait_ready(fake, bot, task, timeout)
            yield bot
        finally:
            await _close(fake, bot, task, timeout)
    if task.done() and not task.cancelled() and task.exception() is not None:
        # The client died while the test ran (e.g. a malformed payload): fail the test.
        raise task.exception()  # type: ignore[misc]


async def _close(
    fake: FakeDiscord, bot: discord.Client, task: asyncio.Task[None], timeout: float
) -> None:
    """Close the bot, wait for `start()` to end and for the fake to drop its connection."""
    connected = len(fake.gateway.sessions)
    await asyncio.wait_for(bot.close(), timeout)
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    if connected:
        # The close handshake can finish before the server's handler has noticed it.
        with contextlib.suppress(AssertionError):
            await fake.wait_until(
                lambda: len(fake.gateway.sessions) < connected, timeout, "the bot to disconnect"
            )


async def _wait_ready(
    fake: FakeDiscord, bot: discord.Client, task: asyncio.Task[None], timeout: float
) -> None:
    """Return once `bot` is ready; raise what `bot.start()` raised if it ended first."""

    async def ready() -> None:
        while True:
            # wait_until_ready() raises until login() has created the client's ready event.
            try:
                await bot.wait_until_ready()
                return
            except RuntimeError:
                await asyncio.sleep(0)

    waiter = asyncio.create_task(ready())
    done, _ = await asyncio.wait(
        {waiter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter not in done:
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        if task in done:
            task.result()
            raise RuntimeError("bot.start() returned before the bot was ready")
        raise AssertionError(fake.report(f"bot not ready after {timeout}s"))
