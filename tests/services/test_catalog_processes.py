"""A server's imports changed by another process reach this process's catalog without a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.importkit import SLUG, facts_text
from support.quizharness import write_test_bank

from bot.services.catalog import Catalog
from bot.services.imports import Prepared, prepare
from bot.store import Store

GUILD = 4242


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_an_import_elsewhere_is_seen_at_the_next_command(tmp_path: Path, db_url: str) -> None:
    questions = write_test_bank(tmp_path / "questions")
    prepared = prepare(facts_text().encode(), "lantern.facts.yaml")
    assert isinstance(prepared, Prepared)
    here, there = await Store.open(db_url), await Store.open(db_url, abort_running=False)
    catalog = Catalog(questions, here)
    catalog.load_global()
    catalog.version_check = 0.0  # compare at every command (the default waits 2 s)
    try:
        assert SLUG not in await catalog.ready(GUILD)
        # Another process imports a bank for the server.
        await there.guilds.save_bank(GUILD, SLUG, prepared.bank.title, prepared.yaml_text, 1)
        assert SLUG in await catalog.ready(GUILD)
        # …and removes it.
        assert await there.guilds.delete_bank(GUILD, SLUG)
        assert SLUG not in await catalog.ready(GUILD)
        # Unchanged: no new read.
        assert not await catalog.refresh(GUILD)
    finally:
        catalog.close()
        await here.close()
        await there.close()


async def test_idle_worker_processes_stop_and_start_again_for_the_next_read(
    tmp_path: Path,
) -> None:
    questions = write_test_bank(tmp_path / "questions")
    store = await Store.open(tmp_path / "quiz.db")
    catalog = Catalog(questions, store)
    catalog.load_global()
    catalog.pool_idle = 0.2
    first = prepare(facts_text().encode(), "lantern.facts.yaml")
    # A different text (parsed on its own, not shared with the first).
    second = prepare(facts_text().replace("Lantern", "Beacon").encode(), "beacon.facts.yaml")
    assert isinstance(first, Prepared) and isinstance(second, Prepared)
    try:
        await store.guilds.save_bank(GUILD, SLUG, first.bank.title, first.yaml_text, 1)
        await store.guilds.save_bank(GUILD + 1, SLUG, second.bank.title, second.yaml_text, 1)
        assert SLUG in await catalog.ready(GUILD)
        assert catalog.workers_running
        await asyncio.sleep(0.6)
        assert not catalog.workers_running  # nothing left to parse: their memory is given back
        banks = await catalog.ready(GUILD + 1)
        assert SLUG in banks and "Beacon" in banks[SLUG].title
    finally:
        catalog.close()
        await store.close()
