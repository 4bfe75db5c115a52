"""Guild settings, metadata and imported banks."""

from __future__ import annotations

from datetime import timedelta

from support.storekit import FakeClock

from bot.store import GuildSettings, Store


async def test_settings_default_until_saved(store: Store) -> None:
    assert await store.guilds.settings(42) == GuildSettings(guild_id=42)
    saved = GuildSettings(42, seconds=30, questions=5, mode="classic", allowed_channel_ids=(7, 8))
    await store.guilds.save_settings(saved)
    assert await store.guilds.settings(42) == saved
    changed = GuildSettings(42, seconds=15, questions=12, mode="buttons")
    await store.guilds.save_settings(changed)
    assert await store.guilds.settings(42) == changed
    assert await store.guilds.settings(43) == GuildSettings(guild_id=43)


async def test_meta_values(store: Store) -> None:
    assert await store.meta.get("tree-hash") is None
    await store.meta.set("tree-hash", "abc")
    await store.meta.set("tree-hash", "def")
    await store.meta.set("other", "1")
    assert await store.meta.get("tree-hash") == "def"
    assert await store.meta.get("other") == "1"


async def test_guild_banks_save_replace_list_delete(store: Store, clock: FakeClock) -> None:
    await store.guilds.save_bank(1, "lantern", "Lantern fair", "facts: []\n", 5)
    await store.guilds.save_bank(1, "alpha", "Alpha", "facts: [1]\n", 6)
    await store.guilds.save_bank(2, "lantern", "Elsewhere", "x", 7)
    clock.now += timedelta(hours=1)
    await store.guilds.save_bank(1, "lantern", "Lantern fair v2", "facts: [2]\n", 8)

    banks = await store.guilds.banks(1)
    assert [b.slug for b in banks] == ["alpha", "lantern"]
    lantern = banks[1]
    assert (lantern.title, lantern.yaml_text, lantern.added_by) == (
        "Lantern fair v2", "facts: [2]\n", 8,
    )  # fmt: skip
    assert lantern.added_at == clock.now
    assert await store.guilds.delete_bank(1, "lantern") is True
    assert await store.guilds.delete_bank(1, "lantern") is False
    assert [b.slug for b in await store.guilds.banks(1)] == ["alpha"]
    assert [b.title for b in await store.guilds.banks(2)] == ["Elsewhere"]
