"""Store answers in batches and keep the score aggregates in the same transaction."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiosqlite

from bot.store.clock import to_ms, week_key
from bot.store.records import AnswerRecord
from bot.store.writer import Failed, in_savepoint

log = logging.getLogger(__name__)

ALL_TIME = "all"

INSERT_ANSWER = """
INSERT INTO answers (game_id, question_index, guild_id, user_id, question_id, fact_id, topic,
                     bank, answer, correct, points, elapsed_ms, streak, answered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_EXISTING = """
SELECT user_id FROM answers
WHERE game_id = ? AND question_index = ? AND user_id IN (SELECT value FROM json_each(?))
"""
_NAMES = "SELECT user_id, name FROM players WHERE user_id IN (SELECT value FROM json_each(?))"
UPSERT_PLAYER = """
INSERT INTO players (user_id, name, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
"""
_GAME_PLAYERS = """
SELECT user_id, period, topic FROM game_players
WHERE user_id IN (SELECT value FROM json_each(?)) AND game_id = ?
"""
_INSERT_GAME_PLAYER = (
    "INSERT INTO game_players (user_id, game_id, period, topic) VALUES (?, ?, ?, ?)"
)
UPSERT_SCORE = """
INSERT INTO scores (guild_id, scope_id, user_id, points, answers, correct, games, best_streak)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (guild_id, scope_id, user_id) DO UPDATE SET
    points = points + excluded.points,
    answers = answers + excluded.answers,
    correct = correct + excluded.correct,
    games = games + excluded.games,
    best_streak = max(best_streak, excluded.best_streak)
"""
_FIND_SCOPE = "SELECT scope_id FROM score_scopes WHERE period = ? AND topic = ? AND bank = ?"
_ADD_SCOPE = "INSERT INTO score_scopes (period, topic, bank) VALUES (?, ?, ?)"

ScopeKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class PreparedAnswer:
    """An answer checked and converted to column values before it is queued."""

    game_id: int
    question_index: int
    guild_id: int
    user_id: int
    user_name: str
    topic: str
    bank: str
    week: str
    points: int
    correct: int
    streak: int
    answered_ms: int
    row: tuple[Any, ...]

    @classmethod
    def from_record(cls, r: AnswerRecord) -> PreparedAnswer:
        """Convert a record; raise ValueError for values the database must not hold."""
        answered_ms = to_ms(r.answered_at)
        correct = 1 if r.correct else 0
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
            correct,
            r.points,
            r.elapsed_ms,
            r.streak,
            answered_ms,
        )
        return cls(
            game_id=r.game_id,
            question_index=r.question_index,
            guild_id=r.guild_id,
            user_id=r.user_id,
            user_name=r.user_name,
            topic=r.topic,
            bank=r.bank,
            week=week_key(r.answered_at),
            points=r.points,
            correct=correct,
            streak=r.streak,
            answered_ms=answered_ms,
            row=row,
        )


def scope_keys(period: str, topic: str, bank: str) -> list[ScopeKey]:
    """Return the aggregate scopes one answer counts in (each combination of filters)."""
    keys = [(p, t, b) for p in (ALL_TIME, period) for t in ("", topic) for b in ("", bank)]
    return list(dict.fromkeys(keys))


class AnswerBatcher:
    """Insert a batch of answers with `executemany` and update their aggregates.

    Each answer's result is True when stored and False when that player had already answered
    that question of that game (earlier in the batch or in the database). If the batch as a
    whole fails, it is undone and retried one answer per savepoint, so only bad answers fail.
    """

    def __init__(self) -> None:
        # Scope ids never change once written; forget them all if a transaction rolls back,
        # since a scope created inside it is gone.
        self._scope_ids: dict[ScopeKey, int] = {}

    def forget(self) -> None:
        """Drop cached scope ids (after a rolled-back transaction)."""
        self._scope_ids.clear()

    async def apply(self, db: aiosqlite.Connection, items: list[PreparedAnswer]) -> list[Any]:
        """Store the answers; return True/False per answer, or `Failed` for one that raised."""
        # Scopes are created outside the savepoints so a rolled-back answer cannot take a
        # cached scope row with it.
        await self._resolve_scopes(db, items)
        await db.execute("SAVEPOINT answers")
        try:
            results: list[Any] = await self._insert(db, items)
        except Exception as exc:
            await db.execute("ROLLBACK TO answers")
            await db.execute("RELEASE answers")
            if len(items) == 1:
                return [Failed(exc)]
            log.info("answer batch of %d failed (%r); retrying one by one", len(items), exc)
            return [await in_savepoint(db, partial(self._insert_one, item)) for item in items]
        await db.execute("RELEASE answers")
        return results

    async def _insert_one(self, item: PreparedAnswer, db: aiosqlite.Connection) -> bool:
        return (await self._insert(db, [item]))[0]

    async def _resolve_scopes(self, db: aiosqlite.Connection, items: list[PreparedAnswer]) -> None:
        wanted = {(it.week, it.topic, it.bank) for it in items}
        for week, topic, bank in wanted:
            for key in scope_keys(week, topic, bank):
                if key in self._scope_ids:
                    continue
                rows = list(await db.execute_fetchall(_FIND_SCOPE, key))
                if rows:
                    self._scope_ids[key] = rows[0][0]
                else:
                    cursor = await db.execute(_ADD_SCOPE, key)
                    assert cursor.lastrowid is not None
                    self._scope_ids[key] = cursor.lastrowid

    async def _insert(self, db: aiosqlite.Connection, items: list[PreparedAnswer]) -> list[bool]:
        results = [False] * len(items)
        first: dict[tuple[int, int, int], int] = {}
        for i, it in enumerate(items):
            first.setdefault((it.game_id, it.question_index, it.user_id), i)
        by_question: dict[tuple[int, int], list[int]] = defaultdict(list)
        for game_id, index, user_id in first:
            by_question[(game_id, index)].append(user_id)
        existing: set[tuple[int, int, int]] = set()
        for (game_id, index), users in by_question.items():
            rows = await db.execute_fetchall(_EXISTING, (game_id, index, json.dumps(users)))
            existing.update((game_id, index, row[0]) for row in rows)
        fresh: list[PreparedAnswer] = []
        for key, i in first.items():
            if key not in existing:
                results[i] = True
                fresh.append(items[i])
        if not fresh:
            return results
        # A plain INSERT: the checks above make a conflict impossible, so one would be a bug
        # and must fail loudly rather than be silently ignored.
        await db.executemany(INSERT_ANSWER, [it.row for it in fresh])
        await self._update_players(db, fresh)
        opened = await self._claim_games(db, fresh)
        await self._add_scores(db, fresh, opened)
        return results

    async def _update_players(self, db: aiosqlite.Connection, fresh: list[PreparedAnswer]) -> None:
        latest = {it.user_id: it for it in fresh}
        rows = await db.execute_fetchall(_NAMES, (json.dumps(list(latest)),))
        stored = {row[0]: row[1] for row in rows}
        changed = [
            (uid, it.user_name, it.answered_ms)
            for uid, it in latest.items()
            if stored.get(uid) != it.user_name
        ]
        if changed:
            await db.executemany(UPSERT_PLAYER, changed)

    async def _claim_games(
        self, db: aiosqlite.Connection, fresh: list[PreparedAnswer]
    ) -> list[set[tuple[str, str]]]:
        """Record who played which game; return per answer the (period, topic) it opened."""
        by_game: dict[int, set[int]] = defaultdict(set)
        for it in fresh:
            by_game[it.game_id].add(it.user_id)
        known: set[tuple[int, int, str, str]] = set()
        for game_id, users in by_game.items():
            rows = await db.execute_fetchall(_GAME_PLAYERS, (json.dumps(list(users)), game_id))
            known.update((row[0], game_id, row[1], row[2]) for row in rows)
        opened: list[set[tuple[str, str]]] = []
        new_rows: list[tuple[int, int, str, str]] = []
        for it in fresh:
            firsts: set[tuple[str, str]] = set()
            for period in (ALL_TIME, it.week):
                for topic in ("", it.topic):
                    key = (it.user_id, it.game_id, period, topic)
                    if key not in known:
                        known.add(key)
                        new_rows.append(key)
                        firsts.add((period, topic))
            opened.append(firsts)
        if new_rows:
            await db.executemany(_INSERT_GAME_PLAYER, new_rows)
        return opened

    async def _add_scores(
        self,
        db: aiosqlite.Connection,
        fresh: list[PreparedAnswer],
        opened: list[set[tuple[str, str]]],
    ) -> None:
        # Sum the batch per (guild, scope, player) first: one upsert per key, not per answer.
        scopes: dict[ScopeKey, list[tuple[int, tuple[str, str]]]] = {}
        totals: dict[tuple[int, int, int], list[int]] = {}
        for it, firsts in zip(fresh, opened, strict=True):
            key3 = (it.week, it.topic, it.bank)
            targets = scopes.get(key3)
            if targets is None:
                targets = [(self._scope_ids[k], (k[0], k[1])) for k in scope_keys(*key3)]
                scopes[key3] = targets
            for scope_id, period_topic in targets:
                games = 1 if period_topic in firsts else 0
                key = (it.guild_id, scope_id, it.user_id)
                total = totals.get(key)
                if total is None:
                    totals[key] = [it.points, 1, it.correct, games, it.streak]
                else:
                    total[0] += it.points
                    total[1] += 1
                    total[2] += it.correct
                    total[3] += games
                    total[4] = max(total[4], it.streak)
        await db.executemany(UPSERT_SCORE, [(*key, *total) for key, total in totals.items()])
