"""Count just-stored answers in the score aggregates on PostgreSQL, in the storing transaction.

The same rules as `bot.store.fold` (every combination of period, topic and bank; a game counts
once per player, period and topic), applied to the answers one statement just inserted, named
by id. Several processes write at once, so rows are upserted in key order: two transactions
touching the same players take their row locks in the same order and cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.store.conn import PgConn

_SCRATCH = (
    """CREATE TEMP TABLE IF NOT EXISTS fold_rows (
        guild_id BIGINT, user_id BIGINT, game_id BIGINT, week TEXT, topic TEXT, bank TEXT,
        points BIGINT, answers BIGINT, correct BIGINT, streak BIGINT) ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_scopes (
        week TEXT, topic TEXT, bank TEXT, scope_id INTEGER,
        PRIMARY KEY (week, topic, bank, scope_id)) ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_games (
        user_id BIGINT, game_id BIGINT, period TEXT, topic TEXT, guild_id BIGINT, bank TEXT)
        ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_game_counts (
        guild_id BIGINT, scope_id INTEGER, user_id BIGINT, games BIGINT,
        PRIMARY KEY (guild_id, scope_id, user_id)) ON COMMIT DELETE ROWS""",
)
_CLEAR = tuple(
    f"DELETE FROM {name}" for name in ("fold_rows", "fold_scopes", "fold_games", "fold_game_counts")
)
_COMBOS = """(VALUES (0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1),
                     (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1))"""
_PERIOD = "CASE WHEN x.column1 = 1 THEN r.week ELSE 'all' END"
_TOPIC = "CASE WHEN x.column2 = 1 THEN r.topic ELSE '' END"
_BANK = "CASE WHEN x.column3 = 1 THEN r.bank ELSE '' END"
# The ISO week of an epoch-ms moment in UTC, spelled as `bot.store.utc.week_key` spells it.
_WEEK = """to_char(to_timestamp(answered_at / 1000.0) AT TIME ZONE 'UTC', 'IYYY-"W"IW')"""

_ROWS = f"""
INSERT INTO fold_rows
SELECT guild_id, user_id, game_id, {_WEEK}, topic, bank,
       SUM(points), COUNT(*), SUM(correct), MAX(streak)
FROM answers WHERE answer_id = ANY($1::bigint[])
GROUP BY 1, 2, 3, 4, 5, 6"""
_STEPS = (
    f"""INSERT INTO score_scopes (period, topic, bank)
        SELECT DISTINCT {_PERIOD}, {_TOPIC}, {_BANK}
        FROM (SELECT DISTINCT week, topic, bank FROM fold_rows) AS r CROSS JOIN {_COMBOS} AS x
        ORDER BY 1, 2, 3
        ON CONFLICT (period, topic, bank) DO NOTHING""",
    f"""INSERT INTO fold_scopes
        SELECT DISTINCT r.week, r.topic, r.bank, sc.scope_id
        FROM (SELECT DISTINCT week, topic, bank FROM fold_rows) AS r
        CROSS JOIN {_COMBOS} AS x
        JOIN score_scopes AS sc
          ON sc.period = {_PERIOD} AND sc.topic = {_TOPIC} AND sc.bank = {_BANK}""",
    """INSERT INTO fold_games
        SELECT n.user_id, n.game_id, n.period, n.topic, n.guild_id, n.bank
        FROM (SELECT r.user_id, r.game_id,
                     CASE WHEN x.column1 = 1 THEN r.week ELSE 'all' END AS period,
                     CASE WHEN x.column2 = 1 THEN r.topic ELSE '' END AS topic,
                     MIN(r.guild_id) AS guild_id, MIN(r.bank) AS bank
              FROM fold_rows AS r CROSS JOIN (VALUES (0, 0), (0, 1), (1, 0), (1, 1)) AS x
              WHERE x.column2 = 0 OR r.topic <> ''
              GROUP BY 1, 2, 3, 4) AS n
        WHERE NOT EXISTS (SELECT 1 FROM game_players AS gp
                          WHERE gp.game_id = n.game_id AND gp.user_id = n.user_id
                            AND gp.period = n.period AND gp.topic = n.topic)""",
    """INSERT INTO game_players (game_id, user_id, period, topic)
        SELECT game_id, user_id, period, topic FROM fold_games ORDER BY 1, 2, 3, 4""",
    """INSERT INTO fold_game_counts
        SELECT n.guild_id, sc.scope_id, n.user_id, COUNT(*)
        FROM fold_games AS n CROSS JOIN (VALUES (0), (1)) AS b
        JOIN score_scopes AS sc
          ON sc.period = n.period AND sc.topic = n.topic
         AND sc.bank = CASE WHEN b.column1 = 1 THEN n.bank ELSE '' END
        WHERE b.column1 = 0 OR n.bank <> ''
        GROUP BY 1, 2, 3""",
    """INSERT INTO scores (guild_id, scope_id, user_id, points, answers, correct, games,
                          best_streak)
        SELECT a.guild_id, a.scope_id, a.user_id, a.points, a.answers, a.correct,
               COALESCE(g.games, 0), a.streak
        FROM (SELECT r.guild_id, s.scope_id, r.user_id, SUM(r.points) AS points,
                     SUM(r.answers) AS answers, SUM(r.correct) AS correct, MAX(r.streak) AS streak
              FROM fold_rows AS r
              JOIN fold_scopes AS s
                ON s.week = r.week AND s.topic = r.topic AND s.bank = r.bank
              GROUP BY 1, 2, 3) AS a
        -- A join, not a subquery per row: the scratch tables have no statistics to plan by.
        LEFT JOIN fold_game_counts AS g
          ON g.guild_id = a.guild_id AND g.scope_id = a.scope_id AND g.user_id = a.user_id
        ORDER BY 1, 2, 3
        ON CONFLICT (guild_id, scope_id, user_id) DO UPDATE SET
            points = scores.points + excluded.points,
            answers = scores.answers + excluded.answers,
            correct = scores.correct + excluded.correct,
            games = scores.games + excluded.games,
            best_streak = GREATEST(scores.best_streak, excluded.best_streak)""",
)
_CLEAR_ALL = ";\n".join(_CLEAR)
_STEPS_ALL = ";\n".join(_STEPS)


async def create_scratch(db: PgConn) -> None:
    """Create the fold's scratch tables on a connection, outside any transaction."""
    for sql in _SCRATCH:
        await db.raw.execute(sql)


async def fold_inserted(db: PgConn, answer_ids: Sequence[int]) -> int:
    """Count the answers with these ids in the aggregates (in the open transaction)."""
    if not answer_ids:
        return 0
    raw = db.raw
    # Statements without parameters go together, one round trip each group.
    await raw.execute(_CLEAR_ALL)  # an earlier fold in this transaction left its rows
    await raw.execute(_ROWS, list(answer_ids))
    await raw.execute(_STEPS_ALL)
    return len(answer_ids)
