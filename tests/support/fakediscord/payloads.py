"""Model objects, permission bits and Discord-shaped JSON payloads for the fake Discord server."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADD_REACTIONS = 1 << 6
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

MEMBER_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_MESSAGES

# Gateway intent bits the fake honours.
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction and callback types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15
THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)

JOINED_AT = "2024-01-01T00:00:00+00:00"
_MENTION_RE = re.compile(r"<@!?(\d+)>")


class Snowflakes:
    """Hand out strictly increasing snowflake ids that encode the current time."""

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        """Return a fresh snowflake, larger than every previous one."""
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (now_ms << 22) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """Return a fresh snowflake whose guild would be on that shard: (id >> 22) % count."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            # One millisecond later: the shard depends on the timestamp part only.
            candidate += 1 << 22
        self._last = candidate
        return candidate


@dataclass
class FakeUser:
    """A Discord user; in guilds it is a member whose permissions are `permissions`."""

    id: int
    name: str
    global_name: str | None = None
    permissions: int = MEMBER_PERMISSIONS
    bot: bool = False
    nick: str | None = None

    @property
    def mention(self) -> str:
        """Return the `<@id>` mention string."""
        return f"<@{self.id}>"


@dataclass
class FakeChannel:
    """A guild channel (text 0, voice 2, forum 15), a thread (11 public, 12 private) or a DM (1).

    A thread has `parent_id` (its text channel or forum) and the ids of its `members`; a guild
    channel has `overwrites`, Discord's permission overwrite objects, which its threads follow.
    """

    id: int
    name: str
    type: int = GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    recipient: FakeUser | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    members: set[int] = field(default_factory=set)
    archived: bool = False
    locked: bool = False

    @property
    def is_dm(self) -> bool:
        """Return True for a DM channel."""
        return self.guild_id is None

    @property
    def is_thread(self) -> bool:
        """Return True for a thread (a forum post is one too)."""
        return self.type in THREAD_TYPES


@dataclass
class FakeGuild:
    """A guild: its channels and, per user, the id of the role that carries their permissions."""

    id: int
    name: str
    channels: list[FakeChannel] = field(default_factory=list)
    #: Active threads (forum posts included): sent in GUILD_CREATE apart from the channels.
    threads: list[FakeChannel] = field(default_factory=list)
    member_roles: dict[int, int] = field(default_factory=dict)
    owner_id: int = 1


@dataclass
class FakeFile:
    """Bytes a test attaches to a slash command option or a chat message."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    #: The size the attachment object claims (a client can lie); the real size when None.
    announced_size: int | None = None


def iso(ts: float | None = None) -> str:
    """Return an ISO-8601 timestamp for `ts` (default: now)."""
    return datetime.fromtimestamp(time.time() if ts is None else ts, UTC).isoformat()


def user_payload(user: FakeUser) -> dict[str, Any]:
    """Return a Discord user object."""
    return {
        "id": str(user.id),
        "username": user.name,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def member_payload(
    user: FakeUser, guild: FakeGuild, *, with_user: bool = True, with_permissions: bool = False
) -> dict[str, Any]:
    """Return a guild member object (with `flags`, which discord.py requires)."""
    data: dict[str, Any] = {
        "roles": [str(guild.member_roles[user.id])] if user.id in guild.member_roles else [],
        "joined_at": JOINED_AT,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": user.nick,
        "avatar": None,
        "premium_since": None,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user_payload(user)
    if with_permissions:
        data["permissions"] = str(user.permissions)
    return data


def mentioned_users(content: str, users: dict[int, FakeUser]) -> list[dict[str, Any]]:
    """Return user objects for the `<@id>` mentions in `content` that name known users."""
    ids = dict.fromkeys(int(m) for m in _MENTION_RE.findall(content or ""))
    return [user_payload(users[i]) for i in ids if i in users]


def attachment_payload(attachment_id: int, file: FakeFile, url: str) -> dict[str, Any]:
    """Return an attachment object whose `url` is served by the fake."""
    return {
        "id": str(attachment_id),
        "filename": file.filename,
        "size": len(file.data) if file.announced_size is None else file.announced_size,
        "url": url,
        "proxy_url": url,
        "content_type": file.content_type,
    }


def base_message(
    message_id: int, channel: FakeChannel, author: FakeUser, *, content: str = ""
) -> dict[str, Any]:
    """Return a message object with every field discord.py reads, and no content yet."""
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "type": 0,
        "content": content,
        "author": user_payload(author),
        "timestamp": iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "reactions": [],
        "pinned": False,
        "flags": 0,
    }
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
    return data


def walk_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return every component in a (possibly nested) component tree, depth first."""
    found: list[dict[str, Any]] = []
    for comp in components:
        found.append(comp)
        found.extend(walk_components(comp.get("components", [])))
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), dict):
                found.extend(walk_components([comp[key]]))
    return found
