"""Fold stored answers into the score aggregates with set-based SQL, moving the mark with them.

Answers whose id is above `fold_state.last_answer_id` are not yet counted in `scores` or
`game_players`. A fold counts them all (or the first `limit` ids of them) and moves the mark in
the caller's transaction, so a crash leaves either both or neither. Each answer counts in every
combination of period ('all' or its ISO week in UTC), topic ('' or its topic) and bank ('' or
its bank); a game counts once per player, period and topic, however many folds see its answers,
because `game_players` remembers which were counted.

A board of every bank, (period, topic, ''), is stored only once two banks count in it (see
migration 0007 and `board_banks`); until then its one bank's board stands for it. The fold that
brings a second bank first copies the one bank's rows into the board of every bank.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite

_MONDAY_MS = 4 * 86_400_000  # 1970-01-05, the first Monday after the epoch: ISO weeks start there
_WEEK_MS = 7 * 86_400_000
_WEEK_S = _WEEK_MS // 1000
# Floor division (SQLite's `/` truncates toward zero) gives the week's index from that Monday.
_WEEK_INDEX = f"""CASE WHEN answered_at >= {_MONDAY_MS}
    THEN (answered_at - {_MONDAY_MS}) / {_WEEK_MS}
    ELSE (answered_at - {_MONDAY_MS} + 1) / {_WEEK_MS} - 1 END"""
# An ISO week belongs to the year of its Thursday and is numbered by that Thursday's day of the
# year; week `wk`'s Thursday falls (wk + 1) weeks after the epoch, itself a Thursday.
_WEEK_KEY = f"""printf('%s-W%02d', strftime('%Y', (wk + 1) * {_WEEK_S}, 'unixepoch'),
    (CAST(strftime('%j', (wk + 1) * {_WEEK_S}, 'unixepoch') AS INTEGER) - 1) / 7 + 1)"""

RANGE = "SELECT last_answer_id, (SELECT MAX(answer_id) FROM answers) FROM fold_state"
PENDING = """SELECT last_answer_id < COALESCE((SELECT MAX(answer_id) FROM answers), 0)
             FROM fold_state"""
_SET_MARK = "UPDATE fold_state SET last_answer_id = :top WHERE last_answer_id <> :top"

# Scratch tables live in the connection's temp schema; created once, emptied around each fold.
_SETUP = (
    """CREATE TEMP TABLE IF NOT EXISTS fold_rows (
        guild_id INTEGER, user_id INTEGER, game_id INTEGER, week TEXT, topic TEXT, bank TEXT,
        points INTEGER, answers INTEGER, correct INTEGER, streak INTEGER)""",
    # The stored boards each guild's (week, topic, bank) of the pending answers counts in.
    """CREATE TEMP TABLE IF NOT EXISTS fold_scopes (
        guild_id INTEGER, week TEXT, topic TEXT, bank TEXT, scope_id INTEGER,
        PRIMARY KEY (guild_id, week, topic, bank, scope_id)
    ) WITHOUT ROWID""",
    # The (guild, topic or '', bank) of the pending answers; the boards of every bank they
    # make two banks share, with the one bank they had.
    """CREATE TEMP TABLE IF NOT EXISTS fold_banks (
        guild_id INTEGER, topic TEXT, bank TEXT, PRIMARY KEY (guild_id, topic, bank)
    ) WITHOUT ROWID""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_merging (guild_id INTEGER, topic TEXT, bank TEXT)""",
    # Games counted for the first time: player, game, period and topic; then per score row.
    """CREATE TEMP TABLE IF NOT EXISTS fold_games (
        user_id INTEGER, game_id INTEGER, period TEXT, topic TEXT, guild_id INTEGER, bank TEXT)""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_game_counts (
        guild_id INTEGER, scope_id INTEGER, user_id INTEGER, games INTEGER,
        PRIMARY KEY (guild_id, scope_id, user_id)
    ) WITHOUT ROWID""",
)
_CLEAR = tuple(
    f"DELETE FROM temp.{name}"
    for name in (
        "fold_rows",
        "fold_scopes",
        "fold_banks",
        "fold_merging",
        "fold_games",
        "fold_game_counts",
    )
)
_COMBOS = """(VALUES (0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1),
                     (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1))"""
_PERIOD = "CASE WHEN x.column1 THEN r.week ELSE 'all' END"
_TOPIC = "CASE WHEN x.column2 THEN r.topic ELSE '' END"
_BANK = "CASE WHEN x.column3 THEN r.bank ELSE '' END"
_TOTAL_COLUMNS = "guild_id, scope_id, user_id, points, answers, correct, games, best_streak"
_ROWS = (
    # 1. The pending answers, summed per player, game, week, topic and bank.
    f"""INSERT INTO temp.fold_rows
        SELECT guild_id, user_id, game_id, {_WEEK_KEY}, topic, bank,
               SUM(points), COUNT(*), SUM(correct), MAX(streak)
        FROM (SELECT guild_id, user_id, game_id, {_WEEK_INDEX} AS wk, topic, bank, points,
                     correct, streak
              FROM main.answers WHERE answer_id > :mark AND answer_id <= :top)
        GROUP BY guild_id, user_id, game_id, wk, topic, bank""",
    # 2. Every combination of period, topic and bank those rows count in; a combination that
    #    repeats another (an empty topic or bank) is listed once, so nothing is summed twice.
    f"""INSERT INTO main.score_scopes (period, topic, bank)
        SELECT {_PERIOD}, {_TOPIC}, {_BANK}
        FROM (SELECT DISTINCT week, topic, bank FROM temp.fold_rows) AS r
        CROSS JOIN {_COMBOS} AS x
        WHERE true
        ON CONFLICT (period, topic, bank) DO NOTHING""",
    # 3. Which banks now count in each board of every bank: one whose bank has company for the
    #    first time gets that bank's rows (a copy: they are that board until now). Rare, and
    #    a scan of the few scopes is cheaper than an index kept for it; CROSS JOIN keeps the
    #    order (the planner knows nothing of the scratch table and would scan every score).
    """INSERT OR IGNORE INTO temp.fold_banks
        SELECT guild_id, topic, bank FROM temp.fold_rows
        UNION SELECT guild_id, '', bank FROM temp.fold_rows""",
    """INSERT INTO temp.fold_merging
        SELECT bb.guild_id, bb.topic, MIN(bb.bank) FROM main.board_banks AS bb
        WHERE (bb.guild_id, bb.topic) IN (
            SELECT f.guild_id, f.topic FROM temp.fold_banks AS f
            WHERE NOT EXISTS (SELECT 1 FROM main.board_banks AS known
                              WHERE known.guild_id = f.guild_id AND known.topic = f.topic
                                AND known.bank = f.bank))
        GROUP BY bb.guild_id, bb.topic
        HAVING COUNT(*) = 1""",
    """INSERT INTO main.score_scopes (period, topic, bank)
        SELECT DISTINCT one.period, m.topic, ''
        FROM temp.fold_merging AS m
        CROSS JOIN main.score_scopes AS one NOT INDEXED
        WHERE one.topic = m.topic AND one.bank = m.bank
        ON CONFLICT (period, topic, bank) DO NOTHING""",
    f"""INSERT INTO main.scores ({_TOTAL_COLUMNS})
        SELECT s.guild_id, every.scope_id, s.user_id, s.points, s.answers, s.correct, s.games,
               s.best_streak
        FROM temp.fold_merging AS m
        CROSS JOIN main.score_scopes AS one NOT INDEXED
        CROSS JOIN main.score_scopes AS every
        CROSS JOIN main.scores AS s
        WHERE one.topic = m.topic AND one.bank = m.bank
          AND every.period = one.period AND every.topic = m.topic AND every.bank = ''
          AND s.guild_id = m.guild_id AND s.scope_id = one.scope_id
        ON CONFLICT (guild_id, scope_id, user_id) DO UPDATE SET
            points = excluded.points, answers = excluded.answers, correct = excluded.correct,
            games = excluded.games, best_streak = excluded.best_streak""",
    """INSERT INTO main.board_banks (guild_id, topic, bank)
        SELECT guild_id, topic, bank FROM temp.fold_banks WHERE true
        ON CONFLICT (guild_id, topic, bank) DO NOTHING""",
    # 4. The stored boards each guild's (week, topic, bank) counts in.
    f"""INSERT OR IGNORE INTO temp.fold_scopes
        SELECT r.guild_id, r.week, r.topic, r.bank, sc.scope_id
        FROM (SELECT DISTINCT guild_id, week, topic, bank FROM temp.fold_rows) AS r
        CROSS JOIN {_COMBOS} AS x
        JOIN main.score_scopes AS sc
          ON sc.period = {_PERIOD} AND sc.topic = {_TOPIC} AND sc.bank = {_BANK}
        WHERE x.column3 OR EXISTS (SELECT 1 FROM main.board_banks AS bb
                                   WHERE bb.guild_id = r.guild_id AND bb.topic = {_TOPIC}
                                     AND bb.bank <> r.bank)""",
)
# 5. A game counts for a player, period and topic the first time any fold sees it, and once
#    (should its answers disagree about guild or bank, under the smallest of each). A batch
#    with one row per guild and player (a round) has nothing to group.
_COMBOS_GAMES = "(VALUES (0, 0), (0, 1), (1, 0), (1, 1))"
_NOT_COUNTED = f"""NOT EXISTS (SELECT 1 FROM main.game_players AS gp
                           WHERE gp.game_id = r.game_id AND gp.user_id = r.user_id
                             AND gp.period = {_PERIOD} AND gp.topic = {_TOPIC})"""
_NEW_GAMES = f"""INSERT INTO temp.fold_games
        SELECT r.user_id, r.game_id, {_PERIOD} AS period, {_TOPIC} AS topic,
               MIN(r.guild_id), MIN(r.bank)
        FROM temp.fold_rows AS r CROSS JOIN {_COMBOS_GAMES} AS x
        WHERE x.column2 = 0 OR r.topic <> ''
        GROUP BY 1, 2, 3, 4
        HAVING {_NOT_COUNTED}"""
_NEW_GAMES_ONE_ROW_EACH = f"""INSERT INTO temp.fold_games
        SELECT r.user_id, r.game_id, {_PERIOD}, {_TOPIC}, r.guild_id, r.bank
        FROM temp.fold_rows AS r CROSS JOIN {_COMBOS_GAMES} AS x
        WHERE (x.column2 = 0 OR r.topic <> '') AND {_NOT_COUNTED}"""
_GAMES = (
    """INSERT INTO main.game_players (game_id, user_id, period, topic)
        SELECT game_id, user_id, period, topic FROM temp.fold_games""",
    """INSERT INTO temp.fold_game_counts
        SELECT n.guild_id, sc.scope_id, n.user_id, COUNT(*)
        FROM temp.fold_games AS n CROSS JOIN (VALUES (0), (1)) AS b
        JOIN main.score_scopes AS sc
          ON sc.period = n.period AND sc.topic = n.topic
         AND sc.bank = CASE WHEN b.column1 THEN n.bank ELSE '' END
        WHERE b.column1 = 0 OR n.bank <> ''
        GROUP BY 1, 2, 3""",
)
# 6. Add the sums to each player's totals, one upsert per guild, scope and player; then the new
#    games to the rows that have some (after a game's first round, few or none). Looking up
#    each row's games inside the upsert cost more than the upsert itself. Rows that score no
#    points (wrong answers) leave `points` unassigned, so their rank-index entries stay put.
_ADD_COUNTS = """ON CONFLICT (guild_id, scope_id, user_id) DO UPDATE SET
            answers = answers + excluded.answers,
            correct = correct + excluded.correct,
            best_streak = max(best_streak, excluded.best_streak)"""
_ADD_POINTS = _ADD_COUNTS.replace("SET", "SET\n            points = points + excluded.points,")
_JOIN_SCOPES = """FROM temp.fold_rows AS r
        JOIN temp.fold_scopes AS s
          ON s.guild_id = r.guild_id AND s.week = r.week
         AND s.topic = r.topic AND s.bank = r.bank"""
_TOTALS = tuple(
    f"""INSERT INTO main.scores ({_TOTAL_COLUMNS})
        SELECT r.guild_id, s.scope_id, r.user_id, SUM(r.points), SUM(r.answers),
               SUM(r.correct), 0, MAX(r.streak)
        {_JOIN_SCOPES}
        GROUP BY r.guild_id, s.scope_id, r.user_id
        HAVING SUM(r.points) {test} 0
        {upsert}"""
    for test, upsert in (("<>", _ADD_POINTS), ("=", _ADD_COUNTS))
)
# The usual batch (a round: one row per player) meets each guild, scope and player once, as the
# scopes of one row are distinct: nothing to sum, and no sort for it.
_ONE_ROW_EACH = """SELECT COUNT(*) = (SELECT COUNT(*) FROM
                                         (SELECT DISTINCT guild_id, user_id FROM temp.fold_rows))
                   FROM temp.fold_rows"""
_TOTALS_ONE_ROW_EACH = tuple(
    f"""INSERT INTO main.scores ({_TOTAL_COLUMNS})
        SELECT r.guild_id, s.scope_id, r.user_id, r.points, r.answers, r.correct, 0, r.streak
        {_JOIN_SCOPES}
        WHERE r.points {test} 0
        {upsert}"""
    for test, upsert in (("<>", _ADD_POINTS), ("=", _ADD_COUNTS))
)
# By key from the few new rows: as `UPDATE … FROM`, the planner, knowing nothing of the scratch
# table, chose to scan every score of a 100k-answer database (40 ms a round).
_ADD_GAMES = """UPDATE main.scores SET games = games + (
            SELECT g.games FROM temp.fold_game_counts AS g
            WHERE g.guild_id = scores.guild_id AND g.scope_id = scores.scope_id
              AND g.user_id = scores.user_id)
        WHERE (guild_id, scope_id, user_id) IN
              (SELECT guild_id, scope_id, user_id FROM temp.fold_game_counts)"""

_COUNT = "SELECT COALESCE(SUM(answers), 0) FROM temp.fold_rows"

# After `_ROWS` and the `_ONE_ROW_EACH` check: the games, then (beside `alongside`) the totals.
_PLANS = {
    True: ((_NEW_GAMES_ONE_ROW_EACH, *_GAMES), (*_TOTALS_ONE_ROW_EACH, _ADD_GAMES)),
    False: ((_NEW_GAMES, *_GAMES), (*_TOTALS, _ADD_GAMES)),
}


def _bounds(row: Any, limit: int | None) -> tuple[int, int]:
    """Return (mark, top): fold the ids in (mark, top]; top may lower a mark left too high."""
    if row is None:
        raise RuntimeError("fold_state is empty: the database was not migrated")
    mark, top = int(row[0]), int(row[1] or 0)
    mark = min(mark, top)
    if limit is not None:
        top = min(top, mark + limit)
    return mark, top


async def fold_answers(
    db: aiosqlite.Connection,
    limit: int | None = None,
    *,
    alongside: Callable[[], object] | None = None,
) -> int:
    """Fold pending answers in the current transaction; return how many were counted.

    `alongside` is called just before the totals' upsert, the fold's longest statement (all of
    it inside SQLite, which holds no Python lock meanwhile): work started then in a thread
    runs beside it.
    """
    rows = list(await db.execute_fetchall(RANGE))
    mark, top = _bounds(rows[0] if rows else None, limit)
    params = {"mark": mark, "top": top}
    counted = 0
    if top > mark:
        for sql in (*_SETUP, *_CLEAR):
            await db.execute(sql)
        for sql in _ROWS:
            await db.execute(sql, params)
        one_each = next(iter(await db.execute_fetchall(_ONE_ROW_EACH)))[0]
        games, totals = _PLANS[bool(one_each)]
        for sql in games:
            await db.execute(sql)
        if alongside is not None:
            alongside()
        for sql in totals:
            await db.execute(sql)
        counted = int(next(iter(await db.execute_fetchall(_COUNT)))[0])
        for sql in _CLEAR:
            await db.execute(sql)
    await db.execute(_SET_MARK, params)
    return counted


def fold_answers_blocking(conn: sqlite3.Connection, limit: int | None = None) -> int:
    """Fold pending answers through a plain sqlite3 connection, in a transaction of its own."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        mark, top = _bounds(conn.execute(RANGE).fetchone(), limit)
        params = {"mark": mark, "top": top}
        counted = 0
        if top > mark:
            for sql in (*_SETUP, *_CLEAR):
                conn.execute(sql)
            for sql in _ROWS:
                conn.execute(sql, params)
            one_each = conn.execute(_ONE_ROW_EACH).fetchone()[0]
            for sql in (sql for step in _PLANS[bool(one_each)] for sql in step):
                conn.execute(sql)
            counted = int(conn.execute(_COUNT).fetchone()[0])
            for sql in _CLEAR:
                conn.execute(sql)
        conn.execute(_SET_MARK, params)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return counted
