"""REST route handlers of the fake Discord server (everything under /api/v10)."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from support.fakediscord.channels import channel_payload
from support.fakediscord.payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    LOADING,
    MODAL,
    UPDATE_MESSAGE,
    FakeChannel,
    member_payload,
    user_payload,
)
from support.fakediscord.store import Call, DiscordError, FakeInteraction, check_modal_limits

if TYPE_CHECKING:
    from support.fakediscord import FakeDiscord

Result = tuple[int, Any]
Handler = Callable[[Call, dict[str, str]], Awaitable[Result]]

_ID = r"(?P<{}>\d+)"
_TOKEN = r"(?P<token>[^/]+)"
_WEBHOOK = rf"/webhooks/{_ID.format('app')}/{_TOKEN}"
_MSG = rf"/channels/{_ID.format('channel')}/messages"


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


class RestApi:
    """Answer the REST calls discord.py makes, against the state held by a `FakeDiscord`."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self.get_me),
            ("POST", r"/users/@me/channels", self.open_dm),
            ("GET", rf"/users/{_ID.format('user')}", self.get_user),
            ("GET", r"/(?:oauth2/)?applications/@me", self.get_application),
            ("GET", r"/gateway(?:/bot)?", self.get_gateway),
            (
                "GET",
                rf"/applications/\d+(?:/guilds/{_ID.format('guild')})?/commands",
                self.get_cmds,
            ),
            (
                "PUT",
                rf"/applications/\d+(?:/guilds/{_ID.format('guild')})?/commands",
                self.put_cmds,
            ),
            ("POST", rf"/interactions/{_ID.format('id')}/{_TOKEN}/callback", self.callback),
            ("POST", _WEBHOOK, self.followup),
            ("GET", rf"{_WEBHOOK}/messages/(?P<msg>@original|\d+)", self.get_webhook_msg),
            ("PATCH", rf"{_WEBHOOK}/messages/(?P<msg>@original|\d+)", self.edit_webhook_msg),
            ("DELETE", rf"{_WEBHOOK}/messages/(?P<msg>@original|\d+)", self.delete_webhook_msg),
            ("GET", rf"/channels/{_ID.format('channel')}", self.get_channel),
            ("POST", rf"/channels/{_ID.format('channel')}/typing", self.no_content),
            ("PUT", rf"/channels/{_ID.format('channel')}/thread-members/@me", self.join_thread),
            ("GET", _MSG, self.list_messages),
            ("POST", _MSG, self.create_message),
            ("GET", rf"{_MSG}/{_ID.format('msg')}", self.get_message),
            ("PATCH", rf"{_MSG}/{_ID.format('msg')}", self.edit_message),
            ("DELETE", rf"{_MSG}/{_ID.format('msg')}", self.delete_message),
            ("PUT", rf"{_MSG}/{_ID.format('msg')}/reactions/(?P<emoji>[^/]+)/@me", self.react),
            ("DELETE", rf"{_MSG}/{_ID.format('msg')}/reactions/(?P<emoji>[^/]+)/@me", self.unreact),
            (
                "GET",
                rf"/guilds/{_ID.format('guild')}/members/{_ID.format('user')}",
                self.get_member,
            ),
        ]
        self.routes = [(method, re.compile(path), handler) for method, path, handler in table]

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        """Return the handler and path parameters for a request, or None if unknown."""
        for route_method, pattern, handler in self.routes:
            m = pattern.fullmatch(path)
            if m is not None and route_method == method:
                return handler, {k: v for k, v in m.groupdict().items() if v is not None}
        return None

    # -- identity -------------------------------------------------------------------------
    async def get_me(self, call: Call, p: dict[str, str]) -> Result:
        return 200, {**user_payload(self.fake.bot_user), "verified": True, "mfa_enabled": False}

    async def get_user(self, call: Call, p: dict[str, str]) -> Result:
        user = self.fake.users.get(int(p["user"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return 200, user_payload(user)

    async def get_member(self, call: Call, p: dict[str, str]) -> Result:
        user = self.fake.users.get(int(p["user"]))
        if user is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return 200, member_payload(user, self.fake.guild_by_id(int(p["guild"])))

    async def open_dm(self, call: Call, p: dict[str, str]) -> Result:
        user = self.fake.users.get(int(call.json["recipient_id"]))
        if user is None:
            raise DiscordError(400, 50033, "Invalid Recipient(s)")
        return 200, channel_payload(self.fake.dm_channel(user))

    async def get_application(self, call: Call, p: dict[str, str]) -> Result:
        fake = self.fake
        return 200, {
            "id": str(fake.application_id),
            "name": fake.bot_user.name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": user_payload(fake.owner),
            "verify_key": "0" * 64,
            "flags": fake.application_flags,
            "team": None,
        }

    async def get_gateway(self, call: Call, p: dict[str, str]) -> Result:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        shards = self.fake.recommended_shards
        return 200, {"url": self.fake.gateway_url, "shards": shards, "session_start_limit": limit}

    # -- application commands -------------------------------------------------------------
    async def get_cmds(self, call: Call, p: dict[str, str]) -> Result:
        guild_id = int(p["guild"]) if "guild" in p else None
        return 200, self.fake.commands.get(guild_id, [])

    async def put_cmds(self, call: Call, p: dict[str, str]) -> Result:
        fake = self.fake
        guild_id = int(p["guild"]) if "guild" in p else None
        old = {(c["name"], c.get("type", 1)): c["id"] for c in fake.commands.get(guild_id, [])}
        stored = []
        for cmd in call.json or []:
            key = (cmd["name"], cmd.get("type", 1))
            data = {
                "type": 1,
                "description": "",
                **cmd,
                "id": old.get(key) or str(fake.snow.next()),
                "application_id": str(fake.application_id),
                "version": str(fake.snow.next()),
            }
            if guild_id is not None:
                data["guild_id"] = str(guild_id)
            stored.append(data)
        fake.commands[guild_id] = stored
        return 200, stored

    # -- interactions ---------------------------------------------------------------------
    def _interaction(self, token: str, *, unknown_code: int = 10062) -> FakeInteraction:
        inter = self.fake.interactions.get(token)
        webhook = unknown_code != 10062
        if inter is None or (inter.expired and not webhook):
            message = "Unknown Webhook" if webhook else "Unknown interaction"
            raise DiscordError(404, unknown_code, message)
        if inter.expired:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return inter

    async def callback(self, call: Call, p: dict[str, str]) -> Result:
        inter = self._interaction(p["token"])
        late = time.monotonic() - inter.created_at
        if inter.callback is None and late > self.fake.interaction_window:
            # Discord drops an interaction not answered within 3 s of real time.
            inter.expired = True
            raise DiscordError(404, 10062, f"Unknown interaction (answered after {late:.1f} s)")
        if str(inter.id) != p["id"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        if inter.callback is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        kind = call.json["type"]
        data = call.json.get("data") or {}
        if kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE) and inter.message_id is None:
            raise DiscordError(400, 50035, "Invalid Form Body: no message to update")
        msg: dict[str, Any] | None = None
        if kind == CHANNEL_MESSAGE:
            msg = self._interaction_message(inter, data, call)
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = LOADING | ((data.get("flags") or 0) & EPHEMERAL)
            msg = self._interaction_message(inter, {"flags": flags}, call)
        elif kind == UPDATE_MESSAGE:
            msg = self.fake.store.edit(inter.message_id or 0, data, call.files)
            self.fake.echo("MESSAGE_UPDATE", msg)
        elif kind == MODAL:
            check_modal_limits(data)
            self.fake.modals[data["custom_id"]] = data
        if kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            inter.original_id = inter.message_id
        inter.callback = call
        info: dict[str, Any] = {"id": str(inter.id), "type": inter.type}
        if inter.original_id is not None:
            flags = self.fake.store.get(inter.original_id)["flags"]
            info["response_message_id"] = str(inter.original_id)
            info["response_message_loading"] = bool(flags & LOADING)
            info["response_message_ephemeral"] = bool(flags & EPHEMERAL)
        if not _truthy(call.query.get("with_response")):
            return 204, None
        result: dict[str, Any] = {"interaction": info}
        if kind not in (DEFERRED_UPDATE_MESSAGE, AUTOCOMPLETE_RESULT):
            result["resource"] = {"type": kind}
            if msg is not None:
                result["resource"]["message"] = msg
        return 200, result

    def _interaction_message(
        self, inter: FakeInteraction, data: dict[str, Any], call: Call
    ) -> dict[str, Any]:
        fake = self.fake
        extra = {
            "type": 20 if inter.type == APPLICATION_COMMAND else 0,
            "webhook_id": str(fake.application_id),
            "application_id": str(fake.application_id),
            "interaction_metadata": {
                "id": str(inter.id),
                "type": inter.type,
                "user": user_payload(inter.user),
                "authorizing_integration_owners": inter.payload["authorizing_integration_owners"],
            },
        }
        msg = fake.store.create(inter.channel, fake.bot_user, data, call.files, extra=extra)
        inter.original_id = int(msg["id"])
        fake.echo("MESSAGE_CREATE", msg)
        return msg

    async def followup(self, call: Call, p: dict[str, str]) -> Result:
        inter = self._interaction(p["token"], unknown_code=10015)
        if inter.callback is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        store = self.fake.store
        original = store.current.get(inter.original_id or 0)
        if original is not None and original["flags"] & LOADING:
            # The first follow-up after a "thinking" deferral fills the deferred message.
            msg = store.edit(int(original["id"]), call.json or {}, call.files)
            self.fake.echo("MESSAGE_UPDATE", msg)
        else:
            msg = self._interaction_message_followup(inter, call)
        inter.followup_ids.append(int(msg["id"]))
        return (200, msg) if _truthy(call.query.get("wait")) else (204, None)

    def _interaction_message_followup(self, inter: FakeInteraction, call: Call) -> dict[str, Any]:
        fake = self.fake
        extra = {"webhook_id": str(fake.application_id), "application_id": str(fake.application_id)}
        msg = fake.store.create(
            inter.channel, fake.bot_user, call.json or {}, call.files, extra=extra
        )
        fake.echo("MESSAGE_CREATE", msg)
        return msg

    def _webhook_target(self, p: dict[str, str]) -> tuple[FakeInteraction, int]:
        inter = self._interaction(p["token"], unknown_code=10015)
        if p["msg"] == "@original":
            if inter.original_id is None:
                raise DiscordError(404, 10008, "Unknown Message")
            return inter, inter.original_id
        return inter, int(p["msg"])

    async def get_webhook_msg(self, call: Call, p: dict[str, str]) -> Result:
        _, message_id = self._webhook_target(p)
        return 200, self.fake.store.get(message_id)

    async def edit_webhook_msg(self, call: Call, p: dict[str, str]) -> Result:
        inter, message_id = self._webhook_target(p)
        msg = self.fake.store.edit(message_id, call.json or {}, call.files)
        if p["msg"] == "@original":
            inter.edits.append(call)
        self.fake.echo("MESSAGE_UPDATE", msg)
        return 200, msg

    async def delete_webhook_msg(self, call: Call, p: dict[str, str]) -> Result:
        _, message_id = self._webhook_target(p)
        self._deleted(self.fake.store.delete(message_id))
        return 204, None

    # -- channels and messages ------------------------------------------------------------
    def _channel(self, p: dict[str, str]) -> FakeChannel:
        channel = self.fake.channels.get(int(p["channel"]))
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    def _channel_message(self, p: dict[str, str]) -> dict[str, Any]:
        self.fake.check_bot_can_see(self._channel(p))
        msg = self.fake.store.get(int(p["msg"]))
        if msg["channel_id"] != p["channel"]:
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    async def get_channel(self, call: Call, p: dict[str, str]) -> Result:
        channel = self._channel(p)
        self.fake.check_bot_can_see(channel)
        return 200, channel_payload(channel)

    async def join_thread(self, call: Call, p: dict[str, str]) -> Result:
        thread = self._channel(p)
        self.fake.join_thread(thread)
        return 204, None

    async def no_content(self, call: Call, p: dict[str, str]) -> Result:
        self._channel(p)
        return 204, None

    async def list_messages(self, call: Call, p: dict[str, str]) -> Result:
        messages = self.fake.store.in_channel(self._channel(p).id)
        q = call.query
        if "before" in q:
            messages = [m for m in messages if int(m["id"]) < int(q["before"])]
        if "after" in q:
            messages = [m for m in messages if int(m["id"]) > int(q["after"])]
        limit = int(q.get("limit", 50))
        return 200, list(reversed(messages))[:limit]

    async def create_message(self, call: Call, p: dict[str, str]) -> Result:
        channel = self._channel(p)
        body = call.json or {}
        self.fake.check_bot_can_post(channel, body)
        msg = self.fake.store.create(channel, self.fake.bot_user, body, call.files)
        self.fake.echo("MESSAGE_CREATE", msg)
        return 200, msg

    async def get_message(self, call: Call, p: dict[str, str]) -> Result:
        return 200, self._channel_message(p)

    async def edit_message(self, call: Call, p: dict[str, str]) -> Result:
        self._channel_message(p)
        msg = self.fake.store.edit(int(p["msg"]), call.json or {}, call.files)
        self.fake.echo("MESSAGE_UPDATE", msg)
        return 200, msg

    async def delete_message(self, call: Call, p: dict[str, str]) -> Result:
        self._channel_message(p)
        self._deleted(self.fake.store.delete(int(p["msg"])))
        return 204, None

    def _deleted(self, msg: dict[str, Any]) -> None:
        event = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if "guild_id" in msg:
            event["guild_id"] = msg["guild_id"]
        self.fake.echo("MESSAGE_DELETE", event, ephemeral=bool(msg["flags"] & EPHEMERAL))

    async def react(self, call: Call, p: dict[str, str]) -> Result:
        msg = self._channel_message(p)
        name = unquote(p["emoji"])
        for reaction in msg["reactions"]:
            if reaction["emoji"]["name"] == name:
                reaction["count"] += 0 if reaction["me"] else 1
                reaction["me"] = True
                break
        else:
            emoji = {"id": None, "name": name}
            msg["reactions"].append({"emoji": emoji, "count": 1, "me": True})
        return 204, None

    async def unreact(self, call: Call, p: dict[str, str]) -> Result:
        msg = self._channel_message(p)
        name = unquote(p["emoji"])
        for reaction in list(msg["reactions"]):
            if reaction["emoji"]["name"] == name and reaction["me"]:
                reaction["me"] = False
                reaction["count"] -= 1
                if reaction["count"] == 0:
                    msg["reactions"].remove(reaction)
        return 204, None
