"""Time for the adapters: the real clock, and a manual one that tests and simulations advance."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the bot reads time and waits; injected so that tests never sleep for real."""

    def monotonic(self) -> float:
        """Return seconds on a clock that never goes backwards."""
        ...

    def now(self) -> datetime:
        """Return the current UTC time, tz-aware."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait for a number of seconds of this clock."""
        ...


class RealClock:
    """The system clock."""

    def monotonic(self) -> float:
        """Return time.monotonic()."""
        return time.monotonic()

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """A clock that moves only when told to; sleepers wake when it passes their time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._t = 1000.0
        self._start = start or datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
        self._origin = self._t
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._counter = itertools.count()

    def monotonic(self) -> float:
        """Return the manual time in seconds."""
        return self._t

    def now(self) -> datetime:
        """Return the start date plus the time advanced so far."""
        return self._start + timedelta(seconds=self._t - self._origin)

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has been advanced past now + seconds."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._t + seconds, next(self._counter), future))
        await future

    @property
    def sleepers(self) -> int:
        """Return how many tasks are waiting on this clock."""
        return sum(1 for _, _, f in self._sleepers if not f.done())

    async def advance(self, seconds: float) -> None:
        """Move time forward and let every sleeper whose time has come run."""
        self._t += seconds
        while self._sleepers and self._sleepers[0][0] <= self._t:
            _, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
        for _ in range(5):  # let woken tasks run to their next await
            await asyncio.sleep(0)
