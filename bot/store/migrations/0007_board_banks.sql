-- The banks a guild's players scored in, per topic ('' = any topic).
--
-- A board of every bank, (period, topic, ''), is stored only once two or more banks count in
-- it. Until then it holds exactly what the board of its one bank holds, and that board,
-- (period, topic, bank), is read in its place: most topics belong to one bank and most servers
-- play one bank, and every stored board costs each answer an upsert and a rank-index entry.
-- When a second bank joins, the fold first copies the one bank's rows into the board of every
-- bank, then counts the new answers in both.
CREATE TABLE board_banks (
    guild_id  INTEGER NOT NULL,
    topic     TEXT    NOT NULL,
    bank      TEXT    NOT NULL,
    PRIMARY KEY (guild_id, topic, bank)
) WITHOUT ROWID;

-- Every bank with a player on one of its boards (every answer counts in (period, '', bank)
-- and, with a topic, in (period, topic, bank)).
INSERT INTO board_banks (guild_id, topic, bank)
SELECT DISTINCT c.guild_id, sc.topic, sc.bank
FROM score_counts AS c JOIN score_scopes AS sc ON sc.scope_id = c.scope_id
WHERE sc.bank <> '' AND c.players > 0;

-- The boards of every bank that only repeat one bank's board go (their counts follow, by the
-- `scores_uncounted` trigger).
DELETE FROM scores
WHERE (guild_id, scope_id) IN (
    SELECT one.guild_id, every.scope_id
    FROM (SELECT guild_id, topic FROM board_banks GROUP BY guild_id, topic HAVING COUNT(*) = 1)
         AS one
    JOIN score_scopes AS every ON every.topic = one.topic AND every.bank = ''
);
DELETE FROM score_counts WHERE players = 0;
