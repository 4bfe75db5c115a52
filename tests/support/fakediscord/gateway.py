"""Gateway websocket of the fake Discord server: HELLO, IDENTIFY/READY, RESUME and dispatches."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from support.fakediscord.channels import guild_create_payload
from support.fakediscord.payloads import (
    INTENT_GUILD_MEMBERS,
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    member_payload,
    user_payload,
)

if TYPE_CHECKING:
    from support.fakediscord import FakeDiscord

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
_CONTENT_KEYS = {"content": "", "embeds": [], "attachments": [], "components": []}


@dataclass
class GatewaySession:
    """One websocket connection of a client, with its own increasing sequence number."""

    ws: web.WebSocketResponse
    session_id: str = field(default_factory=lambda: secrets.token_hex(16))
    seq: int = 0
    intents: int = 0
    ready: bool = False
    #: (shard_id, shard_count) from IDENTIFY; None for an unsharded connection.
    shard: tuple[int, int] | None = None
    #: (event, guild id or None) of every dispatch sent on this connection.
    dispatched: list[tuple[str, int | None]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, op: int, d: Any, event: str | None = None) -> None:
        """Send one gateway payload as a plain JSON text frame."""
        async with self.lock:
            payload: dict[str, Any] = {"op": op, "d": d, "s": None, "t": event}
            if op == DISPATCH:
                self.seq += 1
                payload["s"] = self.seq
            await self.ws.send_str(json.dumps(payload))

    def receives(self, guild_id: int | None) -> bool:
        """Tell whether this connection's shard carries a guild's events (DMs go to shard 0)."""
        return shard_receives(self.shard, guild_id)


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard a guild's events go to, by Discord's formula."""
    return (guild_id >> 22) % shard_count


def shard_receives(shard: tuple[int, int] | None, guild_id: int | None) -> bool:
    """Tell whether a shard (None: unsharded) carries a guild's events (DMs go to shard 0)."""
    if shard is None:
        return True
    shard_id, count = shard
    return shard_id == (0 if guild_id is None else shard_of(guild_id, count))


class Gateway:
    """Serve gateway connections and send events to every client that finished IDENTIFY."""

    heartbeat_interval_ms = 41_250

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: list[GatewaySession] = []
        self.received: list[dict[str, Any]] = []
        self._resumable: dict[str, int] = {}
        self._resumable_shards: dict[str, tuple[int, int] | None] = {}
        #: Events dispatched while a resumable client was away, replayed when it RESUMEs.
        self._missed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.resumes = 0

    @property
    def resumable(self) -> bool:
        """Tell whether a client that dropped may come back with RESUME."""
        return bool(self._resumable)

    @property
    def ready_sessions(self) -> list[GatewaySession]:
        """Return the sessions that received READY and their guilds."""
        return [s for s in self.sessions if s.ready and not s.ws.closed]

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Run one websocket connection until the client or the fake closes it."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = GatewaySession(ws)
        self.sessions.append(session)
        try:
            await session.send(HELLO, {"heartbeat_interval": self.heartbeat_interval_ms})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                self.received.append(payload)
                await self._on_op(session, payload)
        except ConnectionError:
            log.debug("gateway connection %s dropped", session.session_id)
        except Exception as exc:
            log.exception("fake gateway failed")
            self.fake.errors.append(f"fake gateway error: {exc!r}")
            await ws.close(code=1011)
        finally:
            self.sessions.remove(session)
            if session.ready:
                self._resumable[session.session_id] = session.seq
                self._resumable_shards[session.session_id] = session.shard
                session.ready = False
            self.fake.notify()
        return ws

    async def _on_op(self, session: GatewaySession, payload: dict[str, Any]) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            await session.send(HEARTBEAT_ACK, None)
        elif op == IDENTIFY:
            await self._identify(session, d)
        elif op == RESUME:
            await self._resume(session, d)
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(session, d)

    async def _identify(self, session: GatewaySession, d: dict[str, Any]) -> None:
        fake = self.fake
        if d.get("token") != fake.token:
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        session.intents = int(d.get("intents", 0))
        if session.intents & PRIVILEGED_INTENTS & ~fake.privileged_intents:
            await session.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        if "shard" in d:
            shard_id, count = (int(x) for x in d["shard"])
            if not 0 <= shard_id < count:
                await session.ws.close(code=4010, message=b"Invalid shard.")
                return
            session.shard = (shard_id, count)
        guilds = [g for g in fake.guilds if session.receives(g.id)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**user_payload(fake.bot_user), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": fake.gateway_url,
            "application": {"id": str(fake.application_id), "flags": fake.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "_trace": ["fakediscord"],
        }
        if "shard" in d:
            ready["shard"] = d["shard"]
        await session.send(DISPATCH, ready, "READY")
        with_members = bool(session.intents & INTENT_GUILD_MEMBERS)
        for guild in guilds:
            users = list(fake.users.values())
            members = users if with_members else [fake.bot_user]
            payload = guild_create_payload(guild, users, members, fake.bot_user)
            await session.send(DISPATCH, payload, "GUILD_CREATE")
            session.dispatched.append(("GUILD_CREATE", guild.id))
        session.ready = True
        fake.notify()

    async def _resume(self, session: GatewaySession, d: dict[str, Any]) -> None:
        seq = self._resumable.pop(d.get("session_id", ""), None)
        shard = self._resumable_shards.pop(d.get("session_id", ""), None)
        for old in self.sessions:
            # The old connection may not be cleaned up yet when the client comes back.
            if old is not session and old.session_id == d.get("session_id") and old.ready:
                old.ready = False
                seq, shard = old.seq, old.shard
        if seq is None or d.get("token") != self.fake.token:
            await session.send(INVALID_SESSION, False)
            return
        session.session_id = d["session_id"]
        session.shard = shard
        session.seq = max(seq, int(d.get("seq") or 0))
        # As Discord does: the events the client missed while away first, then RESUMED.
        for event, payload in self._missed.pop(session.session_id, []):
            await session.send(DISPATCH, payload, event)
        session.ready = True
        await session.send(DISPATCH, {"_trace": ["fakediscord"]}, "RESUMED")
        self.resumes += 1
        self.fake.notify()

    async def _members_chunk(self, session: GatewaySession, d: dict[str, Any]) -> None:
        guild = self.fake.guild_by_id(int(d["guild_id"]))
        users = list(self.fake.users.values())
        if d.get("user_ids"):
            wanted = {int(u) for u in d["user_ids"]}
            users = [u for u in users if u.id in wanted]
        elif d.get("query"):
            users = [u for u in users if u.name.lower().startswith(d["query"].lower())]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [member_payload(u, guild) for u in users],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        await session.send(DISPATCH, chunk, "GUILD_MEMBERS_CHUNK")

    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        needs_content: bool = False,
        guild_id: int | None = None,
    ) -> int:
        """Send an event to every ready client whose shard carries it; return how many got it.

        The guild is `guild_id`, else the payload's `guild_id` (none: a DM, for shard 0).
        With `needs_content`, clients without the message_content intent get the message
        with its content, embeds, attachments and components emptied, as Discord does.
        """
        if guild_id is None and data.get("guild_id"):
            guild_id = int(data["guild_id"])
        sessions = [s for s in self.ready_sessions if s.receives(guild_id)]
        for session_id in self._resumable:
            # A client that dropped gets this when it comes back (RESUME).
            if shard_receives(self._resumable_shards.get(session_id), guild_id):
                self._missed.setdefault(session_id, []).append((event, data))
        for session in sessions:
            payload = data
            if needs_content and not session.intents & INTENT_MESSAGE_CONTENT:
                payload = {**data, **_CONTENT_KEYS}
            try:
                await session.send(DISPATCH, payload, event)
                session.dispatched.append((event, guild_id))
            except ConnectionError:
                log.debug("could not send %s to closing session %s", event, session.session_id)
        return len(sessions)

    async def drop_all(self) -> None:
        """Cut every client's connection as a network failure would; they come back with RESUME."""
        for session in self.ready_sessions:
            await session.ws.close(code=4000, message=b"Unknown error")

    async def reconnect_all(self) -> None:
        """Ask every client to reconnect and RESUME (gateway opcode 7)."""
        for session in self.ready_sessions:
            await session.send(RECONNECT, None)

    async def close_all(self) -> None:
        """Close every open connection (used when the fake shuts down)."""
        for session in list(self.sessions):
            await session.ws.close(code=1001)
