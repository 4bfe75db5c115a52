"""A server's imports changed by another process reach this process's catalog without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.importkit import SLUG, facts_text
from support.quizharness import write_test_bank

from bot.services.catalog import Catalog
from bot.services.imports import Prepared, prepare
from bot.store import Store

GUILD = 4242


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_an_import_elsewhere_is_seen_at_the_next_command(
    tmp_path: Path, db_url: str
) -> None:
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
