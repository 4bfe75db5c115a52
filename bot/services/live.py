"""The state of one live game and the presenter port that shows it (Discord or terminal)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.core.selection import GameError

if TYPE_CHECKING:
    from bot.core.game import Game
    from bot.core.models import Bank, Question
    from bot.core.scoring import AnswerOutcome, RoundResult, Standings


class ChannelLostError(Exception):
    """The game can no longer post where it is played: a permission was removed, or the channel
    or thread is gone. The game ends as aborted, its stored answers kept; not a crash."""


class ChannelBusyError(GameError):
    """A game is already running in the channel."""


@dataclass(frozen=True, slots=True)
class StartRequest:
    """What a player asked for when starting a game (already resolved against the defaults)."""

    guild_id: int
    channel_id: int
    user_id: int
    user_name: str
    count: int
    seconds: int
    mode: str
    topic: str | None = None
    #: Typed guesses per question (None: the mode's default).
    tries: int | None = None
    #: One player who is known from the start (the terminal): rounds may close as soon as
    #: they answered, the first one too.
    solo: bool = False


@dataclass(frozen=True, slots=True)
class Winner:
    """The first right chat guess of a classic round."""

    user_id: int
    name: str
    text: str
    message_id: int
    outcome: AnswerOutcome


class ClickStatus(StrEnum):
    """What happened to a button click."""

    LOCKED = "locked"
    #: A wrong typed answer with tries left (only where more than one try is allowed).
    RETRY = "retry"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    ENDED = "ended"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    #: The click came from another channel than the game's (a forged or copied button).
    ELSEWHERE = "elsewhere"


@dataclass(frozen=True, slots=True)
class Click:
    """The reply to one button click; `label` is the option the player holds."""

    status: ClickStatus
    label: str = ""
    tries_left: int = 0


@dataclass(eq=False)
class LiveGame:
    """One running game in one channel: the engine plus what the loop needs to drive it."""

    game_id: int
    guild_id: int
    channel_id: int
    bank: Bank
    engine: Game
    starter_id: int
    starter_name: str
    task: asyncio.Task[None] | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    stopped_by: tuple[int, str] | None = None
    skip_index: int | None = None
    question_message_id: int | None = None
    winner: Winner | None = None
    #: True while the game waits on the clock (nothing in flight); lets tests advance safely.
    waiting: bool = False
    #: Whether players can see the open question (answers are taken only then).
    shown: bool = False
    #: Every player is known before the first question (a solo terminal game).
    roster_fixed: bool = False
    #: When each player answered each round (question index → user id → time).
    answered_at: dict[int, dict[int, datetime]] = field(default_factory=dict)
    #: The last text each player typed in the open classic round.
    last_guess: dict[int, str] = field(default_factory=dict)

    @property
    def bank_slug(self) -> str:
        """Return the slug of the bank being played."""
        return self.bank.slug


class Presenter(Protocol):
    """What players see of a game; the Discord channel and the terminal implement it."""

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int | None:
        """Show the open question; return its message id where it has one."""
        ...

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        """Show a later deadline for the open question (its post was held up)."""
        ...

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        """Post a hint for the open classic-mode question."""
        ...

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        """Mark the question message closed (buttons disabled)."""
        ...

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: Standings) -> None:
        """Post the answer, the explanation, the distribution and the points of a round."""
        ...

    async def show_end(self, live: LiveGame, standings: Standings) -> None:
        """Post the podium and final standings."""
        ...

    async def game_aborted(self, live: LiveGame) -> None:
        """Tell the channel that the game ended because of an error."""
        ...
