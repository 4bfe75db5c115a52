"""A fake Discord on 127.0.0.1 that the real discord.py 2.7 client logs into, for end-to-end tests.

The bot under test runs unmodified. `running_bot` points discord.py's REST base and gateway URL
at the fake, starts `bot.start(token)`, waits until the bot is ready and closes it on exit. The
fake then plays Discord's users: it sends slash commands, clicks, modal submits and chat messages
over the gateway and records every REST call the bot makes, so a test asserts on what the bot
answered. Everything is in-process on a free loopback port; a typical test takes ~0.1 s.

Quick start (conftest.py provides `fake_discord`, a started `FakeDiscord`)::

    from support.fakediscord import MANAGE_GUILD, MEMBER_PERMISSIONS, FakeDiscord, running_bot

    async def test_quiz(fake_discord: FakeDiscord) -> None:
        fake = fake_discord
        alice = fake.add_user("alice")
        admin = fake.add_user("admin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
        async with running_bot(fake, make_bot()) as bot:    # any discord.Client
            await bot.tree.sync()                           # recorded as a PUT
            inter = await fake.slash(alice, fake.channel, "quiz start", {"topic": "rivers"})
            reply = await fake.response_to(inter)           # the callback (+ follow-ups)
            assert reply.embeds[0]["title"] == "Question 1"
            click = await fake.click(alice, reply.message_id, reply.custom_ids[0])
            assert (await fake.response_to(click)).ephemeral

World. `fake.guild` ("Quiz Guild") with `fake.channel` ("general"); `add_user`, `add_channel`,
`add_guild` and `dm_channel(user)` add more (add users before starting the bot: the guild's
member list is sent at login). Every user is a member of every guild. `FakeUser` is a dataclass
(id, name, global_name, permissions bitfield, nick); its permissions sit on a personal role, so
`interaction.permissions` and `member.guild_permissions` both reflect them. `fake.bot_user` is the
bot; `fake.app_permissions` is its bitfield: sent as `app_permissions` in interactions (override
per call with `app_permissions=`), and channel messages without SEND_MESSAGES get 403/50013.
Discord's length and count limits (content 2000, embeds 10 and 6000 characters, 25 fields, 5 rows
of 5 components, custom_id 1-100, modal title 45 and 1-5 inputs...) are enforced: a body that
breaks one gets 400/50035, as discord.py only checks counts itself.

Driving the bot (interactions need a connected bot and return a `FakeInteraction`):
  - `slash(user, channel, "name", options, group=None, subcommand=None)`, or "name sub" /
    "name group sub" as one string. Option types come from the synced commands (unknown or
    missing required options raise ValueError); before any sync they are inferred from the
    values. Pass a `FakeUser`, `FakeChannel` or `FakeFile` for those option types; a `FakeFile`
    becomes an attachment whose URL is on the fake, so `Attachment.read()` works. A guild
    channel sends `member` (with `permissions`), a DM channel sends `user`.
  - `autocomplete(user, channel, "name", options, focused="option_name")`.
  - `click(user, message_id, custom_id, values=None)`: the interaction carries the stored
    message and its components, so views and `DynamicItem`s resolve, also after a restart.
    Unknown or disabled components raise ValueError.
  - `submit_modal(user, channel, custom_id, {"input_id": "text"}, message_id=None)`: answers
    the modal the bot opened with that custom_id, mirroring its rows or labels.
  - `say(user, channel, content, files=None)`: a chat message (MESSAGE_CREATE). A bot without
    the message_content intent gets it emptied in guild channels unless mentioned, as on
    Discord. `react(user, message_id, emoji)` adds a reaction.
  - `expired=True` (slash, click) delivers an interaction too late: its callback gets 404/10062;
    `expire(interaction)` makes later follow-ups and edits fail with 401/50027.
  - `response_to(interaction, followups=0, settle=True)`: waits for the callback and returns an
    `InteractionReply`: type, data (the callback's `data`), message (the original response
    message, live: it reflects later edits), followups, and content, embeds, components,
    custom_ids, ephemeral, message_id, modal (type 9) and choices (type 8). After a deferral it
    also waits for the deferred answer; `followups=n` waits for n follow-up messages.

Inspecting. `calls(method, path_re, after=0)` and `await wait_for_call(method, path_re,
predicate, timeout)` return `Call`s (method, path, query, json, files, status, route, response
snapshot); paths are relative to /api/v10 and matched with `re.fullmatch`, e.g.
r"/channels/\\d+/messages". `mark()` before an action and `after=mark` see only newer calls;
`wait_until(condition, timeout, what)` waits for anything. `messages_in(channel)`, `message(id)`
and `message_versions(id)` give stored messages (current state, with the `allowed_mentions`
the bot sent and the `mentions` Discord would have pinged), `is_deleted(id)`,
`attachment_bytes(url)`. `unknown_calls()` lists routes the fake does not serve (it answers
404), `bot_errors` holds discord.py's ERROR logs while a bot ran, `errors` the fake's own
failures (the fixture fails the test on those), `gateway.received` the bot's gateway payloads.
`fail_next(method, path_re, status=403, code=50013, message=...)` fails the next matching call
with Discord's error JSON (use 4xx: discord.py retries 5xx with real sleeps).

Restarts. Close a bot and start a new instance on the same fake (two `running_bot` blocks):
messages, synced commands and users survive. `force_reconnect()` makes connected clients
RESUME. Every wait is bounded (default 5 s) and fails with an AssertionError that lists the
latest calls and errors. `running_bot(..., fast_ready=True)` shortens the client's 2 s wait
for late GUILD_CREATEs; a client that dies while a test runs makes `running_bot` raise.
"""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from support.fakediscord.driver import BotDriver
from support.fakediscord.gateway import Gateway
from support.fakediscord.http import API_PREFIX, HttpFront
from support.fakediscord.payloads import (
    ADMINISTRATOR,
    BOT_PERMISSIONS,
    EMBED_LINKS,
    EPHEMERAL,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    PRIVILEGED_INTENTS,
    SEND_MESSAGES,
    FakeChannel,
    FakeFile,
    FakeGuild,
    FakeUser,
    Snowflakes,
)
from support.fakediscord.rest import RestApi
from support.fakediscord.runner import fast_start, pointed_at, running_bot
from support.fakediscord.store import (
    Call,
    DiscordError,
    FakeInteraction,
    InteractionReply,
    MessageStore,
)
from support.fakediscord.world import ChannelWorld

__all__ = [
    "ADMINISTRATOR",
    "BOT_PERMISSIONS",
    "EMBED_LINKS",
    "MANAGE_GUILD",
    "MEMBER_PERMISSIONS",
    "SEND_MESSAGES",
    "Call",
    "FakeChannel",
    "FakeDiscord",
    "FakeFile",
    "FakeGuild",
    "FakeInteraction",
    "FakeUser",
    "InteractionReply",
    "fast_start",
    "pointed_at",
    "running_bot",
]

GATEWAY_PATH = "/gateway-ws"
_T = TypeVar("_T")


class FakeDiscord(ChannelWorld, BotDriver):
    """An in-process Discord API and gateway; see the module docstring for a tour."""

    def __init__(self, *, token: str = "fake-token", bot_name: str = "QuizBot") -> None:
        self.token = token
        self.snow = Snowflakes()
        self.application_id = self.snow.next()
        self.application_flags = 0
        self.bot_user = FakeUser(
            self.application_id, bot_name, permissions=BOT_PERMISSIONS, bot=True
        )
        self.owner = FakeUser(self.snow.next(), "app-owner")
        self.users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user}
        self.guilds: list[FakeGuild] = []
        self.channels: dict[int, FakeChannel] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: dict[str, FakeInteraction] = {}
        self.modals: dict[str, dict[str, Any]] = {}
        self.privileged_intents = PRIVILEGED_INTENTS
        #: The shard count GET /gateway/bot recommends (a bot asking Discord uses it).
        self.recommended_shards = 1
        self.bot_errors: list[str] = []
        #: Seconds of real time the bot has to answer an interaction (Discord's 3 s).
        self.interaction_window = 3.0
        self.errors: list[str] = []
        self.store = MessageStore(self.snow, self.users)
        self.rest = RestApi(self)
        self.http = HttpFront(self)
        self.gateway = Gateway(self)
        self.port = 0
        self._dms: dict[int, FakeChannel] = {}
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self.guild = self.add_guild("Quiz Guild")
        self.channel = self.add_channel("general")

    # -- world ----------------------------------------------------------------------------
    @property
    def app_permissions(self) -> int:
        """Return the bot's permission bitfield (sent as `app_permissions`)."""
        return self.bot_user.permissions

    @app_permissions.setter
    def app_permissions(self, value: int) -> None:
        self.bot_user.permissions = value

    def add_user(
        self,
        name: str,
        *,
        permissions: int = MEMBER_PERMISSIONS,
        global_name: str | None = None,
        nick: str | None = None,
    ) -> FakeUser:
        """Create a user who is a member of every guild, with `permissions` there."""
        user = FakeUser(self.snow.next(), name, global_name, permissions, nick=nick)
        self.users[user.id] = user
        for guild in self.guilds:
            guild.member_roles[user.id] = self.snow.next()
        return user

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> FakeGuild:
        """Create a guild that every user (and the bot) is a member of.

        `shard=(shard_id, shard_count)` picks an id whose events go to that shard.
        """
        guild_id = self.snow.next() if shard is None else self.snow.next_on_shard(*shard)
        guild = FakeGuild(guild_id, name, owner_id=self.owner.id)
        guild.member_roles = {uid: self.snow.next() for uid in self.users}
        self.guilds.append(guild)
        return guild

    def add_channel(self, name: str, guild: FakeGuild | None = None) -> FakeChannel:
        """Create a text channel in `guild` (default: `fake.guild`)."""
        guild = guild or self.guild
        channel = FakeChannel(
            self.snow.next(), name, guild_id=guild.id, position=len(guild.channels)
        )
        guild.channels.append(channel)
        self.channels[channel.id] = channel
        return channel

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """Return the DM channel between the bot and `user`, creating it once."""
        if user.id not in self._dms:
            channel = FakeChannel(self.snow.next(), f"dm-{user.name}", type=1, recipient=user)
            self._dms[user.id] = self.channels[channel.id] = channel
        return self._dms[user.id]

    def guild_by_id(self, guild_id: int) -> FakeGuild:
        """Return a guild or raise Unknown Guild."""
        for guild in self.guilds:
            if guild.id == guild_id:
                return guild
        raise DiscordError(404, 10004, "Unknown Guild")

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Return `http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Return the value for `discord.http.Route.BASE`."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Return the websocket URL for `DiscordWebSocket.DEFAULT_GATEWAY`."""
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    async def start(self) -> FakeDiscord:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self.http.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.store.base_url = self.base_url
        return self

    async def stop(self) -> None:
        """Close gateway connections and stop listening."""
        await self.gateway.close_all()
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- recording and waiting ------------------------------------------------------------
    def notify(self) -> None:
        """Wake every waiter; called after each recorded call and gateway change."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def mark(self) -> int:
        """Return the number of calls so far, for `after=` arguments."""
        return len(self.http.log)

    def calls(
        self, method: str | None = None, path_re: str | None = None, *, after: int = 0
    ) -> list[Call]:
        """Return recorded calls, oldest first, filtered by method and `re.fullmatch` on path."""
        pattern = re.compile(path_re) if path_re is not None else None
        return [
            c
            for c in self.http.log[after:]
            if (method is None or c.method == method)
            and (pattern is None or pattern.fullmatch(c.path))
        ]

    def unknown_calls(self) -> list[Call]:
        """Return the calls to routes the fake does not serve."""
        return [c for c in self.http.log if c.route is None and c.status == 404]

    async def wait_for_call(
        self,
        method: str,
        path_re: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        *,
        after: int = 0,
    ) -> Call:
        """Return the first answered call (since `after`) that matches, waiting for it."""

        def find() -> Call | None:
            for call in self.calls(method, path_re, after=after):
                if call.status and (predicate is None or predicate(call)):
                    return call
            return None

        return await self.wait_until(find, timeout, f"{method} {path_re}")

    async def wait_until(self, condition: Callable[[], _T | None], timeout: float, what: str) -> _T:
        """Return the first truthy value of `condition`, re-checked after every call."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    result = condition()
                    if result:
                        return result
                    await changed.wait()
        except TimeoutError:
            raise AssertionError(
                self.report(f"timed out after {timeout}s waiting for {what}")
            ) from None

    def report(self, headline: str) -> str:
        """Describe the fake's state after `headline`: connections, latest calls, errors."""
        recent = [f"  {c.method} {c.path} -> {c.status}" for c in self.http.log[-12:]]
        # Full tracebacks stay in bot_errors; the first lines are enough to point the way.
        errors = [
            f"  {e.splitlines()[0] if e else e}" for e in (self.errors + self.bot_errors)[-5:]
        ]
        lines = [headline, f"bots connected: {len(self.gateway.ready_sessions)}", "latest calls:"]
        return "\n".join([*lines, *(recent or ["  (none)"]), "errors:", *(errors or ["  (none)"])])

    def fail_next(
        self, method: str, path_re: str, *, status: int = 403, code: int = 50013,
        message: str = "Missing Permissions", times: int = 1,
        when: Callable[[Call], bool] | None = None,
    ) -> None:  # fmt: skip
        """Answer the next `times` matching calls with a Discord error (prefer 4xx: 5xx retries).

        `when` narrows the match further (e.g. only uploads: `lambda call: bool(call.files)`).
        """
        self.http.fail_next(
            method, path_re, status=status, code=code, message=message, times=times, when=when
        )

    def rate_limit(
        self, method: str, path_re: str, *, retry_after: float, times: int = 1
    ) -> None:
        """Answer the next `times` matching calls with 429 and `retry_after` (discord.py waits
        that long, for real, then sends the call again)."""
        self.http.fail_next(
            method, path_re, status=429, code=0, message="You are being rate limited.",
            times=times, retry_after=retry_after,
        )  # fmt: skip

    def messages_in(
        self, channel: FakeChannel | int, *, include_ephemeral: bool = True
    ) -> list[dict[str, Any]]:
        """Return the current state of a channel's live messages, oldest first."""
        channel_id = channel.id if isinstance(channel, FakeChannel) else channel
        messages = self.store.in_channel(channel_id)
        return [m for m in messages if include_ephemeral or not m["flags"] & EPHEMERAL]

    def message(self, message_id: int | str) -> dict[str, Any]:
        """Return the current (or, if deleted, last) state of a message."""
        return self.store.current[int(message_id)]

    def message_versions(self, message_id: int | str) -> list[dict[str, Any]]:
        """Return every state a message has had, oldest first."""
        return self.store.versions[int(message_id)]

    def is_deleted(self, message_id: int | str) -> bool:
        """Return True when the bot deleted the message."""
        return int(message_id) in self.store.deleted

    def attachment_bytes(self, url: str) -> bytes:
        """Return the bytes behind an attachment URL served by the fake."""
        m = re.search(r"/attachments/(\d+)/", url)
        if m is None:
            raise KeyError(url)
        return self.store.files[int(m[1])].data
