"""Persistence in SQLite or PostgreSQL: games, answers, leaderboards, cards and guild data."""

from bot.store.conn import database_errors, describe, is_postgres_url
from bot.store.db import MigrationError, migrate
from bot.store.records import (
    AnswerRecord,
    AnswerRow,
    CardRow,
    GameRow,
    GuildBankRow,
    GuildSettings,
    Leaderboard,
    LeaderRow,
    PlayerStats,
    QuestionStat,
    ReportRow,
    ReviewRecord,
    TopicStats,
)
from bot.store.store import Store
from bot.store.utc import from_ms, to_ms, utc_now, week_key
from bot.store.writer import StoreClosedError

__all__ = [
    "AnswerRecord",
    "AnswerRow",
    "CardRow",
    "GameRow",
    "GuildBankRow",
    "GuildSettings",
    "LeaderRow",
    "Leaderboard",
    "MigrationError",
    "PlayerStats",
    "QuestionStat",
    "ReportRow",
    "ReviewRecord",
    "Store",
    "StoreClosedError",
    "TopicStats",
    "database_errors",
    "describe",
    "from_ms",
    "is_postgres_url",
    "migrate",
    "to_ms",
    "utc_now",
    "week_key",
]
