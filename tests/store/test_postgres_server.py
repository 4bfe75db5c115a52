"""The throwaway PostgreSQL server the store's tests run against starts, isolates and stops."""

from __future__ import annotations

import asyncpg


async def test_each_test_gets_its_own_empty_database(pg_dsn: str) -> None:
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT 1") == 1
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        assert tables == []
        await conn.execute("CREATE TABLE scratch (id integer PRIMARY KEY)")
        version = await conn.fetchval("SHOW server_version_num")
        assert int(version) >= 150000
    finally:
        await conn.close()


async def test_a_second_test_does_not_see_the_firsts_tables(pg_dsn: str) -> None:
    conn = await asyncpg.connect(pg_dsn)
    try:
        exists = await conn.fetchval("SELECT to_regclass('public.scratch') IS NOT NULL")
        assert exists is False
    finally:
        await conn.close()
