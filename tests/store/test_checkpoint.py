"""WAL checkpoints run beside the writer, once the writes pause, never inside a transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.store import Store, checkpoint
from bot.store.checkpoint import Checkpointer
from bot.store.db import connect


async def _settle(seconds: float = checkpoint.QUIET * 4) -> None:
    await asyncio.sleep(seconds)


@asynccontextmanager
async def _committed_while_writing(
    tmp_path: Path,
) -> AsyncIterator[tuple[Checkpointer, list[bool]]]:
    """A checkpointer after one commit, quiet since, while the next transaction is open.

    Yields it with the open-transaction flag, which the test clears when that transaction ends.
    """
    open_transaction = [True]
    checkpoints = Checkpointer(await connect(tmp_path / "q.db"), busy=lambda: open_transaction[0])
    checkpoints.start()
    try:
        checkpoints.committed()
        await _settle()
        assert checkpoints.runs == 0  # quiet, but the next transaction is still running
        yield checkpoints, open_transaction
    finally:
        await checkpoints.close()


async def test_a_checkpoint_waits_for_the_open_transaction_to_commit(tmp_path: Path) -> None:
    async with _committed_while_writing(tmp_path) as (checkpoints, open_transaction):
        open_transaction[0] = False
        checkpoints.committed()  # that transaction commits
        await _settle()
        assert checkpoints.runs == 1


async def test_a_transaction_rolled_back_does_not_hold_back_the_checkpoint(
    tmp_path: Path,
) -> None:
    async with _committed_while_writing(tmp_path) as (checkpoints, open_transaction):
        open_transaction[0] = False  # it ended without a commit: nothing wakes the checkpointer
        await _settle()
        assert checkpoints.runs == 1  # the earlier commit is copied back all the same


async def test_too_many_commits_waiting_checkpoint_even_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "MAX_PENDING", 5)
    checkpoints = Checkpointer(await connect(tmp_path / "q.db"), busy=lambda: True)
    checkpoints.start()
    try:
        for _ in range(4):
            checkpoints.committed()
        await _settle()
        assert checkpoints.runs == 0
        checkpoints.committed()
        await _settle()
        assert checkpoints.runs == 1  # the log must stay short
    finally:
        await checkpoints.close()


async def test_the_store_checkpoints_after_its_writes(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "q.db")
    try:
        await store.players.upsert(1, "Ana")
        await _settle()
        assert store.db._checkpointer is not None
        assert store.db._checkpointer.runs >= 1
    finally:
        await store.close()
