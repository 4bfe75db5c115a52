"""UTC time helpers: the store keeps every moment as UTC epoch milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
DAY_MS = 86_400_000


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def to_ms(when: datetime) -> int:
    """Return a timezone-aware datetime as UTC epoch milliseconds."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime {when.isoformat()}: the store needs timezone-aware times")
    return (when - _EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    """Return UTC epoch milliseconds as a UTC datetime."""
    return _EPOCH + timedelta(milliseconds=ms)


def week_key(when: datetime) -> str:
    """Return the ISO week of a moment, in UTC, as 'YYYY-Www'."""
    year, week, _ = when.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"
