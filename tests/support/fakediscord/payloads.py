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
SEND_MESSAGES_IN_THREADS = 1 << 38

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

GUILD_TEXT = 0
DM = 1

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
    """A guild text channel (type 0) or a DM channel (type 1) with `recipient`."""

    id: int
    name: str
    type: int = GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    recipient: FakeUser | None = None

    @property
    def is_dm(self) -> bool:
        """Return True for a DM channel."""
        return self.guild_id is None


@dataclass
class FakeGuild:
    """A guild: its channels and, per user, the id of the role that carries their permissions."""

    id: int
    name: str
    channels: list[FakeChannel] = field(default_factory=list)
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


def channel_payload(channel: FakeChannel, *, permissions: int | None = None) -> dict[str, Any]:
    """Return a channel object; `permissions` is the app's resolved permissions there."""
    if channel.is_dm:
        data: dict[str, Any] = {
            "id": str(channel.id),
            "type": DM,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user_payload(channel.recipient)] if channel.recipient else [],
        }
    else:
        data = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [],
            "parent_id": None,
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role_payload(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
    """Return a role object."""
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
        "icon": None,
        "unicode_emoji": None,
    }


def guild_create_payload(
    guild: FakeGuild, users: list[FakeUser], members: list[FakeUser]
) -> dict[str, Any]:
    """Return the full GUILD_CREATE payload; each user's permissions live on a personal role."""
    by_id = {u.id: u for u in users}
    roles = [role_payload(guild.id, "@everyone", 0, 0)]
    for position, (user_id, role_id) in enumerate(guild.member_roles.items(), start=1):
        user = by_id[user_id]
        roles.append(role_payload(role_id, f"{user.name}-perms", user.permissions, position))
    return {
        "id": str(guild.id),
        "name": guild.name,
        "unavailable": False,
        "owner_id": str(guild.owner_id),
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "features": [],
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "system_channel_id": str(guild.channels[0].id) if guild.channels else None,
        "system_channel_flags": 0,
        "afk_timeout": 300,
        "joined_at": JOINED_AT,
        "large": False,
        "member_count": len(users),
        "roles": roles,
        "channels": [channel_payload(c) for c in guild.channels],
        "members": [member_payload(u, guild) for u in members],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "emojis": [],
        "stickers": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


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


def interaction_payload(
    *,
    interaction_id: int,
    token: str,
    kind: int,
    application_id: int,
    user: FakeUser,
    channel: FakeChannel,
    guild: FakeGuild | None,
    app_permissions: int,
    data: dict[str, Any],
    message: dict[str, Any] | None = None,
    locale: str = "en-US",
) -> dict[str, Any]:
    """Return an INTERACTION_CREATE payload for a guild (member) or a DM (user)."""
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "type": kind,
        "token": token,
        "version": 1,
        "application_id": str(application_id),
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "app_permissions": str(app_permissions),
        "channel": channel_payload(channel, permissions=app_permissions),
        "channel_id": str(channel.id),
        "locale": locale,
        "data": data,
    }
    if guild is not None:
        payload["guild_id"] = str(guild.id)
        payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
        payload["guild_locale"] = "en-US"
        payload["member"] = member_payload(user, guild, with_permissions=True)
        payload["context"] = 0
        payload["authorizing_integration_owners"] = {"0": str(guild.id)}
    else:
        payload["user"] = user_payload(user)
        payload["context"] = 1
        payload["authorizing_integration_owners"] = {"0": "0"}
    if message is not None:
        payload["message"] = message
    return payload


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
