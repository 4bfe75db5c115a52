-- The facts-learned board, kept ready as reviews and cards are written (no scan of `reviews`).
--
-- A fact counts for a player on a guild's board since a moment S when their card first reached
-- the learned level at or after S and they reviewed that fact in that guild at or after S. The
-- board is read for two moments: all time (S = 0) and the current ISO week (S = its Monday
-- 00:00 UTC in epoch ms; 0 is never a Monday, so the keys cannot collide). `facts_counted`
-- remembers which (guild, since, player, fact) are counted, so nothing counts twice whichever
-- comes first, the review or the learning; `facts_learned` keeps the per-player totals.

CREATE TABLE facts_counted (
    guild_id  INTEGER NOT NULL,
    since     INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    bank      TEXT    NOT NULL,
    fact_id   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, since, user_id, bank, fact_id)
) WITHOUT ROWID;

CREATE TABLE facts_learned (
    guild_id  INTEGER NOT NULL,
    since     INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    learned   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, since, user_id)
) WITHOUT ROWID;
CREATE INDEX facts_learned_rank ON facts_learned (guild_id, since, learned DESC, user_id);

CREATE TRIGGER facts_counted_total AFTER INSERT ON facts_counted
BEGIN
    INSERT INTO facts_learned (guild_id, since, user_id, learned)
    VALUES (NEW.guild_id, NEW.since, NEW.user_id, 1)
    ON CONFLICT (guild_id, since, user_id) DO UPDATE SET learned = learned + 1;
END;

-- What is already there: every learned fact reviewed in a guild counts there for all time,
-- and for the week it was learned in when it was also reviewed there that week.
INSERT OR IGNORE INTO facts_counted (guild_id, since, user_id, bank, fact_id)
SELECT DISTINCT r.guild_id, 0, r.user_id, r.bank, r.fact_id
FROM reviews AS r
JOIN cards AS c ON c.user_id = r.user_id AND c.bank = r.bank AND c.fact_id = r.fact_id
WHERE c.learned_at IS NOT NULL;

INSERT OR IGNORE INTO facts_counted (guild_id, since, user_id, bank, fact_id)
SELECT DISTINCT r.guild_id,
       c.learned_at - ((c.learned_at - 345600000) % 604800000 + 604800000) % 604800000,
       r.user_id, r.bank, r.fact_id
FROM reviews AS r
JOIN cards AS c ON c.user_id = r.user_id AND c.bank = r.bank AND c.fact_id = r.fact_id
WHERE c.learned_at IS NOT NULL
  AND r.reviewed_at >= c.learned_at
      - ((c.learned_at - 345600000) % 604800000 + 604800000) % 604800000;

-- A review of a fact already learned.
CREATE TRIGGER facts_reviewed AFTER INSERT ON reviews
BEGIN
    INSERT OR IGNORE INTO facts_counted (guild_id, since, user_id, bank, fact_id)
    SELECT NEW.guild_id, s.since, NEW.user_id, NEW.bank, NEW.fact_id
    FROM cards AS c
    JOIN (SELECT 0 AS since
          UNION ALL
          SELECT NEW.reviewed_at
                 - ((NEW.reviewed_at - 345600000) % 604800000 + 604800000) % 604800000) AS s
    WHERE c.user_id = NEW.user_id AND c.bank = NEW.bank AND c.fact_id = NEW.fact_id
      AND c.learned_at IS NOT NULL AND c.learned_at >= s.since;
END;

-- A fact learned (for the first time) after reviews of it.
CREATE TRIGGER facts_learned_new AFTER INSERT ON cards WHEN NEW.learned_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO facts_counted (guild_id, since, user_id, bank, fact_id)
    SELECT DISTINCT r.guild_id, s.since, NEW.user_id, NEW.bank, NEW.fact_id
    FROM reviews AS r
    JOIN (SELECT 0 AS since
          UNION ALL
          SELECT NEW.learned_at
                 - ((NEW.learned_at - 345600000) % 604800000 + 604800000) % 604800000) AS s
    WHERE r.user_id = NEW.user_id AND r.bank = NEW.bank AND r.fact_id = NEW.fact_id
      AND r.reviewed_at >= s.since;
END;

CREATE TRIGGER facts_learned_later AFTER UPDATE OF learned_at ON cards
WHEN OLD.learned_at IS NULL AND NEW.learned_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO facts_counted (guild_id, since, user_id, bank, fact_id)
    SELECT DISTINCT r.guild_id, s.since, NEW.user_id, NEW.bank, NEW.fact_id
    FROM reviews AS r
    JOIN (SELECT 0 AS since
          UNION ALL
          SELECT NEW.learned_at
                 - ((NEW.learned_at - 345600000) % 604800000 + 604800000) % 604800000) AS s
    WHERE r.user_id = NEW.user_id AND r.bank = NEW.bank AND r.fact_id = NEW.fact_id
      AND r.reviewed_at >= s.since;
END;
