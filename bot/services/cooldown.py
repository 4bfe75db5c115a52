"""A per-key cooldown on the injected clock (e.g. one game start per player per server per 30 s).

Game starts are keyed by (server, player): a server lives in exactly one bot process (the one
running its shard), so a cooldown kept in that process's memory holds with any number of
processes, and a player busy in one server is not held back in another.
"""

from __future__ import annotations

from collections.abc import Hashable

from bot.core.clock import Clock


class Cooldown:
    """Allow one use per key every `seconds` of the clock."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        self.clock = clock
        self.seconds = seconds
        self._last: dict[Hashable, float] = {}

    def retry_after(self, key: Hashable) -> float:
        """Return the seconds left before `key` may go again (0 when it may)."""
        last = self._last.get(key)
        if last is None:
            return 0.0
        return max(0.0, last + self.seconds - self.clock.monotonic())

    def hit(self, key: Hashable) -> None:
        """Record a use by `key` now."""
        now = self.clock.monotonic()
        # Forget keys whose cooldown is over so the table stays small.
        if len(self._last) > 1000:
            self._last = {k: t for k, t in self._last.items() if t + self.seconds > now}
        self._last[key] = now
