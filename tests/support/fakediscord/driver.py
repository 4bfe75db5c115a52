"""The users' side of the fake Discord: interactions, chat messages and reading the answers."""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import copy
from typing import TYPE_CHECKING, Any, TypeVar

from support.fakediscord.channels import interaction_payload
from support.fakediscord.commands import build_command_data, modal_answer
from support.fakediscord.payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    EPHEMERAL,
    LOADING,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    FakeChannel,
    FakeFile,
    FakeGuild,
    FakeUser,
    Snowflakes,
    base_message,
    member_payload,
    walk_components,
)
from support.fakediscord.store import FakeInteraction, InteractionReply, MessageStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from support.fakediscord.gateway import Gateway

_T = TypeVar("_T")


class BotDriver:
    """Act as Discord's users towards the connected bot (mixed into `FakeDiscord`)."""

    if TYPE_CHECKING:
        gateway: Gateway
        snow: Snowflakes
        store: MessageStore
        application_id: int
        bot_user: FakeUser
        app_permissions: int
        channels: dict[int, FakeChannel]
        commands: dict[int | None, list[dict[str, Any]]]
        interactions: dict[str, FakeInteraction]
        modals: dict[str, dict[str, Any]]
        _tasks: set[asyncio.Task[Any]]

        def guild_by_id(self, guild_id: int) -> FakeGuild: ...
        def permissions_for(self, user: FakeUser, channel: FakeChannel) -> int: ...
        def mark(self) -> int: ...
        async def wait_until(
            self, condition: Callable[[], _T | None], timeout: float, what: str
        ) -> _T: ...

    # -- gateway events -------------------------------------------------------------------
    def echo(self, event: str, data: dict[str, Any], *, ephemeral: bool | None = None) -> None:
        """Send a gateway event about a bot message (not for ephemeral ones), in the background."""
        if ephemeral is None:
            ephemeral = bool(data.get("flags", 0) & EPHEMERAL)
        if ephemeral or not self.gateway.ready_sessions:
            return
        task = asyncio.create_task(self.gateway.dispatch(event, copy.deepcopy(data)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send any gateway event to connected bots; return how many received it."""
        return await self.gateway.dispatch(event, data)

    async def drop_connection(self) -> None:
        """Cut the bots' gateway connections; events sent until they RESUME are replayed then."""
        await self.gateway.drop_all()
        await self.wait_until(
            lambda: not self.gateway.ready_sessions or None, 5.0, "the connection to drop"
        )

    async def wait_resumed(self, resumes: int, timeout: float = 5.0) -> None:
        """Wait until the bots have RESUMEd `resumes` times in all."""
        await self.wait_until(lambda: self.gateway.resumes >= resumes, timeout, "the bot to RESUME")

    async def force_reconnect(self, timeout: float = 5.0) -> None:
        """Make connected bots reconnect and RESUME, and wait until they have."""
        before = self.gateway.resumes
        await self.gateway.reconnect_all()
        await self.wait_until(lambda: self.gateway.resumes > before, timeout, "the bot to RESUME")

    # -- driving the bot ------------------------------------------------------------------
    async def _interact(
        self,
        kind: int,
        user: FakeUser,
        channel: FakeChannel,
        data: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
        app_permissions: int | None = None,
        locale: str = "en-US",
        expired: bool = False,
    ) -> FakeInteraction:
        if not self.gateway.ready_sessions and not self.gateway.resumable:
            raise RuntimeError("no bot is connected to the fake gateway (use running_bot)")
        interaction_id = self.snow.next()
        token = f"itok{interaction_id}"
        guild = None if channel.is_dm else self.guild_by_id(channel.guild_id or 0)
        payload = interaction_payload(
            interaction_id=interaction_id,
            token=token,
            kind=kind,
            application_id=self.application_id,
            user=user,
            channel=channel,
            guild=guild,
            app_permissions=(
                self.permissions_for(self.bot_user, channel)
                if app_permissions is None
                else app_permissions
            ),
            data=data,
            message=message,
            locale=locale,
        )
        message_id = int(message["id"]) if message else None
        inter = FakeInteraction(
            interaction_id, token, kind, user, channel, payload, self.mark(), message_id
        )
        inter.expired = expired
        self.interactions[token] = inter
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return inter

    def _live_message(self, message_id: int | str) -> dict[str, Any]:
        msg = self.store.current.get(int(message_id))
        if msg is None or int(message_id) in self.store.deleted:
            raise ValueError(f"no live message {message_id}")
        return msg

    def _command_data(
        self, channel: FakeChannel, name: str, options: dict[str, Any] | None, **kw: Any
    ) -> dict[str, Any]:
        parts = name.split()
        group, sub = (
            (parts[1], parts[2])
            if len(parts) == 3
            else (None, parts[1] if len(parts) == 2 else None)
        )
        guild = None if channel.is_dm else self.guild_by_id(channel.guild_id or 0)
        return build_command_data(
            commands=self.commands, store=self.store, guild=guild, name=parts[0], group=group,
            sub=sub, options=dict(options or {}), unsynced_id=self.snow.next(), **kw,
        )  # fmt: skip

    async def slash(
        self,
        user: FakeUser,
        channel: FakeChannel,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        group: str | None = None,
        subcommand: str | None = None,
        app_permissions: int | None = None,
        locale: str = "en-US",
        expired: bool = False,
    ) -> FakeInteraction:
        """Run `/name [group] [subcommand]`; "name group sub" as one string works too.

        `expired=True` delivers the interaction too late to answer (see `expire`).
        """
        name = " ".join(p for p in (name, group, subcommand) if p)
        data = self._command_data(channel, name, options)
        return await self._interact(
            APPLICATION_COMMAND, user, channel, data,
            app_permissions=app_permissions, locale=locale, expired=expired,
        )  # fmt: skip

    async def autocomplete(
        self, user: FakeUser, channel: FakeChannel, name: str, options: dict[str, Any], focused: str
    ) -> FakeInteraction:
        """Ask for choices for option `focused`; its value in `options` is the text typed so far."""
        data = self._command_data(channel, name, options, focused=focused)
        return await self._interact(AUTOCOMPLETE, user, channel, data)

    async def click(
        self,
        user: FakeUser,
        message_id: int | str,
        custom_id: str,
        *,
        values: list[str] | None = None,
        app_permissions: int | None = None,
        force: bool = False,
        expired: bool = False,
    ) -> FakeInteraction:
        """Click a button (or pick `values` in a select) on a stored message.

        Clicking a disabled component raises unless `force`; `expired` as for `slash`.
        """
        msg = self._live_message(message_id)
        comps = walk_components(msg.get("components") or [])
        comp = next((c for c in comps if c.get("custom_id") == custom_id), None)
        if comp is None:
            have = [c["custom_id"] for c in comps if "custom_id" in c]
            raise ValueError(f"message {message_id} has no component {custom_id!r}; it has {have}")
        if comp.get("disabled") and not force:
            raise ValueError(
                f"component {custom_id!r} is disabled; Discord would not send the click"
            )
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] != 2:
            data["values"] = list(values or [])
        channel = self.channels[int(msg["channel_id"])]
        return await self._interact(
            MESSAGE_COMPONENT, user, channel, data,
            message=copy.deepcopy(msg), app_permissions=app_permissions, expired=expired,
        )  # fmt: skip

    async def submit_modal(
        self,
        user: FakeUser,
        channel: FakeChannel,
        custom_id: str,
        values: dict[str, Any],
        message_id: int | str | None = None,
    ) -> FakeInteraction:
        """Submit the modal the bot opened with `custom_id`, typing `values` into its inputs."""
        modal = self.modals.get(custom_id)
        if modal is None:
            raise ValueError(
                f"the bot never opened a modal {custom_id!r}; opened: {sorted(self.modals)}"
            )
        data = {"custom_id": custom_id, "components": modal_answer(modal["components"], values)}
        message = copy.deepcopy(self._live_message(message_id)) if message_id else None
        return await self._interact(MODAL_SUBMIT, user, channel, data, message=message)

    async def say(
        self,
        user: FakeUser,
        channel: FakeChannel,
        content: str,
        *,
        files: list[FakeFile] | None = None,
        require_bot: bool = True,
    ) -> dict[str, Any]:
        """Post a chat message as `user` and send MESSAGE_CREATE; return the stored message."""
        if require_bot and not self.gateway.ready_sessions:
            raise RuntimeError("no bot is connected to the fake gateway (use running_bot)")
        msg = base_message(self.snow.next(), channel, user, content=content)
        msg["attachments"] = [self.store.add_file(f) for f in files or []]
        msg["mentions"] = self.store.mentions_for(msg)
        if not channel.is_dm:
            msg["member"] = member_payload(
                user, self.guild_by_id(channel.guild_id or 0), with_user=False
            )
        self.store.store(msg)
        mentioned = any(u["id"] == str(self.bot_user.id) for u in msg["mentions"])
        await self.gateway.dispatch(
            "MESSAGE_CREATE", copy.deepcopy(msg), needs_content=not channel.is_dm and not mentioned
        )
        return msg

    async def react(self, user: FakeUser, message_id: int | str, emoji: str) -> None:
        """Add a unicode-emoji reaction as `user` and send MESSAGE_REACTION_ADD."""
        msg = self._live_message(message_id)
        entry = next((r for r in msg["reactions"] if r["emoji"]["name"] == emoji), None)
        if entry is None:
            entry = {"emoji": {"id": None, "name": emoji}, "count": 0, "me": False}
            msg["reactions"].append(entry)
        entry["count"] += 1
        event: dict[str, Any] = {
            "user_id": str(user.id), "channel_id": msg["channel_id"], "message_id": msg["id"],
            "emoji": {"id": None, "name": emoji}, "type": 0, "burst": False,
        }  # fmt: skip
        if "guild_id" in msg:
            event["guild_id"] = msg["guild_id"]
            event["member"] = member_payload(user, self.guild_by_id(int(msg["guild_id"])))
        await self.gateway.dispatch("MESSAGE_REACTION_ADD", event)

    def expire(self, interaction: FakeInteraction) -> None:
        """Make the interaction's token run out, as 15 minutes after it was created."""
        # A callback then gets 404/10062 (as after 3 s), follow-ups and edits 401/50027.
        interaction.expired = True

    async def response_to(
        self,
        interaction: FakeInteraction,
        *,
        followups: int = 0,
        settle: bool = True,
        timeout: float = 5.0,
    ) -> InteractionReply:
        """Wait for the bot's answer to an interaction and return it.

        With `settle`, a "thinking" deferral (type 5) waits until the deferred message is
        filled, and a silent deferral (type 6) until the original is edited or a follow-up
        is sent. `followups` waits for at least that many follow-up messages (a follow-up
        that fills a deferred message counts and also appears as `message`).
        """
        inter = interaction

        def answered() -> bool:
            kind = inter.callback_type
            if kind is None or len(inter.followup_ids) < followups:
                return False
            if settle and kind == 5:
                return not self.store.current[inter.original_id or 0]["flags"] & LOADING
            if settle and kind == 6:
                return bool(inter.edits or inter.followup_ids)
            return True

        await self.wait_until(answered, timeout, f"the answer to interaction {inter.id}")
        assert inter.callback is not None
        original = self.store.current.get(inter.original_id) if inter.original_id else None
        return InteractionReply(
            interaction=inter,
            type=inter.callback.json["type"],
            data=inter.callback.json.get("data") or {},
            message=original,
            followups=[self.store.current[i] for i in inter.followup_ids],
        )
