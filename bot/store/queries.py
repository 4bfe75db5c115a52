"""Players, games, questions asked and answers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.store.answers import UPSERT_PLAYER, prepare
from bot.store.clock import from_ms, to_ms
from bot.store.db import StoreBase
from bot.store.records import GAME_STATUSES, AnswerRecord, AnswerRow, GameRow

_GAME_COLUMNS = """game_id, guild_id, channel_id, bank, mode, topic, started_by, question_count,
                   status, started_at, ended_at"""
_ANSWER_COLUMNS = """a.answer_id, a.game_id, a.question_index, a.guild_id, a.user_id,
                     COALESCE(p.name, CAST(a.user_id AS TEXT)), a.question_id, a.fact_id, a.topic,
                     a.bank, a.answer, a.correct, a.points, a.elapsed_ms, a.streak, a.answered_at"""
_SEEN = """
SELECT question_id FROM answers
WHERE user_id IN (SELECT value FROM json_each(:users)) AND bank = :bank
UNION
SELECT qa.question_id FROM games AS g JOIN questions_asked AS qa ON qa.game_id = g.game_id
WHERE g.started_by IN (SELECT value FROM json_each(:users)) AND g.bank = :bank
UNION
SELECT qa.question_id
FROM game_players AS gp
JOIN games AS g ON g.game_id = gp.game_id
JOIN questions_asked AS qa ON qa.game_id = gp.game_id
WHERE gp.user_id IN (SELECT value FROM json_each(:users))
  AND gp.period = 'all' AND gp.topic = '' AND g.bank = :bank
"""


def _game_row(row: sqlite3.Row) -> GameRow:
    return GameRow(
        game_id=row[0],
        guild_id=row[1],
        channel_id=row[2],
        bank=row[3],
        mode=row[4],
        topic=row[5],
        started_by=row[6],
        question_count=row[7],
        status=row[8],
        started_at=from_ms(row[9]),
        ended_at=None if row[10] is None else from_ms(row[10]),
    )


def _answer_row(row: sqlite3.Row) -> AnswerRow:
    return AnswerRow(
        answer_id=row[0],
        game_id=row[1],
        question_index=row[2],
        guild_id=row[3],
        user_id=row[4],
        user_name=row[5],
        question_id=row[6],
        fact_id=row[7],
        topic=row[8],
        bank=row[9],
        answer=row[10],
        correct=bool(row[11]),
        points=row[12],
        elapsed_ms=row[13],
        streak=row[14],
        answered_at=from_ms(row[15]),
    )


class GameQueries(StoreBase):
    """Write and read games and their answers."""

    async def upsert_player(self, user_id: int, name: str) -> None:
        """Record a player's current display name."""
        now = self._now_ms()

        async def op(db: aiosqlite.Connection) -> None:
            await db.execute(UPSERT_PLAYER, (user_id, name, now))
            self._answers.named(user_id, name)

        await self._write(op)

    async def start_game(  # noqa: PLR0917 - the agreed positional API
        self,
        guild_id: int,
        channel_id: int,
        bank: str,
        mode: str,
        topic: str | None,
        started_by: int,
        question_count: int,
        started_at: datetime | None = None,
    ) -> int:
        """Record a new running game and return its id."""
        started = to_ms(started_at) if started_at is not None else self._now_ms()
        params = (guild_id, channel_id, bank, mode, topic, started_by, question_count, started)

        async def op(db: aiosqlite.Connection) -> int:
            cursor = await db.execute(
                """INSERT INTO games (guild_id, channel_id, bank, mode, topic, started_by,
                                      question_count, started_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                params,
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

        return int(await self._write(op))

    async def ask_question(  # noqa: PLR0917 - the agreed positional API
        self,
        game_id: int,
        index: int,
        question_id: str,
        fact_id: str,
        topic: str,
        asked_at: datetime | None = None,
    ) -> None:
        """Record that a game asked a question (raises IntegrityError if that index was used)."""
        asked = to_ms(asked_at) if asked_at is not None else self._now_ms()
        params = (game_id, index, question_id, fact_id, topic, asked)

        async def op(db: aiosqlite.Connection) -> None:
            await db.execute(
                """INSERT INTO questions_asked (game_id, question_index, question_id, fact_id,
                                                topic, asked_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                params,
            )

        await self._write(op)

    async def record_answer(self, record: AnswerRecord) -> bool:
        """Store an answer; return False if this player already answered this question."""
        results = await self._writer.submit_batched(self._answers.apply, [prepare(record)])
        return bool(results[0])

    async def record_answers(self, records: Iterable[AnswerRecord]) -> list[bool]:
        """Store many answers (e.g. a closed round's) at once; one result per record, in order.

        Each answer is stored or refused on its own, as with `record_answer`; if one raises, the
        first error is raised after all of them were handled.
        """
        prepared = [prepare(r) for r in records]
        if not prepared:
            return []
        results = await self._writer.submit_batched(self._answers.apply, prepared)
        return [bool(r) for r in results]

    async def finish_game(self, game_id: int, status: str = "finished") -> None:
        """Close a running game as finished, stopped or aborted (a closed game stays as it is)."""
        if status not in GAME_STATUSES or status == "running":
            raise ValueError(f"unknown final game status {status!r}")
        ended = self._now_ms()

        async def op(db: aiosqlite.Connection) -> None:
            await db.execute(
                """UPDATE games SET status = ?, ended_at = ?
                   WHERE game_id = ? AND status = 'running'""",
                (status, ended, game_id),
            )

        await self._write(op)

    async def abort_open_games(self) -> list[int]:
        """Mark every game still running as aborted (its answers stay); return their ids."""
        ended = self._now_ms()

        async def op(db: aiosqlite.Connection) -> list[int]:
            rows = await db.execute_fetchall(
                """UPDATE games SET status = 'aborted', ended_at = ?
                   WHERE status = 'running' RETURNING game_id""",
                (ended,),
            )
            return sorted(row[0] for row in rows)

        return list(await self._write(op))

    async def game(self, game_id: int) -> GameRow | None:
        """Return one game, or None."""
        rows = await self._fetchall(
            f"SELECT {_GAME_COLUMNS} FROM games WHERE game_id = ?", (game_id,)
        )
        return _game_row(rows[0]) if rows else None

    async def answers_for_game(self, game_id: int) -> list[AnswerRow]:
        """Return a game's answers by question, then in the order they were given."""
        rows = await self._fetchall(
            f"""SELECT {_ANSWER_COLUMNS}
                FROM answers AS a LEFT JOIN players AS p ON p.user_id = a.user_id
                WHERE a.game_id = ?
                ORDER BY a.question_index, a.answered_at, a.answer_id""",
            (game_id,),
        )
        return [_answer_row(row) for row in rows]

    async def seen_questions(self, user_ids: Iterable[int], bank: str) -> set[str]:
        """Return the ids of a bank's questions any of these players answered or was asked.

        A player was asked a question when it came up in a game they started or answered in.
        """
        users = sorted(set(user_ids))
        if not users:
            return set()
        # Who played which game is kept with the aggregates, so pending answers count first.
        rows = await self._fetchall_folded(_SEEN, {"users": json.dumps(users), "bank": bank})
        return {row[0] for row in rows}

    async def reset_guild(self, guild_id: int) -> int:
        """Delete a guild's answers and scores; return how many answers were deleted.

        Games stay (as history); review logs and cards belong to players and stay too. The
        guild's answers not yet folded into the aggregates go with the rest; other guilds'
        stay pending.
        """

        async def op(db: aiosqlite.Connection) -> int:
            cursor = await db.execute("DELETE FROM answers WHERE guild_id = ?", (guild_id,))
            deleted = cursor.rowcount
            # A trigger has kept the fold mark at or below the highest id left.
            await db.execute("DELETE FROM scores WHERE guild_id = ?", (guild_id,))
            # Forget who played, or a game still running would not count as played again.
            await db.execute(
                """DELETE FROM game_players
                   WHERE game_id IN (SELECT game_id FROM games WHERE guild_id = ?)""",
                (guild_id,),
            )
            return deleted

        return int(await self._write(op))
