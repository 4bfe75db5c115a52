"""Rows read from and written to the store, as plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

GAME_STATUSES = ("running", "finished", "stopped", "aborted")


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One player's answer to one question of one game, as the game reports it."""

    game_id: int
    question_index: int
    guild_id: int
    user_id: int
    user_name: str
    question_id: str
    fact_id: str
    topic: str
    bank: str
    answer: str
    correct: bool
    points: int
    elapsed_ms: int
    streak: int
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """A stored answer; `user_name` is the player's current name."""

    answer_id: int
    game_id: int
    question_index: int
    guild_id: int
    user_id: int
    user_name: str
    question_id: str
    fact_id: str
    topic: str
    bank: str
    answer: str
    correct: bool
    points: int
    elapsed_ms: int
    streak: int
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class GameRow:
    """A stored game."""

    game_id: int
    guild_id: int
    channel_id: int
    bank: str
    mode: str
    topic: str | None
    started_by: int
    question_count: int
    status: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class LeaderRow:
    """One line of a leaderboard; tied players share a rank (1, 2, 2, 4)."""

    rank: int
    user_id: int
    name: str
    points: int
    answers: int
    correct: int
    accuracy: float
    games: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """One page of a leaderboard; `caller` is set when the caller is ranked but not on the page."""

    rows: list[LeaderRow]
    total_players: int
    caller: LeaderRow | None
    period_label: str


@dataclass(frozen=True, slots=True)
class TopicStats:
    """A player's all-time results in one topic."""

    points: int
    answers: int
    correct: int
    accuracy: float


@dataclass(frozen=True, slots=True)
class PlayerStats:
    """A player's all-time results in one guild."""

    user_id: int
    name: str
    points: int
    games: int
    answers: int
    correct: int
    accuracy: float
    best_streak: int
    by_topic: dict[str, TopicStats]


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """Per-guild game settings; an empty `allowed_channel_ids` allows every channel.

    The defaults match the game engine's own (`bot.core.selection.GameSettings`). `web_page`
    publishes the guild's leaderboards on the web page (`quizbot web`); off by default.
    """

    guild_id: int
    seconds: int = 20
    questions: int = 10
    mode: str = "buttons"
    allowed_channel_ids: tuple[int, ...] = ()
    web_page: bool = False


@dataclass(frozen=True, slots=True)
class CardRow:
    """A player's spaced-review card for one fact of one bank."""

    user_id: int
    bank: str
    fact_id: str
    card_json: str
    due: datetime
    level: int
    reps: int
    lapses: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A player's report about a question."""

    report_id: int
    guild_id: int
    user_id: int
    question_id: str
    bank: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QuestionStat:
    """How a question performs: difficulty (`p_correct`) and discrimination.

    `discrimination` is the point-biserial correlation between answering this question right and
    the player's accuracy on the bank's other questions; None when it is undefined (everyone
    right, everyone wrong, or no player with other answers).
    """

    bank: str
    question_id: str
    answers: int
    correct: int
    p_correct: float
    discrimination: float | None


@dataclass(frozen=True, slots=True)
class GuildBankRow:
    """A question bank a guild imported."""

    guild_id: int
    slug: str
    title: str
    yaml_text: str
    added_by: int
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One review of a player's card for a fact: an answer in a game, `/practice` or `/review`."""

    user_id: int
    guild_id: int
    bank: str
    fact_id: str
    rating: int
    correct: bool
    reviewed_at: datetime
    source: str
    #: The question's kind, which the scheduler may weigh (None: unknown).
    kind: str | None = None
