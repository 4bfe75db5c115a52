-- Core: players, games, the questions asked, answers, and the score aggregates behind leaderboards.
-- Times are UTC epoch milliseconds; ids are Discord snowflakes (terminal play uses guild 0).

CREATE TABLE players (
    user_id     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE games (
    game_id         INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    bank            TEXT    NOT NULL,
    mode            TEXT    NOT NULL,
    topic           TEXT,
    started_by      INTEGER NOT NULL,
    question_count  INTEGER NOT NULL CHECK (question_count >= 0),
    status          TEXT    NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'finished', 'stopped', 'aborted')),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER
);
-- Only running games are looked up by status (at start-up), so index just those.
CREATE INDEX games_running ON games (game_id) WHERE status = 'running';
CREATE INDEX games_started_by ON games (started_by, bank);

CREATE TABLE questions_asked (
    game_id         INTEGER NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    question_index  INTEGER NOT NULL,
    question_id     TEXT    NOT NULL,
    fact_id         TEXT    NOT NULL,
    topic           TEXT    NOT NULL,
    asked_at        INTEGER NOT NULL,
    PRIMARY KEY (game_id, question_index)
) WITHOUT ROWID;

CREATE TABLE answers (
    answer_id       INTEGER PRIMARY KEY,
    game_id         INTEGER NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    question_index  INTEGER NOT NULL,
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    question_id     TEXT    NOT NULL,
    fact_id         TEXT    NOT NULL,
    topic           TEXT    NOT NULL,
    bank            TEXT    NOT NULL,
    answer          TEXT    NOT NULL,
    correct         INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points          INTEGER NOT NULL,
    elapsed_ms      INTEGER NOT NULL,
    streak          INTEGER NOT NULL,
    answered_at     INTEGER NOT NULL,
    -- One answer per player per question of a game, whatever the callers do.
    UNIQUE (game_id, question_index, user_id)
);
-- Covers "which questions has this player seen in this bank".
CREATE INDEX answers_user ON answers (user_id, bank, question_id);
CREATE INDEX answers_guild ON answers (guild_id);

-- Which players answered in which game, per period ('all' or ISO week) and topic ('' = any):
-- a score's "games" counts the games with at least one of the player's answers in its scope.
CREATE TABLE game_players (
    user_id  INTEGER NOT NULL,
    game_id  INTEGER NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    period   TEXT    NOT NULL,
    topic    TEXT    NOT NULL,
    PRIMARY KEY (user_id, game_id, period, topic)
) WITHOUT ROWID;
CREATE INDEX game_players_game ON game_players (game_id);

-- A leaderboard scope: period 'all' or an ISO week 'YYYY-Www'; topic and bank '' mean "every".
-- Scores refer to scopes by a small integer because that keeps the hot aggregate keys short.
CREATE TABLE score_scopes (
    scope_id  INTEGER PRIMARY KEY,
    period    TEXT NOT NULL,
    topic     TEXT NOT NULL,
    bank      TEXT NOT NULL,
    UNIQUE (period, topic, bank)
);

-- Totals per guild, scope and player, kept in the transaction that inserts the answer.
-- No foreign key on scope_id: scopes are never deleted and the check would cost every upsert.
CREATE TABLE scores (
    guild_id     INTEGER NOT NULL,
    scope_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    points       INTEGER NOT NULL DEFAULT 0,
    answers      INTEGER NOT NULL DEFAULT 0,
    correct      INTEGER NOT NULL DEFAULT 0,
    games        INTEGER NOT NULL DEFAULT 0,
    best_streak  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, scope_id, user_id)
) WITHOUT ROWID;
-- Top-N pages and "how many players are ahead of me" are both range scans of this index.
CREATE INDEX scores_rank ON scores (guild_id, scope_id, points DESC, user_id);

-- Players per board, so a leaderboard's size is one lookup rather than a count over the board.
-- Triggers keep it exact: an upsert that updates an existing score fires no INSERT trigger.
CREATE TABLE score_counts (
    guild_id  INTEGER NOT NULL,
    scope_id  INTEGER NOT NULL,
    players   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, scope_id)
) WITHOUT ROWID;

CREATE TRIGGER scores_counted AFTER INSERT ON scores
BEGIN
    INSERT INTO score_counts (guild_id, scope_id, players) VALUES (NEW.guild_id, NEW.scope_id, 1)
    ON CONFLICT (guild_id, scope_id) DO UPDATE SET players = players + 1;
END;

CREATE TRIGGER scores_uncounted AFTER DELETE ON scores
BEGIN
    UPDATE score_counts SET players = players - 1
    WHERE guild_id = OLD.guild_id AND scope_id = OLD.scope_id;
END;
