"""Kill a writing process with SIGKILL at varied moments: nothing acknowledged is ever lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from _store_helpers import answer_totals, scope_totals

from bot.store import Store

WRITER = Path(__file__).with_name("_crash_writer.py")
REPO = Path(__file__).resolve().parents[2]
RUNS = 20


def _run_and_kill(db: Path, concurrency: int, acks_before_kill: int) -> tuple[list[str], str]:
    """Start the writer, kill it after it acknowledged `acks_before_kill` answers."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(concurrency)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    acks = 0
    try:
        while acks < acks_before_kill:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"writer exited early: {proc.stderr.read()}")
            lines.append(line.strip())
            acks += line.startswith("ack ")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        # Whatever it printed before dying was acknowledged too.
        rest, err = proc.communicate(timeout=30)
    lines.extend(ln.strip() for ln in rest.splitlines() if ln.strip())
    return lines, err


@pytest.mark.timeout(90)
async def test_sigkill_never_loses_acknowledged_answers(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    acked: set[tuple[int, int, int]] = set()
    previous_game: int | None = None
    for run in range(RUNS):
        concurrency = (1, 4, 16, 50)[run % 4]
        acks_before_kill = 1 + (run * 37) % 160
        lines, err = _run_and_kill(db, concurrency, acks_before_kill)
        assert lines[0].startswith("aborted"), err
        aborted = {int(x) for x in lines[0].split()[1:]}
        if previous_game is not None:
            # The game the killed process left running was closed at the next open.
            assert previous_game in aborted
        previous_game = int(lines[1].split()[1])
        for line in lines[2:]:
            kind, *ids = line.split()
            assert kind == "ack", line
            game_id, index, user_id = map(int, ids)
            acked.add((game_id, index, user_id))

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = set(conn.execute("SELECT game_id, question_index, user_id FROM answers"))
        assert acked <= stored
        assert len(acked) >= RUNS
        # Aggregates are written in the answer's transaction, so a crash never splits them.
        assert scope_totals(conn, 1) == answer_totals(conn, 1)
    finally:
        conn.close()

    store = await Store.open(db)
    try:
        assert store.aborted_at_open == [previous_game]
        assert await store.abort_open_games() == []
    finally:
        await store.close()
