"""Games and the questions they asked."""

from __future__ import annotations

import json
from datetime import datetime

from bot.store.conn import Conn, Row
from bot.store.database import Database
from bot.store.records import GAME_STATUSES, GameRow
from bot.store.utc import from_ms, to_ms

#: Some of a sharded bot's shards: (shard ids, total shard count).
Shards = tuple[list[int], int]

_GAME_COLUMNS = """game_id, guild_id, channel_id, bank, mode, topic, started_by, question_count,
                   status, started_at, ended_at"""


def _game_row(row: Row) -> GameRow:
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


class GamesRepo:
    """Write and read games: started, questions asked, finished."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(  # noqa: PLR0917 - the agreed positional API
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
        started = to_ms(started_at) if started_at is not None else self._db.now_ms()
        params = (guild_id, channel_id, bank, mode, topic, started_by, question_count, started)

        async def op(db: Conn) -> int:
            rows = await db.execute_fetchall(
                """INSERT INTO games (guild_id, channel_id, bank, mode, topic, started_by,
                                      question_count, started_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING game_id""",
                params,
            )
            return int(next(iter(rows))[0])

        return int(await self._db.write(op))

    async def ask(  # noqa: PLR0917 - the agreed positional API
        self,
        game_id: int,
        index: int,
        question_id: str,
        fact_id: str,
        topic: str,
        asked_at: datetime | None = None,
    ) -> None:
        """Record that a game asked a question (raises IntegrityError if that index was used)."""
        asked = to_ms(asked_at) if asked_at is not None else self._db.now_ms()
        params = (game_id, index, question_id, fact_id, topic, asked)

        async def op(db: Conn) -> None:
            await db.execute(
                """INSERT INTO questions_asked (game_id, question_index, question_id, fact_id,
                                                topic, asked_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                params,
            )

        await self._db.write(op)

    async def finish(self, game_id: int, status: str = "finished") -> None:
        """Close a running game as finished, stopped or aborted (a closed game stays as it is)."""
        if status not in GAME_STATUSES or status == "running":
            raise ValueError(f"unknown final game status {status!r}")
        ended = self._db.now_ms()

        async def op(db: Conn) -> None:
            await db.execute(
                """UPDATE games SET status = ?, ended_at = ?
                   WHERE game_id = ? AND status = 'running'""",
                (status, ended, game_id),
            )

        await self._db.write(op)

    async def abort_running(self, shards: Shards | None = None) -> list[int]:
        """Mark games still running as aborted (their answers stay); return their ids.

        `shards` = (shard ids, shard count) limits it to the guilds of those shards
        (Discord's rule: shard = (guild_id >> 22) % count), so a bot process that restarts
        closes only its own games and leaves those of the processes running other shards.
        """
        ended = self._db.now_ms()
        where = ""
        params: tuple[object, ...] = (ended,)
        if shards is not None:
            ids, count = shards
            where = """AND (guild_id / 4194304) % ? IN
                       (SELECT CAST(value AS BIGINT) FROM json_each(?))"""
            params = (ended, count, json.dumps(sorted(set(ids))))

        async def op(db: Conn) -> list[int]:
            rows = await db.execute_fetchall(
                f"""UPDATE games SET status = 'aborted', ended_at = ?
                    WHERE status = 'running' {where} RETURNING game_id""",
                params,
            )
            return sorted(row[0] for row in rows)

        return list(await self._db.write(op))

    async def get(self, game_id: int) -> GameRow | None:
        """Return one game, or None."""
        rows = await self._db.fetchall(
            f"SELECT {_GAME_COLUMNS} FROM games WHERE game_id = ?", (game_id,)
        )
        return _game_row(rows[0]) if rows else None
