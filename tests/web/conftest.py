"""Fixtures for the web page tests: a store on a real file, with a clock the tests set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.storekit import FakeClock

from bot.store import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "web.db", clock=FakeClock())
    try:
        yield s
    finally:
        await s.close()
