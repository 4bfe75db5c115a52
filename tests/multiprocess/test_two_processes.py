"""Two real bot processes, one shard each, on one database, driven by one fake Discord.

Each process is the real `quizbot run --shards N --shard-count 2` (tests/support/botprocess.py
points it at the fake). Games run in a server of each shard at once; every answer is stored
exactly once and both servers' scores are in the one database. Then one process is killed with
SIGKILL in the middle of a round and started again: it closes only its own orphaned game, and
the other process's game, running all along, finishes normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from support.fakediscord import FakeDiscord, FakeGuild
from support.fakediscord.gateway import shard_of
from support.quizharness import (
    buttons_of,
    click_and_read,
    start_game,
    wait_message,
    write_test_bank,
)

from bot.store import Store

LAUNCHER = Path(__file__).resolve().parents[1] / "support" / "botprocess.py"
REPO = Path(__file__).resolve().parents[2]
WAIT = 30.0
#: A start-up (login, migrations, commands, gateway) on a busy test machine may take longer.
START = 60.0


class BotProcess:
    """One `quizbot run` process and what it wrote to stderr."""

    def __init__(self, proc: asyncio.subprocess.Process, shard: int) -> None:
        self.proc = proc
        self.shard = shard
        self.log = bytearray()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        while chunk := await self.proc.stderr.read(65536):
            self.log.extend(chunk)

    @property
    def text(self) -> str:
        return self.log.decode(errors="replace")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        await self._reader


async def _launch(fake: FakeDiscord, shard: int, db_url: str, questions: Path) -> BotProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": fake.token,
        "QUIZBOT_DB": db_url,
        "QUIZBOT_QUESTIONS": str(questions),
        "QUIZBOT_LOG_LEVEL": "INFO",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(LAUNCHER), fake.api_base, fake.gateway_url,
        "--shards", str(shard), "--shard-count", "2",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE, env=env, cwd=questions.parent,
    )  # fmt: skip
    return BotProcess(proc, shard)


def _serves(fake: FakeDiscord, guild: FakeGuild) -> bool:
    return any(s.receives(guild.id) for s in fake.gateway.ready_sessions)


async def _ready(
    fake: FakeDiscord, procs: dict[int, BotProcess], serving: Callable[[], bool], which: str
) -> None:
    """Wait until `serving()`; on a timeout, fail with what each process logged."""
    try:
        await fake.wait_until(serving, START, f"{which} to be ready")
    except AssertionError as exc:
        logs = "\n".join(
            f"--- shard {p.shard} (exit {p.proc.returncode}):\n{p.text}" for p in procs.values()
        )
        raise AssertionError(f"{exc}\n{logs}") from None


@contextlib.asynccontextmanager
async def _processes(
    fake: FakeDiscord, db_url: str, questions: Path, guilds: list[FakeGuild]
) -> AsyncIterator[dict[int, BotProcess]]:
    procs: dict[int, BotProcess] = {}
    try:
        for shard in (0, 1):
            procs[shard] = await _launch(fake, shard, db_url, questions)
        await _ready(fake, procs, lambda: all(_serves(fake, g) for g in guilds), "both")
        yield procs
    finally:
        for proc in procs.values():
            await proc.stop()


async def _games(db_url: str) -> dict[int, tuple[int, str]]:
    """Return every game as {game id: (guild id, status)}, read beside the bots."""
    async with await Store.open(db_url, abort_running=False) as store:
        rows = await store.db.fetchall("SELECT game_id, guild_id, status FROM games")
    return {int(r[0]): (int(r[1]), str(r[2])) for r in rows}


def _no_errors(procs: dict[int, BotProcess]) -> None:
    for proc in procs.values():
        bad = [ln for ln in proc.text.splitlines() if "ERROR" in ln or "Traceback" in ln]
        assert not bad, f"shard {proc.shard} logged:\n" + "\n".join(bad)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_two_processes_share_one_database(
    fake_discord: FakeDiscord, tmp_path: Path, db_url: str
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    east = fake.add_guild("East", shard=(0, 2))
    west = fake.add_guild("West", shard=(1, 2))
    assert (shard_of(east.id, 2), shard_of(west.id, 2)) == (0, 1)
    east_room, west_room = fake.add_channel("quiz", east), fake.add_channel("quiz", west)
    questions = write_test_bank(tmp_path / "questions")

    async with _processes(fake, db_url, questions, [east, west]) as procs:
        # 1. A game in each process at once; two players each, one double click.
        mark = fake.mark()
        for room in (east_room, west_room):
            start = await start_game(fake, alice, room, topic="places", questions=1, seconds=5)
            assert not (await fake.response_to(start, timeout=WAIT)).ephemeral
        for room in (east_room, west_room):
            msg = await wait_message(fake, mark, title="Question 1/1", channel=room, timeout=WAIT)
            assert (await click_and_read(fake, alice, msg, 0)).startswith("Locked in")
            assert (await click_and_read(fake, alice, msg, 1)).startswith("You already answered")
            assert (await click_and_read(fake, bob, msg, 1)).startswith("Locked in")
        for room in (east_room, west_room):
            await wait_message(fake, mark, title="🏁 Final results", channel=room, timeout=WAIT)
        games = await _games(db_url)
        assert sorted(guild for guild, _ in games.values()) == sorted([east.id, west.id])
        assert {status for _, status in games.values()} == {"finished"}

        async with await Store.open(db_url, abort_running=False) as store:
            for game_id in games:
                answers = await store.answers.for_game(game_id)
                assert sorted(a.user_id for a in answers) == sorted([alice.id, bob.id])
            # One database, both servers' boards.
            for guild in (east, west):
                board = await store.boards.leaderboard(guild.id)
                assert {r.user_id for r in board.rows} == {alice.id, bob.id}
                assert all(r.answers == 1 and r.games == 1 for r in board.rows)

        # 2. One process dies mid-round while the other's game goes on. (Bob starts both: the
        #    start cooldown is per server and player, and alice just started in each.)
        mark = fake.mark()
        await fake.response_to(
            await start_game(fake, bob, east_room, topic="places", questions=1, seconds=60),
            timeout=WAIT,
        )
        await fake.response_to(
            await start_game(fake, bob, west_room, topic="places", questions=1, seconds=20),
            timeout=WAIT,
        )
        east_q = await wait_message(fake, mark, title="Question 1/1", channel=east_room,
                                    timeout=WAIT)  # fmt: skip
        west_q = await wait_message(fake, mark, title="Question 1/1", channel=west_room,
                                    timeout=WAIT)  # fmt: skip
        assert (await click_and_read(fake, alice, east_q, 0)).startswith("Locked in")
        assert (await click_and_read(fake, bob, west_q, 0)).startswith("Locked in")
        games = await _games(db_url)
        running = {g: guild for g, (guild, status) in games.items() if status == "running"}
        assert sorted(running.values()) == sorted([east.id, west.id])
        east_game = next(g for g, guild in running.items() if guild == east.id)
        west_game = next(g for g, guild in running.items() if guild == west.id)

        procs[0].kill()
        await procs[0].proc.wait()
        await fake.wait_until(lambda: not _serves(fake, east), WAIT, "the east to go dark")
        _no_errors({1: procs[1]})
        procs[0] = await _launch(fake, 0, db_url, questions)
        await _ready(fake, procs, lambda: _serves(fake, east), "the east")

        games = await _games(db_url)
        assert games[east_game] == (east.id, "aborted")  # its own orphan, closed
        # The other process's game was left alone and finishes by itself.
        await wait_message(fake, mark, title="🏁 Final results", channel=west_room, timeout=WAIT)
        assert (await _games(db_url))[west_game] == (west.id, "finished")
        assert f"closed games left running by a crash as aborted: [{east_game}]" in procs[0].text

        # The restarted process plays again.
        mark = fake.mark()
        await fake.response_to(
            await start_game(fake, alice, east_room, topic="places", questions=1, seconds=5),
            timeout=WAIT,
        )
        msg = await wait_message(fake, mark, title="Question 1/1", channel=east_room, timeout=WAIT)
        assert buttons_of(msg)
        _no_errors(procs)
