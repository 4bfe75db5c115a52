-- Question reports, per-guild settings, key/value metadata and banks imported by guilds.
-- Question statistics need no table of their own: they are computed from `answers`.

CREATE TABLE reports (
    report_id    INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    bank         TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX reports_guild ON reports (guild_id, report_id);
CREATE INDEX reports_question ON reports (bank, question_id);

CREATE TABLE guild_settings (
    guild_id             INTEGER PRIMARY KEY,
    seconds              INTEGER NOT NULL CHECK (seconds > 0),
    questions            INTEGER NOT NULL CHECK (questions > 0),
    mode                 TEXT    NOT NULL,
    -- JSON array of channel ids; empty means every channel.
    allowed_channel_ids  TEXT    NOT NULL DEFAULT '[]'
);

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE guild_banks (
    guild_id   INTEGER NOT NULL,
    slug       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    yaml_text  TEXT    NOT NULL,
    added_by   INTEGER NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, slug)
);
