"""Per-guild settings, imported banks, and key/value metadata."""

from __future__ import annotations

import json

from bot.store.conn import Conn
from bot.store.database import Database
from bot.store.records import GuildBankRow, GuildSettings
from bot.store.utc import from_ms


class GuildsRepo:
    """Read and write guild settings and the banks guilds imported."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def settings(self, guild_id: int) -> GuildSettings:
        """Return a guild's settings, or the defaults if it never saved any."""
        rows = await self._db.fetchall(
            """SELECT seconds, questions, mode, allowed_channel_ids, web_page
               FROM guild_settings WHERE guild_id = ?""",
            (guild_id,),
        )
        if not rows:
            return GuildSettings(guild_id=guild_id)
        seconds, questions, mode, channels, web_page = rows[0]
        return GuildSettings(
            guild_id=guild_id,
            seconds=seconds,
            questions=questions,
            mode=mode,
            allowed_channel_ids=tuple(int(c) for c in json.loads(channels)),
            web_page=bool(web_page),
        )

    async def save_settings(self, settings: GuildSettings) -> None:
        """Save a guild's settings, replacing earlier ones."""
        params = (
            settings.guild_id,
            settings.seconds,
            settings.questions,
            settings.mode,
            json.dumps([int(c) for c in settings.allowed_channel_ids]),
            int(settings.web_page),
        )

        async def op(db: Conn) -> None:
            await db.execute(
                """INSERT INTO guild_settings (guild_id, seconds, questions, mode,
                                               allowed_channel_ids, web_page)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET
                       seconds = excluded.seconds,
                       questions = excluded.questions,
                       mode = excluded.mode,
                       allowed_channel_ids = excluded.allowed_channel_ids,
                       web_page = excluded.web_page""",
                params,
            )

        await self._db.write(op)

    async def save_bank(
        self, guild_id: int, slug: str, title: str, yaml_text: str, added_by: int
    ) -> None:
        """Store a bank a guild imported, replacing one with the same slug."""
        params = (guild_id, slug, title, yaml_text, added_by, self._db.now_ms())

        async def op(db: Conn) -> None:
            await db.execute(
                """INSERT INTO guild_banks (guild_id, slug, title, yaml_text, added_by, added_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id, slug) DO UPDATE SET
                       title = excluded.title,
                       yaml_text = excluded.yaml_text,
                       added_by = excluded.added_by,
                       added_at = excluded.added_at""",
                params,
            )
            await db.execute(_BUMP_BANKS, (banks_key(guild_id),))

        await self._db.write(op)

    async def banks(self, guild_id: int) -> list[GuildBankRow]:
        """Return the banks a guild imported, by slug."""
        rows = await self._db.fetchall(
            """SELECT guild_id, slug, title, yaml_text, added_by, added_at
               FROM guild_banks WHERE guild_id = ? ORDER BY slug""",
            (guild_id,),
        )
        return [
            GuildBankRow(
                guild_id=row[0],
                slug=row[1],
                title=row[2],
                yaml_text=row[3],
                added_by=row[4],
                added_at=from_ms(row[5]),
            )
            for row in rows
        ]

    async def banks_version(self, guild_id: int) -> str | None:
        """Return the version of a guild's imported banks (None: never changed)."""
        key = banks_key(guild_id)
        rows = await self._db.fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def delete_bank(self, guild_id: int, slug: str) -> bool:
        """Delete a guild's imported bank; return whether it existed."""

        async def op(db: Conn) -> bool:
            cursor = await db.execute(
                "DELETE FROM guild_banks WHERE guild_id = ? AND slug = ?", (guild_id, slug)
            )
            if cursor.rowcount > 0:
                await db.execute(_BUMP_BANKS, (banks_key(guild_id),))
            return cursor.rowcount > 0

        return bool(await self._db.write(op))


# Each change to a guild's imported banks moves its version, in the change's transaction, so a
# process holding the guild's banks in memory sees with one key lookup that they changed.
_BUMP_BANKS = """
INSERT INTO meta (key, value) VALUES (?, '1')
ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)
"""


def banks_key(guild_id: int) -> str:
    """Return the meta key of a guild's imported-banks version."""
    return f"banks:{guild_id}"


class MetaRepo:
    """Key/value facts about the database itself (e.g. the last command sync's digest)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """Return a metadata value, or None."""
        rows = await self._db.fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set(self, key: str, value: str) -> None:
        """Set a metadata value."""

        async def op(db: Conn) -> None:
            await db.execute(
                """INSERT INTO meta (key, value) VALUES (?, ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                (key, value),
            )

        await self._db.write(op)

    async def claim(self, key: str, value: str) -> bool:
        """Set a value unless it is already that; return whether this call changed it.

        Of several processes claiming the same new value at once exactly one gets True (the
        others wait for its commit, then find the value set): e.g. one command sync.
        """

        async def op(db: Conn) -> bool:
            rows = await db.execute_fetchall(
                """INSERT INTO meta (key, value) VALUES (?, ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value
                   WHERE meta.value <> excluded.value
                   RETURNING key""",
                (key, value),
            )
            return bool(list(rows))

        return bool(await self._db.write(op))
