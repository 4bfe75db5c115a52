"""What each picture shows, as plain frozen dataclasses (no Discord, no store types)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


def _tuple(owner: object, name: str, value: Sequence[object]) -> None:
    # Frozen dataclasses: accept any sequence from callers and keep an immutable copy.
    object.__setattr__(owner, name, tuple(value))


def _not_negative(**values: float) -> None:
    for name, value in values.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative (got {value})")


@dataclass(frozen=True, slots=True)
class PodiumPlace:
    """One player on the podium; `avatar` is image bytes (PNG, JPEG, GIF, WebP) or None."""

    rank: int
    name: str
    points: int
    avatar: bytes | None = None

    def __post_init__(self) -> None:
        if self.rank < 1:
            raise ValueError(f"rank must be at least 1 (got {self.rank})")
        _not_negative(points=self.points)


@dataclass(frozen=True, slots=True)
class Podium:
    """The end of a server game: up to three places, the bank's title and the topic played.

    `places` are in standing order (ties share a rank); only the first three are drawn.
    `topic` is the topic's readable name, None for a game over every topic. `players` is how
    many took part (0: not shown).
    """

    title: str
    places: Sequence[PodiumPlace] = ()
    topic: str | None = None
    players: int = 0

    def __post_init__(self) -> None:
        _tuple(self, "places", self.places)
        _not_negative(players=self.players)


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One line of a leaderboard; `you` marks the caller's own line."""

    rank: int
    name: str
    points: int
    accuracy: float
    you: bool = False

    def __post_init__(self) -> None:
        if self.rank < 1:
            raise ValueError(f"rank must be at least 1 (got {self.rank})")
        if not 0.0 <= self.accuracy <= 1.0:
            raise ValueError(f"accuracy is a share from 0 to 1 (got {self.accuracy})")
        _not_negative(points=self.points)


@dataclass(frozen=True, slots=True)
class BoardCard:
    """One page of a leaderboard, as the text board shows it.

    `caller` is the caller's own line when it is not on this page: it is drawn under the page,
    highlighted, as the text board shows it at the bottom. `page` counts from 1.
    """

    title: str
    rows: Sequence[BoardRow]
    scope: str = ""
    caller: BoardRow | None = None
    page: int = 1
    pages: int = 1
    players: int = 0

    def __post_init__(self) -> None:
        _tuple(self, "rows", self.rows)
        if not 1 <= self.page <= max(1, self.pages):
            raise ValueError(f"page {self.page} is outside 1..{self.pages}")
        _not_negative(players=self.players)


@dataclass(frozen=True, slots=True)
class TopicProgress:
    """A player's mastery of one topic: facts in it, facts seen, facts mastered."""

    name: str
    facts: int
    mastered: int
    seen: int = 0

    def __post_init__(self) -> None:
        _not_negative(facts=self.facts, mastered=self.mastered, seen=self.seen)


@dataclass(frozen=True, slots=True)
class WeekReviews:
    """How many facts a player reviewed in the week starting on Monday `start`."""

    start: date
    reviews: int

    def __post_init__(self) -> None:
        _not_negative(reviews=self.reviews)


@dataclass(frozen=True, slots=True)
class Progress:
    """What the `/stats` chart shows: mastery per topic and reviews per week, oldest first."""

    name: str
    topics: Sequence[TopicProgress] = ()
    weeks: Sequence[WeekReviews] = ()

    def __post_init__(self) -> None:
        _tuple(self, "topics", self.topics)
        _tuple(self, "weeks", self.weeks)
