"""Guild-side payloads of the fake Discord: channels of every type, threads, roles, GUILD_CREATE,
interactions, and the permissions a member has in a channel after its overwrites."""

from __future__ import annotations

from typing import Any

from support.fakediscord.payloads import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DM,
    GUILD_FORUM,
    GUILD_VOICE,
    JOINED_AT,
    MANAGE_THREADS,
    PRIVATE_THREAD,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    FakeUser,
    iso,
    member_payload,
    user_payload,
)

#: Overwrite target types.
ROLE_TARGET, MEMBER_TARGET = 0, 1


def permissions_in(
    user: FakeUser, guild: FakeGuild, channel: FakeChannel, parent: FakeChannel | None
) -> int:
    """Return what `user` may do in `channel`, as Discord computes it.

    Base permissions (the @everyone role has none, the user's personal role has theirs), then
    the channel's overwrites: @everyone's, the user's role's, the user's own. A thread has no
    overwrites of its own and follows its parent. Without View Channel nothing else counts, and
    a private thread is seen only by its members and by those who may manage threads.
    """
    perms = user.permissions
    if perms & ADMINISTRATOR:
        return ALL_PERMISSIONS
    source = parent if channel.is_thread and parent is not None else channel
    role_id = guild.member_roles.get(user.id)
    ordered = sorted(
        source.overwrites,
        key=lambda o: (int(o["id"]) != guild.id, int(o["type"]) == MEMBER_TARGET),
    )
    for overwrite in ordered:
        target = int(overwrite["id"])
        if target in (guild.id, role_id) or (
            int(overwrite["type"]) == MEMBER_TARGET and target == user.id
        ):
            perms = (perms & ~int(overwrite["deny"])) | int(overwrite["allow"])
    hidden = channel.type == PRIVATE_THREAD and user.id not in channel.members
    if hidden and not perms & MANAGE_THREADS:
        perms &= ~VIEW_CHANNEL
    return perms if perms & VIEW_CHANNEL else 0


def _thread_fields(channel: FakeChannel) -> dict[str, Any]:
    return {
        "parent_id": str(channel.parent_id),
        "owner_id": str(channel.owner_id or 0),
        "message_count": 0,
        "member_count": len(channel.members),
        "total_message_sent": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": channel.archived,
            "locked": channel.locked,
            "auto_archive_duration": 1440,
            "archive_timestamp": iso(),
            "create_timestamp": iso(),
            "invitable": True,
        },
    }


def _type_fields(channel: FakeChannel) -> dict[str, Any]:
    """Return the keys a channel of this type carries beside the common ones."""
    if channel.is_thread:
        return _thread_fields(channel)
    if channel.type == GUILD_VOICE:
        return {"bitrate": 64000, "user_limit": 0, "rtc_region": None, "video_quality_mode": 1}
    if channel.type == GUILD_FORUM:
        return {
            "available_tags": [],
            "default_reaction_emoji": None,
            "default_sort_order": None,
            "default_forum_layout": 0,
            "default_thread_rate_limit_per_user": 0,
        }
    return {}


def thread_member_payload(thread: FakeChannel, user_id: int, guild_id: int) -> dict[str, Any]:
    """Return a thread member object (as in THREAD_MEMBER_UPDATE and the members route)."""
    return {
        "id": str(thread.id),
        "user_id": str(user_id),
        "guild_id": str(guild_id),
        "join_timestamp": iso(),
        "flags": 0,
    }


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
            "permission_overwrites": [dict(o) for o in channel.overwrites],
            "parent_id": str(channel.parent_id) if channel.parent_id else None,
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            **_type_fields(channel),
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
    guild: FakeGuild, users: list[FakeUser], members: list[FakeUser], bot: FakeUser
) -> dict[str, Any]:
    """Return the full GUILD_CREATE payload; each user's permissions live on a personal role.

    `threads` holds the active threads the bot can see (not private ones it is not in).
    """
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
        "threads": [
            {**channel_payload(t), **_bot_membership(t, bot, guild)}
            for t in guild.threads
            if _visible(t, bot, guild)
        ],
        "voice_states": [],
        "presences": [],
        "emojis": [],
        "stickers": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


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


def _visible(thread: FakeChannel, bot: FakeUser, guild: FakeGuild) -> bool:
    parent = next((c for c in guild.channels if c.id == thread.parent_id), None)
    return bool(permissions_in(bot, guild, thread, parent) & VIEW_CHANNEL)


def _bot_membership(thread: FakeChannel, bot: FakeUser, guild: FakeGuild) -> dict[str, Any]:
    if bot.id not in thread.members:
        return {}
    member = thread_member_payload(thread, bot.id, guild.id)
    del member["guild_id"]
    return {"member": member}
