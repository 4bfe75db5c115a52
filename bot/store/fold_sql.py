"""The fold's statements (SQLite): scratch tables, then set-based steps over just the new rows.

`bot.store.fold` runs them in order and chooses among the variants (see `fold_steps`). Every
statement goes by key: the planner knows nothing of the scratch tables, and where it could
pick a plan that scans a stored table, CROSS JOIN fixes the order.
"""

from __future__ import annotations

_MONDAY_MS = 4 * 86_400_000  # 1970-01-05, the first Monday after the epoch: ISO weeks start there
_WEEK_MS = 7 * 86_400_000
_WEEK_S = _WEEK_MS // 1000
# Floor division (SQLite's `/` truncates toward zero) gives the week's index from that Monday.
WEEK_INDEX = f"""CASE WHEN answered_at >= {_MONDAY_MS}
    THEN (answered_at - {_MONDAY_MS}) / {_WEEK_MS}
    ELSE (answered_at - {_MONDAY_MS} + 1) / {_WEEK_MS} - 1 END"""
# An ISO week belongs to the year of its Thursday and is numbered by that Thursday's day of the
# year; week `wk`'s Thursday falls (wk + 1) weeks after the epoch, itself a Thursday.
WEEK_KEY = f"""printf('%s-W%02d', strftime('%Y', (wk + 1) * {_WEEK_S}, 'unixepoch'),
    (CAST(strftime('%j', (wk + 1) * {_WEEK_S}, 'unixepoch') AS INTEGER) - 1) / 7 + 1)"""

RANGE = "SELECT last_answer_id, (SELECT MAX(answer_id) FROM answers) FROM fold_state"
PENDING = """SELECT last_answer_id < COALESCE((SELECT MAX(answer_id) FROM answers), 0)
             FROM fold_state"""
SET_MARK = "UPDATE fold_state SET last_answer_id = :top WHERE last_answer_id <> :top"

# Scratch tables live in the connection's temp schema (in memory); emptied before each fold.
SETUP = (
    """CREATE TEMP TABLE IF NOT EXISTS fold_rows (
        guild_id INTEGER, user_id INTEGER, game_id INTEGER, week TEXT, topic TEXT, bank TEXT,
        points INTEGER, answers INTEGER, correct INTEGER, streak INTEGER)""",
    # The stored boards each guild's (week, topic, bank) of the pending answers counts in,
    # with each board's own period and topic.
    """CREATE TEMP TABLE IF NOT EXISTS fold_scopes (
        guild_id INTEGER, week TEXT, topic TEXT, bank TEXT, scope_id INTEGER,
        period TEXT, scope_topic TEXT,
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
        user_id INTEGER, game_id INTEGER, period TEXT, topic TEXT, guild_id INTEGER, bank TEXT,
        PRIMARY KEY (user_id, game_id, period, topic)
    ) WITHOUT ROWID""",
    """CREATE TEMP TABLE IF NOT EXISTS fold_game_counts (
        guild_id INTEGER, scope_id INTEGER, user_id INTEGER, games INTEGER,
        PRIMARY KEY (guild_id, scope_id, user_id)
    ) WITHOUT ROWID""",
)
CLEAR = tuple(
    f"DELETE FROM temp.{name}"
    for name in ("fold_rows", "fold_scopes", "fold_banks", "fold_merging", "fold_games",
                 "fold_game_counts")
)  # fmt: skip

_COMBOS = """(VALUES (0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1),
                     (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1))"""
_PERIOD = "CASE WHEN x.column1 THEN r.week ELSE 'all' END"
_TOPIC = "CASE WHEN x.column2 THEN r.topic ELSE '' END"
_BANK = "CASE WHEN x.column3 THEN r.bank ELSE '' END"
_TOTAL_COLUMNS = "guild_id, scope_id, user_id, points, answers, correct, games, best_streak"

# 1. The pending answers, summed per player, game, week, topic and bank; every combination of
#    period, topic and bank they count in (one that repeats another, with an empty topic or
#    bank, is listed once, so nothing is summed twice).
ROWS = (
    f"""INSERT INTO temp.fold_rows
        SELECT guild_id, user_id, game_id, {WEEK_KEY}, topic, bank,
               SUM(points), COUNT(*), SUM(correct), MAX(streak)
        FROM (SELECT guild_id, user_id, game_id, {WEEK_INDEX} AS wk, topic, bank, points,
                     correct, streak
              FROM main.answers WHERE answer_id > :mark AND answer_id <= :top)
        GROUP BY guild_id, user_id, game_id, wk, topic, bank""",
    f"""INSERT INTO main.score_scopes (period, topic, bank)
        SELECT {_PERIOD}, {_TOPIC}, {_BANK}
        FROM (SELECT DISTINCT week, topic, bank FROM temp.fold_rows) AS r
        CROSS JOIN {_COMBOS} AS x
        WHERE true
        ON CONFLICT (period, topic, bank) DO NOTHING""",
    """INSERT OR IGNORE INTO temp.fold_banks
        SELECT guild_id, topic, bank FROM temp.fold_rows
        UNION SELECT guild_id, '', bank FROM temp.fold_rows""",
)
# 2. A board of every bank whose one bank gets company for the first time (its row count says
#    whether any did: rarely) ...
MERGING = """INSERT INTO temp.fold_merging
        SELECT bb.guild_id, bb.topic, MIN(bb.bank) FROM main.board_banks AS bb
        WHERE (bb.guild_id, bb.topic) IN (
            SELECT f.guild_id, f.topic FROM temp.fold_banks AS f
            WHERE NOT EXISTS (SELECT 1 FROM main.board_banks AS known
                              WHERE known.guild_id = f.guild_id AND known.topic = f.topic
                                AND known.bank = f.bank))
        GROUP BY bb.guild_id, bb.topic
        HAVING COUNT(*) = 1"""
#    ... gets that bank's rows, a copy: they are that board until now. A scan of the few
#    scopes is cheaper than an index kept for it.
MERGE = (
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
)
# 3. The banks are recorded; the stored boards each guild's (week, topic, bank) counts in: a
#    board of every bank only once another bank counts in it too.
SCOPES = (
    """INSERT INTO main.board_banks (guild_id, topic, bank)
        SELECT guild_id, topic, bank FROM temp.fold_banks WHERE true
        ON CONFLICT (guild_id, topic, bank) DO NOTHING""",
    f"""INSERT OR IGNORE INTO temp.fold_scopes
        SELECT r.guild_id, r.week, r.topic, r.bank, sc.scope_id, sc.period, sc.topic
        FROM (SELECT DISTINCT guild_id, week, topic, bank FROM temp.fold_rows) AS r
        CROSS JOIN {_COMBOS} AS x
        JOIN main.score_scopes AS sc
          ON sc.period = {_PERIOD} AND sc.topic = {_TOPIC} AND sc.bank = {_BANK}
        WHERE x.column3 OR EXISTS (SELECT 1 FROM main.board_banks AS bb
                                   WHERE bb.guild_id = r.guild_id AND bb.topic = {_TOPIC}
                                     AND bb.bank <> r.bank)""",
)
# The usual batch (a round: one row per guild and player) meets each guild, scope and player
# once, as the scopes of one row are distinct: nothing to group, and no sort for it. Also the
# answers the fold counts.
SHAPE = """SELECT COUNT(*) = (SELECT COUNT(*) FROM
                                 (SELECT DISTINCT guild_id, user_id FROM temp.fold_rows)),
                  COALESCE(SUM(answers), 0)
           FROM temp.fold_rows"""

# 4. A game counts for a player, period and topic the first time any fold sees it, and once
#    (should its answers disagree about guild or bank, under the smallest of each). The row
#    count says whether any game is new: after a game's first round, rarely.
_COMBOS_GAMES = "(VALUES (0, 0), (0, 1), (1, 0), (1, 1))"
_NOT_COUNTED = f"""NOT EXISTS (SELECT 1 FROM main.game_players AS gp
                           WHERE gp.game_id = r.game_id AND gp.user_id = r.user_id
                             AND gp.period = {_PERIOD} AND gp.topic = {_TOPIC})"""
NEW_GAMES = f"""INSERT OR IGNORE INTO temp.fold_games
        SELECT r.user_id, r.game_id, {_PERIOD} AS period, {_TOPIC} AS topic,
               MIN(r.guild_id), MIN(r.bank)
        FROM temp.fold_rows AS r CROSS JOIN {_COMBOS_GAMES} AS x
        WHERE x.column2 = 0 OR r.topic <> ''
        GROUP BY 1, 2, 3, 4
        HAVING {_NOT_COUNTED}"""
NEW_GAMES_ONE_ROW_EACH = f"""INSERT OR IGNORE INTO temp.fold_games
        SELECT r.user_id, r.game_id, {_PERIOD}, {_TOPIC}, r.guild_id, r.bank
        FROM temp.fold_rows AS r CROSS JOIN {_COMBOS_GAMES} AS x
        WHERE (x.column2 = 0 OR r.topic <> '') AND {_NOT_COUNTED}"""
PLAYED = """INSERT INTO main.game_players (game_id, user_id, period, topic)
        SELECT game_id, user_id, period, topic FROM temp.fold_games"""
GAME_COUNTS = """INSERT INTO temp.fold_game_counts
        SELECT n.guild_id, sc.scope_id, n.user_id, COUNT(*)
        FROM temp.fold_games AS n CROSS JOIN (VALUES (0), (1)) AS b
        JOIN main.score_scopes AS sc
          ON sc.period = n.period AND sc.topic = n.topic
         AND sc.bank = CASE WHEN b.column1 THEN n.bank ELSE '' END
        WHERE b.column1 = 0 OR n.bank <> ''
        GROUP BY 1, 2, 3"""

# 5. Add the sums to each player's totals, one upsert per guild, scope and player. Rows that
#    score no points (wrong answers) leave `points` unassigned, so their rank-index entries
#    stay put. A round's new games go in the same upsert, one key lookup each in the scratch
#    table; a bigger batch's are grouped per row first and added by key afterwards (looking
#    them up inside its grouped upsert cost more than the upsert).
_JOIN_SCOPES = """FROM temp.fold_rows AS r
        JOIN temp.fold_scopes AS s
          ON s.guild_id = r.guild_id AND s.week = r.week
         AND s.topic = r.topic AND s.bank = r.bank"""
_NEW_GAME = """EXISTS (SELECT 1 FROM temp.fold_games AS g
                       WHERE g.user_id = r.user_id AND g.game_id = r.game_id
                         AND g.period = s.period AND g.topic = s.scope_topic)"""


def _upsert(points: bool, games: bool) -> str:
    added = ["answers", "correct", *(["points"] if points else []), *(["games"] if games else [])]
    sums = "".join(f"\n            {c} = {c} + excluded.{c}," for c in added)
    return f"""ON CONFLICT (guild_id, scope_id, user_id) DO UPDATE SET{sums}
            best_streak = max(best_streak, excluded.best_streak)"""


def _one_row_each(games: bool) -> tuple[str, str]:
    played = _NEW_GAME if games else "0"
    return tuple(  # type: ignore[return-value]
        f"""INSERT INTO main.scores ({_TOTAL_COLUMNS})
        SELECT r.guild_id, s.scope_id, r.user_id, r.points, r.answers, r.correct, {played},
               r.streak
        {_JOIN_SCOPES}
        WHERE r.points {test} 0
        {_upsert(points, games)}"""
        for test, points in (("<>", True), ("=", False))
    )


#: A round's totals, with its new games (True) or when it has none (False).
TOTALS_ONE_ROW_EACH = {True: _one_row_each(True), False: _one_row_each(False)}
#: Any batch's totals; the new games follow by `ADD_GAMES`.
TOTALS = tuple(
    f"""INSERT INTO main.scores ({_TOTAL_COLUMNS})
        SELECT r.guild_id, s.scope_id, r.user_id, SUM(r.points), SUM(r.answers),
               SUM(r.correct), 0, MAX(r.streak)
        {_JOIN_SCOPES}
        GROUP BY r.guild_id, s.scope_id, r.user_id
        HAVING SUM(r.points) {test} 0
        {_upsert(points, False)}"""
    for test, points in (("<>", True), ("=", False))
)
# By key from the few new rows: as `UPDATE … FROM`, the planner, knowing nothing of the scratch
# table, chose to scan every score of a 100k-answer database (40 ms a round).
ADD_GAMES = """UPDATE main.scores SET games = games + (
            SELECT g.games FROM temp.fold_game_counts AS g
            WHERE g.guild_id = scores.guild_id AND g.scope_id = scores.scope_id
              AND g.user_id = scores.user_id)
        WHERE (guild_id, scope_id, user_id) IN
              (SELECT guild_id, scope_id, user_id FROM temp.fold_game_counts)"""

#: Every statement a fold may run, for checks of their plans.
EVERY_STEP = (
    *ROWS, MERGING, *MERGE, *SCOPES, SHAPE, NEW_GAMES, NEW_GAMES_ONE_ROW_EACH, PLAYED,
    GAME_COUNTS, *TOTALS_ONE_ROW_EACH[True], *TOTALS_ONE_ROW_EACH[False], *TOTALS, ADD_GAMES,
)  # fmt: skip
