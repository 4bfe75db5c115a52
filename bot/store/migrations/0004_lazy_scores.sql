-- Score aggregates are folded in after the answers are stored, not in the answer's transaction.
-- `scores` and `game_players` count exactly the answers whose id is at most last_answer_id; the
-- single writer folds the later ones (and moves the mark) in one transaction, before any read
-- of the aggregates and whenever it is idle.

CREATE TABLE fold_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_answer_id  INTEGER NOT NULL
);

-- Until now every answer was counted in the transaction that stored it.
INSERT INTO fold_state (id, last_answer_id) SELECT 1, COALESCE(MAX(answer_id), 0) FROM answers;

-- A new answer takes the highest id plus one, so deleting the newest answers would let the next
-- ones reuse ids at or below the mark and never be counted: keep the mark at most the highest id
-- (every answer left below it was already counted, so nothing is lost or counted twice).
CREATE TRIGGER answers_fold_mark AFTER DELETE ON answers
WHEN OLD.answer_id > COALESCE((SELECT MAX(answer_id) FROM answers), 0)
BEGIN
    UPDATE fold_state SET last_answer_id = COALESCE((SELECT MAX(answer_id) FROM answers), 0)
    WHERE last_answer_id > COALESCE((SELECT MAX(answer_id) FROM answers), 0);
END;

-- Folds look up and add a whole game's players at once: key `game_players` by game first, so
-- a new game's rows are appended together instead of scattered over every player's pages.
-- Only "which games did this player join" (period 'all', any topic) is looked up by player.
CREATE TABLE game_players_by_game (
    game_id  INTEGER NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    period   TEXT    NOT NULL,
    topic    TEXT    NOT NULL,
    PRIMARY KEY (game_id, user_id, period, topic)
) WITHOUT ROWID;
INSERT INTO game_players_by_game (game_id, user_id, period, topic)
SELECT game_id, user_id, period, topic FROM game_players;
DROP TABLE game_players;
ALTER TABLE game_players_by_game RENAME TO game_players;
CREATE INDEX game_players_user ON game_players (user_id, game_id)
WHERE period = 'all' AND topic = '';
