"""Leaderboards and player statistics, read from the score aggregates."""

from __future__ import annotations

from typing import Literal

from bot.store.answers import ALL_TIME
from bot.store.conn import Conn, Row
from bot.store.database import Database
from bot.store.records import Leaderboard, LeaderRow, PlayerStats, TopicStats
from bot.store.utc import week_key

Period = Literal["all", "week"]

# A board of every bank that only one bank counts in is not stored: that bank's board stands
# for it (migration 0007). PostgreSQL stores every board and reads them as named.
_ONE_BANK = """SELECT guild_id, topic, MIN(bank) AS bank FROM board_banks
               GROUP BY guild_id, topic HAVING COUNT(*) = 1"""
# Each board of every bank not stored (`every_scope`) with the board standing in for it.
_STANDING_IN = f"""
SELECT one.guild_id, every.scope_id AS every_scope, sc.scope_id AS own_scope
FROM ({_ONE_BANK}) AS one
JOIN score_scopes AS every ON every.topic = one.topic AND every.bank = ''
JOIN score_scopes AS sc
  ON sc.period = every.period AND sc.topic = one.topic AND sc.bank = one.bank"""
#: Every board's rows as read, stored or standing in: SQLite's scores, in full.
EVERY_BOARD_SCORES = f"""
SELECT guild_id, scope_id, user_id, points, answers, correct, games, best_streak FROM scores
UNION ALL
SELECT s.guild_id, x.every_scope, s.user_id, s.points, s.answers, s.correct, s.games,
       s.best_streak
FROM ({_STANDING_IN}) AS x
JOIN scores AS s ON s.guild_id = x.guild_id AND s.scope_id = x.own_scope"""
#: Every board's size as read (the size of a board standing in for another is its own).
EVERY_BOARD_COUNTS = f"""
SELECT c.guild_id, c.scope_id, c.players FROM score_counts AS c
WHERE NOT EXISTS (SELECT 1 FROM ({_STANDING_IN}) AS x
                  WHERE x.guild_id = c.guild_id AND x.every_scope = c.scope_id)
UNION ALL
SELECT c.guild_id, x.every_scope, c.players
FROM ({_STANDING_IN}) AS x
JOIN score_counts AS c ON c.guild_id = x.guild_id AND c.scope_id = x.own_scope"""
# The board read for (period, topic, bank): for bank '', the one bank's board if only one
# bank counts in it.
_BANK_READ = """CASE WHEN :bank <> '' THEN :bank ELSE COALESCE(
    (SELECT MIN(bank) FROM board_banks WHERE guild_id = :guild AND topic = :topic
     HAVING COUNT(*) = 1), '') END"""
_SCOPE = f"""(SELECT scope_id FROM score_scopes
     WHERE period = :period AND topic = :topic AND bank = {_BANK_READ})"""
_PAGE = f"""
SELECT s.user_id, COALESCE(p.name, CAST(s.user_id AS TEXT)), s.points, s.answers, s.correct,
       s.games, s.best_streak
FROM scores AS s LEFT JOIN players AS p ON p.user_id = s.user_id
WHERE s.guild_id = :guild AND s.scope_id = {_SCOPE}
ORDER BY s.points DESC, s.user_id
LIMIT :limit OFFSET :offset
"""
_CALLER = f"""
SELECT s.user_id, COALESCE(p.name, CAST(s.user_id AS TEXT)), s.points, s.answers, s.correct,
       s.games, s.best_streak
FROM scores AS s LEFT JOIN players AS p ON p.user_id = s.user_id
WHERE s.guild_id = :guild AND s.scope_id = {_SCOPE} AND s.user_id = :caller
"""
# The board's size is kept by triggers; ranks count the players with strictly more points
# (ties share a rank), a range scan of the rank index that stops at the given score.
_COUNTS = f"""
SELECT
    (SELECT players FROM score_counts WHERE guild_id = :guild AND scope_id = {_SCOPE}),
    (SELECT COUNT(*) FROM scores
     WHERE guild_id = :guild AND scope_id = {_SCOPE} AND points > :first),
    (SELECT COUNT(*) FROM scores
     WHERE guild_id = :guild AND scope_id = {_SCOPE} AND points > :mine)
"""
# PostgreSQL: the page, the caller's line and the counts in one statement (one round trip,
# one snapshot). `part` 0 is the page in order, 1 the caller's line with the players ahead,
# 2 the board's size and the players ahead of the page's first line.
_PG_BOARD = """
WITH scope AS (
    SELECT scope_id FROM score_scopes WHERE period = :period AND topic = :topic AND bank = :bank
), page AS (
    SELECT s.user_id, COALESCE(p.name, CAST(s.user_id AS TEXT)) AS name, s.points, s.answers,
           s.correct, s.games, s.best_streak
    FROM scores AS s LEFT JOIN players AS p ON p.user_id = s.user_id
    WHERE s.guild_id = :guild AND s.scope_id = (SELECT scope_id FROM scope)
    ORDER BY s.points DESC, s.user_id
    LIMIT :limit OFFSET :offset
), me AS (
    SELECT s.user_id, COALESCE(p.name, CAST(s.user_id AS TEXT)) AS name, s.points, s.answers,
           s.correct, s.games, s.best_streak
    FROM scores AS s LEFT JOIN players AS p ON p.user_id = s.user_id
    WHERE s.guild_id = :guild AND s.scope_id = (SELECT scope_id FROM scope)
      AND s.user_id = :caller
)
SELECT 0 AS part, row_number() OVER (ORDER BY points DESC, user_id) AS n, page.*,
       CAST(NULL AS BIGINT) AS ahead, CAST(NULL AS BIGINT) AS total
FROM page
UNION ALL
SELECT 1, 0, me.*,
       (SELECT COUNT(*) FROM scores
        WHERE guild_id = :guild AND scope_id = (SELECT scope_id FROM scope)
          AND points > me.points),
       NULL
FROM me
UNION ALL
SELECT 2, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       (SELECT COUNT(*) FROM scores
        WHERE guild_id = :guild AND scope_id = (SELECT scope_id FROM scope)
          AND points > (SELECT MAX(points) FROM page)),
       (SELECT players FROM score_counts
        WHERE guild_id = :guild AND scope_id = (SELECT scope_id FROM scope))
"""
_PLAYER_PG = """
SELECT sc.topic, s.points, s.answers, s.correct, s.games, s.best_streak
FROM score_scopes AS sc CROSS JOIN scores AS s  -- CROSS JOIN: scopes first, then key lookups
WHERE sc.period = 'all' AND sc.bank = ''
  AND s.guild_id = :guild AND s.scope_id = sc.scope_id AND s.user_id = :user
"""
_PLAYER = """
SELECT sc.topic, s.points, s.answers, s.correct, s.games, s.best_streak
FROM (SELECT topic, CASE WHEN COUNT(*) = 1 THEN MIN(bank) ELSE '' END AS bank
      FROM board_banks WHERE guild_id = :guild GROUP BY topic) AS b
CROSS JOIN score_scopes AS sc
CROSS JOIN scores AS s
WHERE sc.period = 'all' AND sc.topic = b.topic AND sc.bank = b.bank
  AND s.guild_id = :guild AND s.scope_id = sc.scope_id AND s.user_id = :user
"""

# Topics with someone on their all-time board.
_SCORED_TOPICS = """SELECT DISTINCT topic FROM board_banks WHERE guild_id = ? AND topic <> ''
                    ORDER BY topic"""
# PostgreSQL: scopes first (few), then one key lookup each.
_SCORED_TOPICS_PG = """
SELECT sc.topic
FROM score_scopes AS sc CROSS JOIN score_counts AS c
WHERE sc.period = 'all' AND sc.bank = '' AND sc.topic != ''
  AND c.guild_id = ? AND c.scope_id = sc.scope_id AND c.players > 0
ORDER BY sc.topic
"""


def accuracy(correct: int, answers: int) -> float:
    """Return the share of right answers (0.0 with no answers)."""
    return correct / answers if answers else 0.0


def _leader(rank: int, row: Row) -> LeaderRow:
    return LeaderRow(
        rank=rank,
        user_id=row[0],
        name=row[1],
        points=row[2],
        answers=row[3],
        correct=row[4],
        accuracy=accuracy(row[4], row[3]),
        games=row[5],
        best_streak=row[6],
    )


class BoardsRepo:
    """Read leaderboards and per-player statistics; reset a guild's scores."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def period_key(self, period: Period) -> tuple[str, str]:
        """Return the aggregate period key and a label for 'all' or this ISO week (UTC)."""
        if period == "all":
            return ALL_TIME, "all time"
        if period == "week":
            key = week_key(self._db.now())
            return key, f"week {key}"
        raise ValueError(f"unknown leaderboard period {period!r}")

    async def leaderboard(
        self,
        guild_id: int,
        *,
        period: Period = "all",
        topic: str | None = None,
        bank: str | None = None,
        limit: int = 10,
        offset: int = 0,
        caller_id: int | None = None,
    ) -> Leaderboard:
        """Return one page of a guild's leaderboard, ordered by points then user id."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be positive and offset not negative")
        key, label = self.period_key(period)
        params: dict[str, object] = {
            "guild": guild_id,
            "period": key,
            "topic": topic or "",
            "bank": bank or "",
            "limit": limit,
            "offset": offset,
            "caller": caller_id,
        }
        if self._db.postgres:
            page, mine, counts = await self._pg_board(params)
        else:
            async with self._db.read_folded() as db:
                page = list(await db.execute_fetchall(_PAGE, params))
                on_page = caller_id is None or any(row[0] == caller_id for row in page)
                mine = [] if on_page else list(await db.execute_fetchall(_CALLER, params))
                params["first"] = page[0][2] if page else None
                params["mine"] = mine[0][2] if mine else None
                counts = next(iter(await db.execute_fetchall(_COUNTS, params)))
        total, ahead_of_first, ahead_of_caller = counts[0] or 0, counts[1], counts[2]
        rows: list[LeaderRow] = []
        for i, row in enumerate(page):
            if i == 0:
                rank = ahead_of_first + 1
            elif row[2] == page[i - 1][2]:
                rank = rows[-1].rank
            else:
                rank = offset + i + 1
            rows.append(_leader(rank, row))
        caller = _leader(ahead_of_caller + 1, mine[0]) if mine else None
        return Leaderboard(rows=rows, total_players=total, caller=caller, period_label=label)

    async def _pg_board(
        self, params: dict[str, object]
    ) -> tuple[list[Row], list[Row], tuple[int | None, int, int]]:
        """Return the page, the caller's line (when off the page) and the counts, at once."""
        async with self._db.read() as db:
            rows = list(await db.execute_fetchall(_PG_BOARD, params))
        page = [r[2:9] for r in sorted((r for r in rows if r[0] == 0), key=lambda r: r[1])]
        on_page = params["caller"] is None or any(r[0] == params["caller"] for r in page)
        me = [r for r in rows if r[0] == 1]
        mine = [] if on_page else [r[2:9] for r in me]
        counts = next(r for r in rows if r[0] == 2)
        ahead_of_caller = int(me[0][9]) if me else 0
        return page, mine, (counts[10], int(counts[9]), ahead_of_caller)

    async def scored_topics(self, guild_id: int) -> list[str]:
        """Return the topics (slugs) in which someone scored in a guild, alphabetically."""
        async with self._db.read_folded() as db:
            sql = _SCORED_TOPICS_PG if self._db.postgres else _SCORED_TOPICS
            rows = await db.execute_fetchall(sql, (guild_id,))
        return [row[0] for row in rows]

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats | None:
        """Return a player's all-time results in a guild, overall and per topic, or None."""
        async with self._db.read_folded() as db:
            sql = _PLAYER_PG if self._db.postgres else _PLAYER
            rows = list(await db.execute_fetchall(sql, {"guild": guild_id, "user": user_id}))
            names = list(
                await db.execute_fetchall("SELECT name FROM players WHERE user_id = ?", (user_id,))
            )
        overall = next((row for row in rows if row[0] == ""), None)
        if overall is None:
            return None
        by_topic = {
            row[0]: TopicStats(
                points=row[1], answers=row[2], correct=row[3], accuracy=accuracy(row[3], row[2])
            )
            for row in sorted(rows, key=lambda r: r[0])
            if row[0] != ""
        }
        return PlayerStats(
            user_id=user_id,
            name=names[0][0] if names else str(user_id),
            points=overall[1],
            games=overall[4],
            answers=overall[2],
            correct=overall[3],
            accuracy=accuracy(overall[3], overall[2]),
            best_streak=overall[5],
            by_topic=by_topic,
        )

    async def reset_guild(self, guild_id: int) -> int:
        """Delete a guild's answers and scores; return how many answers were deleted.

        Games stay (as history); review logs and cards belong to players and stay too. The
        guild's answers not yet folded into the aggregates go with the rest; other guilds'
        stay pending.
        """

        async def op(db: Conn) -> int:
            cursor = await db.execute("DELETE FROM answers WHERE guild_id = ?", (guild_id,))
            deleted = cursor.rowcount
            # A trigger has kept the fold mark at or below the highest id left.
            await db.execute("DELETE FROM scores WHERE guild_id = ?", (guild_id,))
            if not self._db.postgres:
                await db.execute("DELETE FROM board_banks WHERE guild_id = ?", (guild_id,))
            # Forget who played, or a game still running would not count as played again.
            await db.execute(
                """DELETE FROM game_players
                   WHERE game_id IN (SELECT game_id FROM games WHERE guild_id = ?)""",
                (guild_id,),
            )
            return deleted

        return int(await self._db.write(op))
