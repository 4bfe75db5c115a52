-- Learning: one spaced-review card per player and (bank, fact), and a log of every review.

CREATE TABLE cards (
    user_id     INTEGER NOT NULL,
    bank        TEXT    NOT NULL,
    fact_id     TEXT    NOT NULL,
    card_json   TEXT    NOT NULL,
    due         INTEGER NOT NULL,
    level       INTEGER NOT NULL,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- When the card first reached level 2 ("learned"); never cleared by later lapses.
    learned_at  INTEGER,
    PRIMARY KEY (user_id, bank, fact_id)
) WITHOUT ROWID;
CREATE INDEX cards_due ON cards (user_id, due);

CREATE TABLE reviews (
    review_id    INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    guild_id     INTEGER NOT NULL DEFAULT 0,
    bank         TEXT    NOT NULL,
    fact_id      TEXT    NOT NULL,
    rating       INTEGER NOT NULL,
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    reviewed_at  INTEGER NOT NULL,
    source       TEXT    NOT NULL
);
CREATE INDEX reviews_user ON reviews (user_id, reviewed_at);
CREATE INDEX reviews_guild ON reviews (guild_id, reviewed_at);
