"""Channels of every type in the fake Discord: threads, forum posts, voice chat, overwrites.

Mixed into `FakeDiscord`. Threads and forum posts live in `guild.threads` (GUILD_CREATE sends
them apart from the channels); a private thread is seen only by its members. Overwrites set
with `set_permissions` change what `permissions_for` answers, the `app_permissions` of later
interactions, and what the REST routes allow; connected bots get CHANNEL_UPDATE, as on Discord.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from support.fakediscord.channels import (
    MEMBER_TARGET,
    ROLE_TARGET,
    channel_payload,
    permissions_in,
    thread_member_payload,
)
from support.fakediscord.payloads import (
    DM,
    EMBED_LINKS,
    GUILD_FORUM,
    GUILD_VOICE,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    FakeUser,
    Snowflakes,
    base_message,
)
from support.fakediscord.store import DiscordError, MessageStore

if TYPE_CHECKING:
    from support.fakediscord.gateway import Gateway


class ChannelWorld:
    """Create threads, forums and voice channels, and change who may do what in them."""

    if TYPE_CHECKING:
        gateway: Gateway
        snow: Snowflakes
        store: MessageStore
        bot_user: FakeUser
        guild: FakeGuild
        channels: dict[int, FakeChannel]

        def guild_by_id(self, guild_id: int) -> FakeGuild: ...
        def add_channel(self, name: str, guild: FakeGuild | None = None) -> FakeChannel: ...

    # -- creating channels ----------------------------------------------------------------
    def _guild_channel(self, name: str, kind: int, guild: FakeGuild | None) -> FakeChannel:
        channel = self.add_channel(name, guild)
        channel.type = kind
        return channel

    def add_voice_channel(self, name: str, guild: FakeGuild | None = None) -> FakeChannel:
        """Create a voice channel (type 2); its text chat takes messages like a text channel."""
        return self._guild_channel(name, GUILD_VOICE, guild)

    def add_forum(self, name: str, guild: FakeGuild | None = None) -> FakeChannel:
        """Create a forum channel (type 15): it holds posts (threads), never messages itself."""
        return self._guild_channel(name, GUILD_FORUM, guild)

    async def add_thread(
        self,
        parent: FakeChannel,
        name: str,
        *,
        owner: FakeUser,
        private: bool = False,
        members: tuple[FakeUser, ...] = (),
    ) -> FakeChannel:
        """Open a thread in a text channel (private: type 12) or a post in a forum (type 11).

        Its owner and `members` are its members; connected bots that can see it get
        THREAD_CREATE (a private thread is seen by its members and by thread managers).
        """
        if parent.type == GUILD_FORUM and private:
            raise ValueError("forum posts are public threads")
        guild = self.guild_by_id(parent.guild_id or 0)
        thread = FakeChannel(
            self.snow.next(), name, type=PRIVATE_THREAD if private else PUBLIC_THREAD,
            guild_id=guild.id, parent_id=parent.id, owner_id=owner.id,
            members={owner.id, *(m.id for m in members)},
        )  # fmt: skip
        guild.threads.append(thread)
        self.channels[thread.id] = thread
        if self.can_see(self.bot_user, thread):
            await self._send_thread(thread, newly_created=True)
        return thread

    async def forum_post(
        self, forum: FakeChannel, title: str, author: FakeUser, content: str
    ) -> FakeChannel:
        """Open a post in a forum: a public thread whose first message is `content`."""
        if forum.type != GUILD_FORUM:
            raise ValueError(f"#{forum.name} is not a forum")
        post = await self.add_thread(forum, title, owner=author)
        # A forum post's starter message has the post's id, as on Discord.
        starter = base_message(post.id, post, author, content=content)
        self.store.store(starter)
        return post

    async def add_thread_member(self, thread: FakeChannel, user: FakeUser) -> None:
        """Add a user to a thread (as a member mentioning them does); the bot learns of it."""
        thread.members.add(user.id)
        guild_id = thread.guild_id or 0
        if user.id == self.bot_user.id:
            # Being added to a thread sends the thread itself first, as Discord does.
            await self._send_thread(thread, newly_created=False)
        event = {
            "id": str(thread.id),
            "guild_id": str(guild_id),
            "member_count": len(thread.members),
            "added_members": [thread_member_payload(thread, user.id, guild_id)],
        }
        await self._dispatch_guild("THREAD_MEMBERS_UPDATE", event, guild_id)

    async def set_thread_state(
        self, thread: FakeChannel, *, archived: bool | None = None, locked: bool | None = None
    ) -> None:
        """Archive or lock (or reopen) a thread and send THREAD_UPDATE."""
        if archived is not None:
            thread.archived = archived
        if locked is not None:
            thread.locked = locked
        payload = channel_payload(thread)
        await self._dispatch_guild("THREAD_UPDATE", payload, thread.guild_id or 0)

    # -- permissions ----------------------------------------------------------------------
    async def set_permissions(
        self,
        channel: FakeChannel,
        target: FakeUser | FakeGuild,
        *,
        allow: int = 0,
        deny: int = 0,
    ) -> None:
        """Set a channel's overwrite for a member (or @everyone, given the guild); 0/0 removes it.

        Threads follow their parent's overwrites, so pass the parent channel for a thread.
        """
        if channel.is_thread or channel.is_dm:
            raise ValueError("overwrites belong to guild channels (threads follow their parent)")
        kind = ROLE_TARGET if isinstance(target, FakeGuild) else MEMBER_TARGET
        channel.overwrites = [o for o in channel.overwrites if int(o["id"]) != target.id]
        if allow or deny:
            entry = {"id": str(target.id), "type": kind, "allow": str(allow), "deny": str(deny)}
            channel.overwrites.append(entry)
        guild_id = channel.guild_id or 0
        await self._dispatch_guild("CHANNEL_UPDATE", channel_payload(channel), guild_id)

    def permissions_for(self, user: FakeUser, channel: FakeChannel) -> int:
        """Return `user`'s permissions in a guild channel or thread, after overwrites."""
        if channel.is_dm:
            return user.permissions
        guild = self.guild_by_id(channel.guild_id or 0)
        parent = self.channels.get(channel.parent_id or 0)
        return permissions_in(user, guild, channel, parent)

    def can_see(self, user: FakeUser, channel: FakeChannel) -> bool:
        """Tell whether `user` has View Channel there (members only, for a private thread)."""
        return bool(self.permissions_for(user, channel) & VIEW_CHANNEL)

    def check_bot_can_post(self, channel: FakeChannel, body: dict[str, Any]) -> None:
        """Refuse a channel message the bot may not send there, as Discord does.

        Without Embed Links the message is sent but its embeds are dropped.
        """
        if channel.type == DM:
            return
        perms = self.permissions_for(self.bot_user, channel)
        if not perms & VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        if channel.type == GUILD_FORUM:
            raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_thread and (channel.archived or channel.locked):
            raise DiscordError(400, 50083, "Thread is archived")
        needed = SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES
        if not perms & needed:
            raise DiscordError(403, 50013, "Missing Permissions")
        if not perms & EMBED_LINKS and body.get("embeds"):
            body["embeds"] = []

    def check_bot_can_see(self, channel: FakeChannel) -> None:
        """Refuse any request about a channel the bot cannot see (403 Missing Access)."""
        if not channel.is_dm and not self.can_see(self.bot_user, channel):
            raise DiscordError(403, 50001, "Missing Access")

    def join_thread(self, thread: FakeChannel) -> None:
        """Add the bot to a thread through the REST route, with Discord's refusals."""
        if not thread.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        self.check_bot_can_see(thread)
        thread.members.add(self.bot_user.id)

    # -- events ---------------------------------------------------------------------------
    async def _send_thread(self, thread: FakeChannel, *, newly_created: bool) -> None:
        payload = channel_payload(thread)
        if newly_created:
            payload["newly_created"] = True
        if self.bot_user.id in thread.members:
            member = thread_member_payload(thread, self.bot_user.id, thread.guild_id or 0)
            payload["member"] = member
        await self._dispatch_guild("THREAD_CREATE", payload, thread.guild_id or 0)

    async def _dispatch_guild(self, event: str, payload: dict[str, Any], guild_id: int) -> None:
        if self.gateway.ready_sessions or self.gateway.resumable:
            await self.gateway.dispatch(event, payload, guild_id=guild_id)
