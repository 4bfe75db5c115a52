"""Recorded calls, waits and stored messages of the fake Discord (mixed into `FakeDiscord`)."""

# Helpers take an explicit `timeout` so that every wait in a test is bounded and reported.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from support.fakediscord.payloads import EPHEMERAL, FakeChannel
from support.fakediscord.store import Call, MessageStore

if TYPE_CHECKING:
    from support.fakediscord.gateway import Gateway
    from support.fakediscord.http import HttpFront

_T = TypeVar("_T")


class Records:
    """Read what the bot did, wait for it, and schedule Discord's failures."""

    if TYPE_CHECKING:
        http: HttpFront
        gateway: Gateway
        store: MessageStore
        errors: list[str]
        bot_errors: list[str]
        _changed: asyncio.Event

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

    def rate_limit(self, method: str, path_re: str, *, retry_after: float, times: int = 1) -> None:
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
