"""An hour of simulated play: is memory bounded, and flat after the first ten minutes?

The bot's own services, everything but Discord: the store on the 1M-answer database, the
catalog with 1,000 servers holding one imported bank each (20 distinct files, read lazily
in the worker processes), the game service with card updates on, and a presenter standing in
for Discord whose players click an option at a random moment of each 20 s round. 200
channels play 10-question games back to back, each game in the next server (so every
server's bank is read during the hour); each game has 3-12 players, a third of them new to
the bot (players, names and cards keep growing); a leaderboard is opened every 50 ms.

The game clock runs `--speed` times faster than real time (default 6: the hour takes 10
minutes; `--speed 1` plays it in real time); `--minutes` sets the length of play.
Reported: RSS when ready (the baseline), after 10 minutes of play and at the end, the band
it moved in after ten minutes, and the bank worker processes beside it.

Run: `python -m benchmarks.bench_hour [--speed N] [--minutes N]` (or `python -m benchmarks hour`).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psutil

from benchmarks.bench_mixed import _pools
from benchmarks.bench_round import _build
from benchmarks.bench_startup import GUILDS, _fill
from benchmarks.bench_store import NOW
from benchmarks.table import print_table, row
from bot.core.models import Question
from bot.core.scoring import RoundResult
from bot.services.cards import Cards
from bot.services.catalog import Catalog
from bot.services.games import GameService
from bot.services.live import LiveGame, StartRequest
from bot.store import Store

CHANNELS = 200
QUESTIONS = 10
ROUND_SECONDS = 20
READ_EVERY = 0.05
DISTINCT_BANKS = 20
SIZE = 1_000_000
SETTLE_MINUTES = 10


def _flag(args: list[str], name: str, default: float) -> float:
    if name in args:
        return float(args[args.index(name) + 1])
    return default


class ScaledClock:
    """Real time run `speed` times faster: rounds, reveals and timestamps all follow it."""

    def __init__(self, speed: float, start: datetime) -> None:
        self.speed = speed
        self._origin = time.monotonic()
        self._start = start

    def monotonic(self) -> float:
        """Return game seconds since the clock was made."""
        return (time.monotonic() - self._origin) * self.speed

    def now(self) -> datetime:
        """Return the game's date and time."""
        return self._start + timedelta(seconds=self.monotonic())

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of game time."""
        await asyncio.sleep(max(0.0, seconds) / self.speed)


class Table:
    """Stands in for Discord: every question brings its game's players' clicks."""

    def __init__(self, clock: ScaledClock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self.service: GameService | None = None
        self.players: dict[int, list[int]] = {}
        self.rounds = 0
        self.answers = 0
        self._clicks: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)

    async def _click(self, live: LiveGame, index: int, user: int, options: int) -> None:
        await self.clock.sleep(self.rng.uniform(0.5, ROUND_SECONDS * 0.9))
        assert self.service is not None
        if options:
            self.service.click(live.game_id, index, self.rng.randrange(options), user,
                               f"player {user}", live.channel_id)  # fmt: skip
        else:
            self.service.type_answer(live.game_id, index, "a guess", user, f"player {user}")

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int | None:
        """Let every player of the game answer at a random moment of the round."""
        del question, deadline_at
        for user in self.players.get(live.game_id, ()):
            task = asyncio.create_task(self._click(live, live.engine.index, user, len(options)))
            self._clicks.add(task)
            task.add_done_callback(self._clicks.discard)
        return next(self._ids)

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        """Nothing to redraw."""

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        """Nothing to post."""

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        """Nothing to redraw."""

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: object) -> None:
        """Count the round."""
        del standings
        self.rounds += 1
        self.answers += len(result.entries)

    async def show_end(self, live: LiveGame, standings: object) -> None:
        """Nothing to post."""

    async def game_aborted(self, live: LiveGame) -> None:
        """Nothing to post."""


def _rss_mb(process: psutil.Process) -> tuple[float, float]:
    """Return this process's RSS and its worker processes' together, in MB."""
    workers = 0
    for child in process.children(recursive=True):
        try:
            workers += child.memory_info().rss
        except psutil.Error:
            continue
    return process.memory_info().rss / 2**20, workers / 2**20


async def _play(
    path: Path, pools: dict[int, list[int]], minutes: float, speed: float
) -> tuple[float, list[tuple[float, float, float]], Table, int]:
    """Play for `minutes` game minutes; return RSS at ready, (minute, RSS, workers), counts."""
    process = psutil.Process()
    clock = ScaledClock(speed, NOW)
    store = await Store.open(path, clock=clock.now)
    catalog = Catalog(path.parent / "no-built-ins", store)
    catalog.load_global()
    rng = random.Random(7)
    table = Table(clock, rng)
    service = GameService(store, clock, cards=Cards(store, clock), presenter=table)
    table.service = service
    fresh = itertools.count(10**17)
    guilds = list(range(1, GUILDS + 1))
    games = 0
    samples: list[tuple[float, float, float]] = []
    end = minutes * 60
    ready_rss = _rss_mb(process)[0]

    async def channel(c: int) -> None:
        nonlocal games
        await clock.sleep(rng.uniform(0, ROUND_SECONDS * 2))  # not all in step
        for k in itertools.count():
            if clock.monotonic() >= end:
                return
            guild = guilds[(c + CHANNELS * k) % len(guilds)]
            if not await catalog.ensure(guild, 30.0):
                continue
            bank = next(iter(catalog.banks_for(guild).values()))
            pool = pools.get(guild, [])
            n = rng.randint(3, 12)
            known = rng.sample(pool, min(len(pool), n - n // 3))
            players = known + [next(fresh) for _ in range(n - len(known))]
            request = StartRequest(guild, 10_000 + c, players[0], "host", QUESTIONS,
                                   ROUND_SECONDS, "buttons")  # fmt: skip
            live = await service.create(request, bank)
            table.players[live.game_id] = players
            service.launch(live)
            assert live.task is not None
            await live.task
            table.players.pop(live.game_id, None)
            games += 1

    async def reader() -> None:
        board_guilds = list(pools)
        while clock.monotonic() < end:
            guild = rng.choice(board_guilds)
            await store.boards.leaderboard(guild, caller_id=rng.choice(pools[guild]))
            await asyncio.sleep(READ_EVERY)

    async def sampler() -> None:
        minute = 0
        while clock.monotonic() < end:
            minute += 1
            await clock.sleep(minute * 60 - clock.monotonic())
            rss, workers = _rss_mb(process)
            samples.append((minute, rss, workers))
            print(f"minute {minute}: RSS {rss:.1f} MB, workers {workers:.1f} MB, "
                  f"{games} games, {table.answers} answers", file=sys.stderr)  # fmt: skip

    try:
        await asyncio.gather(reader(), sampler(), *(channel(c) for c in range(CHANNELS)))
    finally:
        await service.shutdown()
        catalog.close()
        await store.close()
    return ready_rss, samples, table, games


def _run(path: str, minutes: float, speed: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    pools = _pools(Path(path), GUILDS)
    ready, samples, table, games = asyncio.run(_play(Path(path), pools, minutes, speed))
    out.put((ready, samples, table.rounds, table.answers, games))


def main(argv: list[str] | None = None) -> list[dict]:
    """Build the database and the imports, play in a fresh process, report its memory."""
    args = sys.argv[1:] if argv is None else argv
    speed = _flag(args, "--speed", 6.0)
    minutes = _flag(args, "--minutes", 60.0)
    with tempfile.TemporaryDirectory(prefix="bench-hour-") as tmp:
        base, _, _ = _build(Path(tmp), SIZE)
        asyncio.run(_fill(base, DISTINCT_BANKS))
        # Played in a process of its own: this one holds what building the database left.
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        player = ctx.Process(target=_run, args=(str(base), minutes, speed, out))
        player.start()
        ready, samples, rounds, answers, games = out.get()
        player.join()
    settle = min(SETTLE_MINUTES, len(samples))
    at_settle = samples[settle - 1][1]
    later = [rss for minute, rss, _ in samples if minute >= settle]
    last_minute, last, workers = samples[-1]
    band = max(abs(rss - at_settle) for rss in later) / at_settle
    how = f"{minutes:.0f} min of play at {speed:g}x speed"
    return [
        row(f"{how}: RSS after {settle} min", at_settle, "MB", "RSS when ready", ready,
            at_settle / ready, "(info)", True),
        row(f"{how}: RSS at the end ({last_minute:.0f} min)", last, "MB", "RSS when ready",
            ready, last / ready, "<= 120 MB", last <= 120),
        row(f"{how}: widest move after {settle} min", band * 100, "%",
            f"RSS after {settle} min (MB)", at_settle, None, "within 10%", band <= 0.10),
        row(f"{how}: bank worker processes at the end", workers, "MB", "RSS when ready",
            ready, None, "(info)", True),
        row(f"{how}: {games:,} games, {rounds:,} rounds, {answers:,} answers",
            answers / (minutes * 60), "answers/game-s", "channels", CHANNELS, None,
            "(info)", True),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
