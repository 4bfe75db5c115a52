"""The write side of answers: a batch of calls stored with one statement, counted at once.

`AnswerBatcher` is what the writer hands consecutive answer writes to: one `executemany` (on
PostgreSQL one `INSERT … SELECT FROM unnest`) for all of them, each call told which of its
answers were stored, the batch counted in the leaderboards in the same transaction, and closed
rounds' card reviews applied together (`apply_rounds`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from itertools import islice
from typing import Any

import aiosqlite

from bot.store.conn import Conn, PgConn, is_transient
from bot.store.fold import fold_answers
from bot.store.fold_pg import fold_inserted
from bot.store.records import AnswerRecord, CardRow, ReviewRecord
from bot.store.reviewing import Ahead, Reschedule, apply_reviews, read_ahead
from bot.store.utc import to_ms
from bot.store.writer import Failed, in_savepoint

log = logging.getLogger(__name__)

INSERT_ANSWER = """
INSERT INTO answers (game_id, question_index, guild_id, user_id, question_id, fact_id, topic,
                     bank, answer, correct, points, elapsed_ms, streak, answered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
# Only the one-answer-per-player-per-question rule may skip a row; any other constraint fails.
_INSERT_NEW = INSERT_ANSWER + "ON CONFLICT (game_id, question_index, user_id) DO NOTHING"
_LAST_ID = "SELECT MAX(answer_id) FROM answers"
_INSERTED_SINCE = "SELECT game_id, question_index, user_id FROM answers WHERE answer_id > ?"
UPSERT_PLAYER = """
INSERT INTO players (user_id, name, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
"""
# A name that did not change is left alone: no write, and updated_at keeps the last change.
_RENAME_PLAYER = UPSERT_PLAYER + "WHERE name IS NOT excluded.name"
_DATA_VERSION = "PRAGMA data_version"
# PostgreSQL: the whole batch in one statement, in order, returning the rows it stored.
_PG_INSERT = """
INSERT INTO answers (game_id, question_index, guild_id, user_id, question_id, fact_id, topic,
                     bank, answer, correct, points, elapsed_ms, streak, answered_at)
SELECT game_id, question_index, guild_id, user_id, question_id, fact_id, topic, bank, answer,
       correct, points, elapsed_ms, streak, answered_at
FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
            $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], $12::int[], $13::int[],
            $14::bigint[])
     WITH ORDINALITY AS u (game_id, question_index, guild_id, user_id, question_id, fact_id,
                           topic, bank, answer, correct, points, elapsed_ms, streak,
                           answered_at, position)
ORDER BY position
ON CONFLICT (game_id, question_index, user_id) DO NOTHING
RETURNING answer_id, game_id, question_index, user_id
"""
# Only new players and new names are written: an upsert locks the row it meets even when it
# changes nothing. In id order, so two statements writing the same players lock them in order.
PG_RENAME = """
INSERT INTO players (user_id, name, updated_at)
SELECT u.user_id, u.name, u.updated_at
FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u (user_id, name, updated_at)
LEFT JOIN players AS p ON p.user_id = u.user_id
WHERE p.name IS DISTINCT FROM u.name
ORDER BY 1
ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
WHERE players.name IS DISTINCT FROM excluded.name
"""
#: Players whose names the write connection remembers, at most (about 100 bytes each).
NAMES_REMEMBERED = 20_000

# An answer ready for the database: its column values (in INSERT_ANSWER's order) and the name.
Prepared = tuple[tuple[Any, ...], str]
# A closed round: its answers, the review each makes (or None), and the card scheduler.
RoundPayload = tuple[list[Prepared], list[ReviewRecord | None], Reschedule]


def prepare(r: AnswerRecord) -> Prepared:
    """Convert a record to column values; raise ValueError for values the database must not hold."""
    row = (
        r.game_id,
        r.question_index,
        r.guild_id,
        r.user_id,
        r.question_id,
        r.fact_id,
        r.topic,
        r.bank,
        r.answer,
        1 if r.correct else 0,
        r.points,
        r.elapsed_ms,
        r.streak,
        to_ms(r.answered_at),
    )
    return row, r.user_name


class AnswerBatcher:
    """Insert the answers of many calls with one `executemany`; each call gets its own results.

    An answer's result is True when stored and False when that player had already answered that
    question of that game (earlier in the batch or in the database). If the batch as a whole
    fails, it is undone and retried one answer per savepoint, so only bad answers fail; a call
    with a bad answer gets that answer's error and its other answers stay stored.
    `unfolded` counts the answers stored since the aggregates last caught up.
    """

    def __init__(self, *, fold_inline: bool = True) -> None:
        self.fold_inline = fold_inline
        self.unfolded = 0
        # Players' names as this connection last wrote or found them, so an unchanged name
        # costs no statement. Valid while no other connection commits (`data_version` tells).
        # Bounded: the oldest entries go first, and a forgotten name costs one upsert.
        self._names: dict[int, str] = {}
        self.names_limit = NAMES_REMEMBERED
        self._data_version: int | None = None

    def forget(self) -> None:
        """Note a rolled-back transaction: names it wrote are gone and a fold may be undone."""
        self._names.clear()
        self.unfolded = max(self.unfolded, 1)

    def named(self, user_id: int, name: str) -> None:
        """Note a name written through the write connection in the current transaction."""
        self._remember(user_id, name)

    def _remember(self, user_id: int, name: str) -> None:
        names = self._names
        names.pop(user_id, None)  # re-inserted last: dicts keep insertion order
        names[user_id] = name
        if len(names) > self.names_limit:
            for old in list(islice(names, len(names) - self.names_limit)):
                del names[old]

    @property
    def names_remembered(self) -> int:
        """Return how many players' names the write connection remembers."""
        return len(self._names)

    async def fold(self, db: Conn, alongside: Callable[[], object] | None = None) -> int:
        """Fold every pending answer into the aggregates in the current transaction.

        `alongside` starts work to run beside the fold's longest statement (see `fold_answers`).
        """
        counted = await fold_answers(db, alongside=alongside)
        self.unfolded = 0
        return counted

    async def apply(
        self,
        db: Conn,
        calls: list[list[Prepared]],
        alongside: Callable[[], object] | None = None,
    ) -> list[Any]:
        """Store every call's answers; return per call a list of True/False, or `Failed`.

        `alongside` is started while the new answers are counted in the aggregates.
        """
        items = calls[0] if len(calls) == 1 else [item for call in calls for item in call]
        await db.execute("SAVEPOINT answers")
        try:
            results: list[Any] = await self._insert(db, items)
        except Exception as exc:
            await db.execute("ROLLBACK TO answers")
            await db.execute("RELEASE answers")
            if is_transient(exc):
                raise  # a deadlock with another process: the writer runs it all again
            if len(items) == 1:
                return [Failed(exc)]
            log.info("answer batch of %d failed (%r); retrying one by one", len(items), exc)
            results = [await in_savepoint(db, partial(self._insert_one, item)) for item in items]
        else:
            await db.execute("RELEASE answers")
        if self.fold_inline and self.unfolded and not isinstance(db, PgConn):
            # Count the new answers in the leaderboards in the same transaction, so a board
            # read right after the commit has nothing left to fold. Should that fail, the
            # answers stand and the writer's upkeep folds them later.
            folded = await in_savepoint(db, partial(self.fold, alongside=alongside))
            if isinstance(folded, Failed):
                log.warning("folding %d answers failed: %r", self.unfolded, folded.error)
        out: list[Any] = []
        start = 0
        for call in calls:
            part = results[start : start + len(call)]
            start += len(call)
            error = next((r for r in part if isinstance(r, Failed)), None)
            out.append(error if error is not None else part)
        return out

    async def apply_rounds(self, db: Conn, rounds: list[RoundPayload]) -> list[Any]:
        """Store several closed rounds: all their answers at once, then all their reviews.

        Per round, return (answer results, cards written), or `Failed` when its answers
        could not be stored. Reviews are applied only for answers stored; should they fail,
        each round's are tried alone, and a round whose reviews still fail keeps its answers
        (the error is logged): learning never costs a game its scores. A big batch's cards
        are read first and scheduled in a worker thread beside the aggregates' upsert.
        """
        ahead = await self._read_ahead(db, rounds)
        if ahead is not None and isinstance(db, PgConn):
            ahead.start()  # the answers' one statement waits on the server, not on Python
        try:
            outcomes = await self.apply(
                db, [prepared for prepared, _, _ in rounds], ahead.start if ahead else None
            )
            due: list[list[ReviewRecord]] = []
            for (_, reviews, _), outcome in zip(rounds, outcomes, strict=True):
                if isinstance(outcome, Failed):
                    due.append([])
                    continue
                due.append([rv for rv, ok in zip(reviews, outcome, strict=True) if ok and rv])
            cards = await self._review_rounds(db, rounds, due, ahead)
        finally:
            if ahead is not None:
                await ahead.settle()
        return [
            outcome if isinstance(outcome, Failed) else (outcome, written)
            for outcome, written in zip(outcomes, cards, strict=True)
        ]

    @staticmethod
    async def _read_ahead(db: Conn, rounds: list[RoundPayload]) -> Ahead | None:
        """Read the cards of every review the rounds would make, if they share a scheduler."""
        schedulers = {reschedule for _, _, reschedule in rounds}
        if len(schedulers) != 1:
            return None
        every = [rv for _, reviews, _ in rounds for rv in reviews if rv]
        try:
            return await read_ahead(db, every, next(iter(schedulers)))
        except Exception as exc:
            if is_transient(exc):
                raise
            log.warning("reading %d cards ahead failed: %r", len(every), exc)
            return None

    async def _review_rounds(
        self,
        db: Conn,
        rounds: list[RoundPayload],
        due: list[list[ReviewRecord]],
        ahead: Ahead | None,
    ) -> list[list[CardRow]]:
        """Apply every round's due reviews; one write for all when they share a scheduler."""
        schedulers = {reschedule for _, _, reschedule in rounds}
        if len(schedulers) == 1 and len(rounds) > 1:
            together = [review for part in due for review in part]
            written = await in_savepoint(
                db,
                partial(
                    apply_reviews,
                    reviews=together,
                    reschedule=next(iter(schedulers)),
                    ahead=ahead,
                ),
            )
            if not isinstance(written, Failed):
                out: list[list[CardRow]] = []
                start = 0
                for part in due:
                    out.append(written[start : start + len(part)])
                    start += len(part)
                return out
            ahead = None  # its cards may be what failed
        out = []
        for (_, _, reschedule), part in zip(rounds, due, strict=True):
            written = await in_savepoint(
                db, partial(apply_reviews, reviews=part, reschedule=reschedule, ahead=ahead)
            )
            if isinstance(written, Failed):
                log.error("card reviews of a round failed; answers kept", exc_info=written.error)
                written = []
            out.append(written)
        return out

    async def _insert_one(self, item: Prepared, db: Conn) -> bool:
        return (await self._insert(db, [item]))[0]

    async def _insert(self, db: Conn, items: list[Prepared]) -> list[bool]:
        if isinstance(db, PgConn):
            return await self._insert_pg(db, items)
        last_id = next(iter(await db.execute_fetchall(_LAST_ID)))[0] or 0
        # In order, so of two answers to one question in the batch the first is the one stored.
        cursor = await db.executemany(_INSERT_NEW, [row for row, _ in items])
        if cursor.rowcount == len(items):
            results = [True] * len(items)
            stored = items
        else:
            # Some were refused. New rows take ids above the old maximum (this connection holds
            # the write lock), so the rows past it are exactly the ones stored.
            rows = await db.execute_fetchall(_INSERTED_SINCE, (last_id,))
            inserted = {(row[0], row[1], row[2]) for row in rows}
            results = []
            stored = []
            for item in items:
                row = item[0]
                key = (row[0], row[1], row[3])
                ok = key in inserted
                if ok:
                    inserted.discard(key)  # a later answer to the same question was refused
                    stored.append(item)
                results.append(ok)
        # The latest answer of each player in the batch carries the name to keep.
        await self._rename(db, {row[3]: (row[3], name, row[13]) for row, name in stored})
        self.unfolded += len(stored)
        return results

    async def _insert_pg(self, db: PgConn, items: list[Prepared]) -> list[bool]:
        """Store a batch and count it in the aggregates, in the open transaction.

        The answers are counted here, by the ids just inserted, so a failure undoes the batch
        with its count. (Names were written before the transaction: see `name_players`.)
        """
        columns = [list(column) for column in zip(*(row for row, _ in items), strict=True)]
        rows = await db.raw.fetch(_PG_INSERT, *columns)
        inserted = {(row[1], row[2], row[3]) for row in rows}
        results: list[bool] = []
        for row, _ in items:
            key = (row[0], row[1], row[3])
            ok = key in inserted
            if ok:
                inserted.discard(key)
            results.append(ok)
        await fold_inserted(db, [row[0] for row in rows])
        return results

    async def _rename(
        self, db: aiosqlite.Connection, latest: dict[int, tuple[int, str, int]]
    ) -> None:
        """Store the players' latest names, skipping those known to be stored already."""
        version = next(iter(await db.execute_fetchall(_DATA_VERSION)))[0]
        if version != self._data_version:
            # Another connection committed: it may have renamed someone.
            self._names.clear()
            self._data_version = version
        names = self._names
        changed = [player for uid, player in latest.items() if names.get(uid) != player[1]]
        if changed:
            await db.executemany(_RENAME_PLAYER, changed)
            for uid, name, _ in changed:
                self._remember(uid, name)
