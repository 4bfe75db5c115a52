"""Recorded REST calls, tracked interactions and the message store of the fake Discord server."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from support.fakediscord.limits import DiscordError, check_message_limits
from support.fakediscord.payloads import (
    EPHEMERAL,
    LOADING,
    FakeChannel,
    FakeFile,
    FakeUser,
    Snowflakes,
    attachment_payload,
    base_message,
    iso,
    mentioned_users,
    walk_components,
)

_EDITABLE_KEYS = ("content", "embeds", "components", "tts", "allowed_mentions", "poll")
# What an explicit null in an edit leaves behind (discord.py sends null to remove things).
_CLEARED: dict[str, Any] = {"content": "", "embeds": [], "components": [], "tts": False}


@dataclass
class Call:
    """One REST request the bot made, as the fake received and answered it.

    `path` is relative to `/api/v10` (e.g. `/channels/1/messages`); paths outside the API
    (attachment downloads) are kept whole. `json` is the JSON body, or the `payload_json`
    part of a multipart upload whose files are in `files`. `response` is a snapshot of what
    the fake answered. `route` names the handler, or is None when the fake did not know the
    route (it then answered 404).
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    timestamp: float
    files: list[FakeFile] = field(default_factory=list)
    status: int = 0
    route: str | None = None
    response: Any = None


@dataclass
class FakeInteraction:
    """An interaction the fake sent to the bot, and what the bot has answered so far."""

    id: int
    token: str
    type: int
    user: FakeUser
    channel: FakeChannel
    payload: dict[str, Any]
    mark: int
    message_id: int | None = None
    callback: Call | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    edits: list[Call] = field(default_factory=list)
    expired: bool = False
    #: When the fake sent it (time.monotonic): the first answer must come within the window.
    created_at: float = field(default_factory=time.monotonic)

    @property
    def callback_type(self) -> int | None:
        """Return the callback type the bot answered with (4, 5, 6, 7, 8, 9), if any."""
        return None if self.callback is None else self.callback.json["type"]


@dataclass
class InteractionReply:
    """What the bot answered to one interaction: the callback plus the messages it produced.

    `message` is the current state of the original response message (the one created by a
    type 4/5 callback, or the component's message for types 6/7); `followups` are the current
    states of the follow-up messages, oldest first.
    """

    interaction: FakeInteraction
    type: int
    data: dict[str, Any]
    message: dict[str, Any] | None
    followups: list[dict[str, Any]]

    @property
    def message_id(self) -> int:
        """Return the original message's id (raise if the callback created none)."""
        if self.message is None:
            raise AssertionError(f"callback type {self.type} produced no message")
        return int(self.message["id"])

    @property
    def content(self) -> str:
        """Return the original message's content ('' if none)."""
        return (self.message or {}).get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Return the original message's embeds."""
        return (self.message or {}).get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        """Return the original message's top-level components."""
        return (self.message or {}).get("components") or []

    @property
    def ephemeral(self) -> bool:
        """Return True when the original message is ephemeral (flag 64)."""
        flags = (self.message or self.data).get("flags") or 0
        return bool(flags & EPHEMERAL)

    @property
    def custom_ids(self) -> list[str]:
        """Return the custom_ids of every component of the original message, in order."""
        comps = walk_components(self.components)
        return [c["custom_id"] for c in comps if "custom_id" in c]

    @property
    def modal(self) -> dict[str, Any] | None:
        """Return the modal (custom_id, title, components) for a type 9 callback."""
        return self.data if self.type == 9 else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """Return the autocomplete choices for a type 8 callback."""
        return self.data.get("choices") if self.type == 8 else None


class MessageStore:
    """Every message the fake knows, in its current state, with its edit history."""

    def __init__(self, snow: Snowflakes, users: dict[int, FakeUser]) -> None:
        self._snow = snow
        self._users = users
        self.base_url = ""
        self.current: dict[int, dict[str, Any]] = {}
        self.versions: dict[int, list[dict[str, Any]]] = {}
        self.deleted: set[int] = set()
        self.files: dict[int, FakeFile] = {}

    def add_file(self, file: FakeFile) -> dict[str, Any]:
        """Store bytes for download and return their attachment object."""
        attachment_id = self._snow.next()
        self.files[attachment_id] = file
        url = f"{self.base_url}/attachments/{attachment_id}/{file.filename}"
        return attachment_payload(attachment_id, file, url)

    def get(self, message_id: int) -> dict[str, Any]:
        """Return a live message or raise Unknown Message."""
        if message_id not in self.current or message_id in self.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return self.current[message_id]

    def create(
        self,
        channel: FakeChannel,
        author: FakeUser,
        body: dict[str, Any],
        files: list[FakeFile],
        *,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create and store a message from a create-message request body."""
        msg = base_message(self._snow.next(), channel, author)
        msg.update(extra or {})
        self._apply(msg, body, files, edit=False)
        self._save(msg)
        return msg

    def edit(self, message_id: int, body: dict[str, Any], files: list[FakeFile]) -> dict[str, Any]:
        """Apply an edit-message request body to a stored message."""
        msg = self.get(message_id)
        self._apply(msg, body, files, edit=True)
        self._save(msg)
        return msg

    def delete(self, message_id: int) -> dict[str, Any]:
        """Mark a message deleted (its last state stays in `versions`)."""
        msg = self.get(message_id)
        self.deleted.add(message_id)
        return msg

    def store(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Store a message built elsewhere (chat messages typed by users)."""
        self._save(msg)
        return msg

    def in_channel(self, channel_id: int) -> list[dict[str, Any]]:
        """Return the live messages of a channel, oldest first."""
        return [
            m
            for mid, m in self.current.items()
            if m["channel_id"] == str(channel_id) and mid not in self.deleted
        ]

    def _save(self, msg: dict[str, Any]) -> None:
        message_id = int(msg["id"])
        self.current[message_id] = msg
        self.versions.setdefault(message_id, []).append(copy.deepcopy(msg))

    def _apply(
        self, msg: dict[str, Any], body: dict[str, Any], files: list[FakeFile], *, edit: bool
    ) -> None:
        check_message_limits(body)
        for key in _EDITABLE_KEYS:
            if key in body:
                msg[key] = body[key] if body[key] is not None else _CLEARED.get(key)
        if "flags" in body:
            # Ephemerality is fixed when a message is created; edits cannot change it.
            kept = msg["flags"] & EPHEMERAL if edit else 0
            msg["flags"] = (body["flags"] or 0) | kept
        if edit:
            msg["flags"] &= ~LOADING
            msg["edited_timestamp"] = iso()
        if "attachments" in body or files:
            msg["attachments"] = self._attachments(msg["attachments"], body, files)
        msg["mentions"] = self.mentions_for(msg)

    def _attachments(
        self, current: list[dict[str, Any]], body: dict[str, Any], files: list[FakeFile]
    ) -> list[dict[str, Any]]:
        existing = {a["id"]: a for a in current}
        result: list[dict[str, Any]] = []
        used: set[int] = set()
        for entry in body.get("attachments") or []:
            key = str(entry.get("id"))
            if key in existing:
                result.append(existing[key])
            elif key.isdigit() and int(key) < len(files):
                used.add(int(key))
                file = files[int(key)]
                name = entry.get("filename") or file.filename
                result.append(self.add_file(FakeFile(name, file.data, file.content_type)))
        result.extend(self.add_file(f) for i, f in enumerate(files) if i not in used)
        return result

    def mentions_for(self, msg: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the users a message pings, honouring its allowed_mentions."""
        # Only users the allowed_mentions let through are pinged, as on Discord.
        users = mentioned_users(msg.get("content", ""), self._users)
        allowed = msg.get("allowed_mentions")
        if allowed is None:
            return users
        if "users" in (allowed.get("parse") or []):
            return users
        explicit = {str(u) for u in allowed.get("users") or []}
        return [u for u in users if u["id"] in explicit]
