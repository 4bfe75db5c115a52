"""Kill a writing process with SIGKILL at varied moments: nothing acknowledged is ever lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support.storekit import (
    answer_totals,
    assert_counted,
    board_sizes,
    counted_sizes,
    expected_scores,
    fold_mark,
    folded_totals,
    snapshot,
    stored_scores,
)

from bot.store import Store

WRITER = Path(__file__).with_name("_crash_writer.py")
REPO = Path(__file__).resolve().parents[2]
RUNS = 20
FOLD_RUNS = 8


def _run_and_kill(db: Path | str, concurrency: int, acks_before_kill: int) -> tuple[list[str], str]:
    """Start the writer, kill it after it acknowledged `acks_before_kill` answers."""
    counter = {"acks": 0}

    def enough(line: str) -> bool:
        counter["acks"] += line.startswith("ack ")
        return counter["acks"] >= acks_before_kill

    return _run_until(db, [str(concurrency)], enough)


def _run_until(
    db: Path | str, args: list[str], kill_after: Callable[[str], bool]
) -> tuple[list[str], str]:
    """Start the writer and kill it right after the first line for which `kill_after` is true."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"writer exited early: {proc.stderr.read()}")
            lines.append(line.strip())
            if kill_after(line.strip()):
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        # Whatever it printed before dying was acknowledged too.
        rest, err = proc.communicate(timeout=30)
    lines.extend(ln.strip() for ln in rest.splitlines() if ln.strip())
    return lines, err


@pytest.mark.timeout(90)
async def test_sigkill_never_loses_acknowledged_answers(db_url: str) -> None:
    db = db_url
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

    if not db.startswith("postgresql://"):
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    conn = await snapshot(db)
    try:
        stored = set(conn.execute("SELECT game_id, question_index, user_id FROM answers"))
        assert acked <= stored
        assert len(acked) >= RUNS
        # Aggregates are written in the answer's transaction, so a crash never splits them.
        assert folded_totals(conn, 1) == answer_totals(conn, 1)
    finally:
        conn.close()
    await assert_counted(db)

    store = await Store.open(db)
    try:
        assert store.aborted_at_open == [previous_game]
        assert await store.games.abort_running() == []
    finally:
        await store.close()


@pytest.mark.timeout(90)
async def test_sigkill_during_a_fold_leaves_the_aggregates_consistent(tmp_path: Path) -> None:
    """Each fold adds its answers and moves the mark in one transaction: all or nothing."""
    db = tmp_path / "fold-crash.db"
    killed_while_folding = 0
    for run in range(FOLD_RUNS):
        # Kill right after the writer announces a fold (mostly while it runs), or in the middle
        # of a round some time after a fold committed.
        folds_before_kill = 1 + run % 3
        mid_round = run % 4 == 3

        def kill_after(
            line: str,
            folds: int = folds_before_kill,
            mid: bool = mid_round,
            seen: dict[str, int] = {"folds": 0, "acks_after": 0},  # noqa: B006 - one per run
        ) -> bool:
            if line.startswith("folded"):
                seen["folds"] += 1
            elif line.startswith("ack ") and seen["folds"]:
                seen["acks_after"] += 1
            if mid:
                return seen["acks_after"] >= 150
            return line == "folding" and seen["folds"] + 1 >= folds

        lines, err = _run_until(db, ["100", "10"], kill_after)
        assert lines[0].startswith("aborted"), err
        killed_while_folding += lines[-1] == "folding"

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            mark = fold_mark(conn)
            newest = conn.execute("SELECT MAX(answer_id) FROM answers").fetchone()[0]
            assert mark <= newest
            # Exactly the answers up to the mark are counted, games and board sizes included.
            assert stored_scores(conn) == expected_scores(conn, up_to=mark)
            assert folded_totals(conn, 1) == answer_totals(conn, 1, up_to=mark)
            assert board_sizes(conn) == counted_sizes(conn)
        finally:
            conn.close()
    assert killed_while_folding >= 1

    store = await Store.open(db)
    try:
        board = await store.boards.leaderboard(1, limit=100)
    finally:
        await store.close()
    conn = sqlite3.connect(db)
    try:
        expected = expected_scores(conn)
        assert fold_mark(conn) == conn.execute("SELECT MAX(answer_id) FROM answers").fetchone()[0]
        assert stored_scores(conn) == expected
    finally:
        conn.close()
    everything = {k[4]: v for k, v in expected.items() if k[:4] == (1, "all", "", "")}
    assert {r.user_id: (r.points, r.answers, r.games) for r in board.rows} == {
        user: (v[0], v[1], v[3]) for user, v in everything.items()
    }
