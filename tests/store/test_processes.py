"""What several bot processes share through the store: orphaned games by shard, one command
sync, and a version for each server's imported banks (both backends)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from support.storekit import FakeClock, new_game

from bot.store import Store


def _on_shard(shard: int, count: int, n: int = 1) -> int:
    """Return a guild id whose events go to `shard` (Discord: (id >> 22) % count)."""
    return ((n * count + shard) << 22) + 12345


async def test_a_restarting_process_closes_only_its_shards_games(
    db_url: str, clock: FakeClock
) -> None:
    other = await Store.open(db_url, clock=clock)
    try:
        mine = [await new_game(other, guild_id=_on_shard(s, 4, n)) for s in (0, 2) for n in (1, 5)]
        theirs = [await new_game(other, guild_id=_on_shard(s, 4)) for s in (1, 3)]
        # This process runs shards 0 and 2 of 4: it restarts and closes its orphans only.
        restarted = Store(db_url, clock=clock)
        await restarted.start(shards=([0, 2], 4))
        try:
            assert restarted.aborted_at_open == sorted(mine)
            for game_id in theirs:
                game = await restarted.games.get(game_id)
                assert game is not None and game.status == "running"
        finally:
            await restarted.close()
    finally:
        await other.close()


async def test_processes_starting_together_sync_commands_once(
    db_url: str, clock: FakeClock
) -> None:
    stores = [await Store.open(db_url, clock=clock) for _ in range(3)]
    try:
        claims = await asyncio.gather(*(s.meta.claim("tree", "digest-1") for s in stores))
        assert sorted(claims) == [False, False, True]
        assert await stores[0].meta.claim("tree", "digest-1") is False
        assert await stores[1].meta.claim("tree", "digest-2") is True
        assert await stores[2].meta.get("tree") == "digest-2"
    finally:
        for store in stores:
            await store.close()


async def test_each_change_to_a_servers_banks_moves_its_version(
    db_url: str, clock: FakeClock
) -> None:
    store = await Store.open(db_url, clock=clock)
    try:
        assert await store.guilds.banks_version(7) is None
        await store.guilds.save_bank(7, "one", "One", "title: One\n", 1)
        first = await store.guilds.banks_version(7)
        await store.guilds.save_bank(7, "one", "One again", "title: One\n", 1)
        second = await store.guilds.banks_version(7)
        assert await store.guilds.delete_bank(7, "one")
        third = await store.guilds.banks_version(7)
        assert not await store.guilds.delete_bank(7, "one")  # nothing deleted, no change
        assert len({first, second, third}) == 3
        assert await store.guilds.banks_version(7) == third
        assert await store.guilds.banks_version(8) is None
    finally:
        await store.close()


async def test_stores_creating_the_same_new_file_at_once_all_open(
    tmp_path: Path, clock: FakeClock
) -> None:
    # Switching a new file to WAL does not wait for a lock (busy_timeout does not apply):
    # while one store migrates it, the others' switch used to fail with "database is locked".
    for attempt in range(12):
        path = tmp_path / f"new-{attempt}.db"
        stores = await asyncio.gather(*(Store.open(path, clock=clock) for _ in range(3)))
        for store in stores:
            await store.close()
