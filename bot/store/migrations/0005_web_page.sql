-- A server's public leaderboard web page: off until a server manager turns it on.
ALTER TABLE guild_settings
    ADD COLUMN web_page INTEGER NOT NULL DEFAULT 0 CHECK (web_page IN (0, 1));
