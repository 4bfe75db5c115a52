"""Answers: stored in batches with the players' names and score aggregates, and read back.

Each batch is counted in the score aggregates (`bot.store.fold`, set-based over just the new
rows) in the transaction that stores it, so a leaderboard is ready the moment the answers
commit. A round's answers can carry their card reviews, written in that same transaction.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Awaitable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from bot.store.batcher import (
    INSERT_ANSWER,
    PG_RENAME,
    UPSERT_PLAYER,
    AnswerBatcher,
    Prepared,
    prepare,
)
from bot.store.conn import Conn, PgConn
from bot.store.records import AnswerRecord, AnswerRow, CardRow, ReviewRecord
from bot.store.reviewing import Reschedule
from bot.store.utc import from_ms
from bot.store.writer import Failed

__all__ = ["ALL_TIME", "INSERT_ANSWER", "AnswerBatcher", "AnswersRepo", "PlayersRepo", "prepare"]

if TYPE_CHECKING:
    from bot.store.database import Database

log = logging.getLogger(__name__)

T = TypeVar("T")

ALL_TIME = "all"

ALL_TIME = "all"

_ANSWER_COLUMNS = """a.answer_id, a.game_id, a.question_index, a.guild_id, a.user_id,
                     COALESCE(p.name, CAST(a.user_id AS TEXT)), a.question_id, a.fact_id, a.topic,
                     a.bank, a.answer, a.correct, a.points, a.elapsed_ms, a.streak, a.answered_at"""

_SEEN = """
SELECT question_id FROM answers
WHERE user_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:users)) AND bank = :bank
UNION
SELECT qa.question_id FROM games AS g JOIN questions_asked AS qa ON qa.game_id = g.game_id
WHERE g.started_by IN (SELECT CAST(value AS BIGINT) FROM json_each(:users)) AND g.bank = :bank
UNION
SELECT qa.question_id
FROM game_players AS gp
JOIN games AS g ON g.game_id = gp.game_id
JOIN questions_asked AS qa ON qa.game_id = gp.game_id
WHERE gp.user_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:users))
  AND gp.period = 'all' AND gp.topic = '' AND g.bank = :bank
"""


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


class AnswersRepo:
    """Store players' answers exactly once each, and read them back."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _name_players(self, prepared: Sequence[Prepared]) -> None:
        """On PostgreSQL, store the players' new names before their answers' transaction.

        Every process shares the players table, and a row written in a long transaction stays
        locked until it commits: written alone, in one statement in id order, names never make
        two processes wait on each other. (On SQLite the writer names players in the answers'
        transaction, skipping names it knows are stored.)
        """
        if not self._db.postgres:
            return
        latest = {row[3]: (row[3], name, row[13]) for row, name in prepared}
        users, names, times = zip(*sorted(latest.values()), strict=True)
        async with self._db.read() as db:
            assert isinstance(db, PgConn)
            await db.raw.execute(PG_RENAME, list(users), list(names), list(times))

    async def _named(self, write: Awaitable[T], prepared: Sequence[Prepared]) -> T:
        """Wait for a queued write of answers, naming their players meanwhile on PostgreSQL.

        The write is queued first, so answers keep the order of the calls (the first click is
        the one kept); a failure to store a name is logged and costs no answer.
        """
        try:
            await self._name_players(prepared)
        except Exception:
            log.warning("storing %d players' names failed", len(prepared), exc_info=True)
        return await write

    async def record(self, record: AnswerRecord) -> bool:
        """Store an answer; return False if this player already answered this question."""
        prepared = [prepare(record)]
        results = await self._named(
            self._db.writer.submit_batched(self._db.answers.apply, prepared), prepared
        )
        return bool(results[0])

    async def record_many(self, records: Iterable[AnswerRecord]) -> list[bool]:
        """Store many answers (e.g. a closed round's) at once; one result per record, in order.

        Each answer is stored or refused on its own, as with `record`; if one raises, the
        first error is raised after all of them were handled.
        """
        prepared = [prepare(r) for r in records]
        if not prepared:
            return []
        results = await self._named(
            self._db.writer.submit_batched(self._db.answers.apply, prepared), prepared
        )
        return [bool(r) for r in results]

    async def record_round(
        self,
        records: Sequence[AnswerRecord],
        reviews: Sequence[ReviewRecord | None],
        reschedule: Reschedule,
    ) -> tuple[list[bool], list[CardRow]]:
        """Store a closed round's answers, its aggregates and its card reviews in one write.

        `reviews[i]` is the review `records[i]`'s answer makes (None: none); it is applied only
        if that answer was stored, so recording a round twice reviews no card twice. Should
        the reviews fail, the answers still commit and the error is logged: learning never
        costs a game its scores. Return the answers' results and the cards written.
        """
        if len(reviews) != len(records):
            raise ValueError("one review (or None) per answer record")
        prepared = [prepare(r) for r in records]
        if not prepared:
            return [], []
        payload = (prepared, list(reviews), reschedule)
        result = await self._named(
            self._db.writer.submit_batched(self._db.answers.apply_rounds, payload), prepared
        )
        if isinstance(result, Failed):  # pragma: no cover - the batch raises failures
            raise result.error
        stored, cards = result
        return [bool(r) for r in stored], cards

    async def for_game(self, game_id: int) -> list[AnswerRow]:
        """Return a game's answers by question, then in the order they were given."""
        rows = await self._db.fetchall(
            f"""SELECT {_ANSWER_COLUMNS}
                FROM answers AS a LEFT JOIN players AS p ON p.user_id = a.user_id
                WHERE a.game_id = ?
                ORDER BY a.question_index, a.answered_at, a.answer_id""",
            (game_id,),
        )
        return [_answer_row(row) for row in rows]

    async def seen(self, user_ids: Iterable[int], bank: str) -> set[str]:
        """Return the ids of a bank's questions any of these players answered or was asked.

        A player was asked a question when it came up in a game they started or answered in.
        """
        users = sorted(set(user_ids))
        if not users:
            return set()
        # Who played which game is kept with the aggregates, so pending answers count first.
        rows = await self._db.fetchall_folded(_SEEN, {"users": json.dumps(users), "bank": bank})
        return {row[0] for row in rows}


class PlayersRepo:
    """Players' display names, as boards show them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, user_id: int, name: str) -> None:
        """Record a player's current display name."""
        now = self._db.now_ms()

        async def op(db: Conn) -> None:
            await db.execute(UPSERT_PLAYER, (user_id, name, now))
            self._db.answers.named(user_id, name)

        await self._db.write(op)
