"""UTC time helpers: the store keeps every moment as UTC epoch milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: Where the store reads the current time (injected so tests control it).
Now = Callable[[], datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_MS = 86_400_000


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def to_ms(when: datetime) -> int:
    """Return a timezone-aware datetime as UTC epoch milliseconds."""
    if when.utcoffset() is None:  # None for every naive datetime
        raise ValueError(f"naive datetime {when.isoformat()}: the store needs timezone-aware times")
    # Field arithmetic rather than `// timedelta`: the same floor, and this runs per answer.
    delta = when - _EPOCH
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """Return UTC epoch milliseconds as a UTC datetime."""
    return _EPOCH + timedelta(milliseconds=ms)


def week_key(when: datetime) -> str:
    """Return the ISO week of a moment, in UTC, as 'YYYY-Www'."""
    year, week, _ = when.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"
