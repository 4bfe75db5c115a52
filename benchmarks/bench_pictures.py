"""Pictures and the leaderboard web page: drawing time, PNG size, and a page's latency.

Each picture is timed beside a baseline measured in the same run: a canvas of the same size
with only its background, encoded the same way (what any picture of that size costs). Sizes are
set beside Discord's attachment limit. The web page is timed beside the two store reads it is
made of, on a server with 20,000 players, at page 1 and deep in the board.
"""

from __future__ import annotations

import asyncio
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image

from benchmarks.table import row
from bot.pictures import (
    BoardCard,
    BoardRow,
    Podium,
    PodiumPlace,
    Progress,
    TopicProgress,
    WeekReviews,
    canvas,
    leaderboard_png,
    podium_png,
    progress_png,
)
from bot.store import AnswerRecord, GuildSettings, Store

RUNS = 25
#: Discord's attachment limit without boosts; "well within" is a tenth of it.
DISCORD_LIMIT = 10 * 1024 * 1024
DRAW_TARGET_MS = 150
WEB_PLAYERS = 20_000
WEB_RUNS = 60
WEB_TARGET_MS = 25
GUILD = 1
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
NAMES = ("Јована Ђурђевић", "Gülşən Əliyeva 🌟", "Marko 🇷🇸", "Ağa İsmayıl", "Nina 🦄", "Zoë")


def _ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # fonts, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _noise(side: int, seed: int) -> bytes:
    """Return a photo-like avatar that compresses badly."""
    buffer = io.BytesIO()
    rng = random.Random(seed)
    Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _inputs() -> dict[str, tuple[object, Callable[[object], bytes], object]]:
    """Return, per picture: a typical input, its drawing function, and the worst case."""
    places = [PodiumPlace(r, NAMES[r], 7000 - 900 * r, _noise(128, r)) for r in (1, 2, 3)]
    worst_places = [
        PodiumPlace(r, "Ђурђевић Əliyeva İsmayılqızı 🦄🇷🇸" * 2, 10**9, _noise(1024, r))
        for r in (1, 2, 3)
    ]
    rows = [BoardRow(i + 1, NAMES[i % 6], 5000 - 300 * i, 0.7, i == 3) for i in range(10)]
    worst_rows = [BoardRow(i, "Ђурђевић Əliyeva 🦄 " * 8, 10**12, 0.5) for i in range(1, 11)]
    weeks = [WeekReviews(date(2026, 1, 5) + timedelta(weeks=i), 5 * i) for i in range(8)]
    topics = [TopicProgress(f"Topic {i}", 10, i, i + 2) for i in range(5)]
    return {
        "podium": (
            Podium("Azerbaijan and Serbia", places, topic="Diplomacy", players=9),
            podium_png,  # type: ignore[dict-item]
            Podium("A" * 300, worst_places, topic="T" * 300, players=10**6),
        ),
        "leaderboard card": (
            BoardCard("Leaderboard · all time", rows, pages=3, players=27),
            leaderboard_png,  # type: ignore[dict-item]
            BoardCard(
                "L" * 500,
                worst_rows,
                scope="S" * 500,
                caller=BoardRow(99_999, "x" * 100, 1, 0.1),
                pages=10**6,
                players=10**7,
            ),
        ),
        "stats chart": (
            Progress("Gülşən Əliyeva", topics, weeks),
            progress_png,  # type: ignore[dict-item]
            Progress(
                "N" * 200,
                [TopicProgress("T" * 200, 50, 9, 20) for _ in range(30)],
                [WeekReviews(date(2026, 1, 5) + timedelta(weeks=i), i * 999) for i in range(12)],
            ),
        ),
    }


def pictures() -> list[dict]:
    """Time each picture and weigh its PNG, beside a background-only canvas of the same size."""
    out: list[dict] = []
    for name, (typical, draw, worst) in _inputs().items():
        png = draw(typical)
        width, height = Image.open(io.BytesIO(png)).size
        drawn = _ms(lambda d=draw, t=typical: d(t))
        floor = _ms(lambda w=width, h=height: canvas.to_png(canvas.background(w, h)))
        out.append(
            row(
                f"{name} ({width}×{height}): draw + PNG, p50 of {RUNS}",
                drawn,
                "ms",
                "background-only canvas, same size and encoding",
                floor,
                drawn / floor,
                f"<= {DRAW_TARGET_MS} ms",
                drawn <= DRAW_TARGET_MS,
            )
        )
        largest = len(draw(worst))
        out.append(
            row(
                f"{name}: PNG size, worst case (longest names, 1024-px noise avatars)",
                largest / 1024,
                "KiB",
                "the typical input, KiB",
                len(png) / 1024,
                largest / len(png),
                f"<= {DISCORD_LIMIT // 10 // 1024:,} KiB (1/10 of Discord's limit)",
                largest <= DISCORD_LIMIT // 10,
            )
        )
    return out


async def _fill(store: Store) -> None:
    await store.guilds.save_settings(GuildSettings(GUILD, web_page=True))
    game = await store.games.start(GUILD, 1, "news", "buttons", None, 1, 1, NOW)
    rng = random.Random(5)
    records = [
        AnswerRecord(
            game,
            0,
            GUILD,
            10**17 + p,
            f"player {p}",
            "q0",
            "f0",
            "politics",
            "news",
            "x",
            True,
            rng.randrange(100, 100_000),
            900,
            1,
            NOW,
        )
        for p in range(WEB_PLAYERS)
    ]
    await store.answers.record_many(records)
    await store.fold()


async def _web(path: Path) -> list[dict]:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web import create_app

    class NoBanks:
        async def ready(self, guild_id: int | None) -> dict:
            return {}

    out: list[dict] = []
    async with await Store.open(path, clock=lambda: NOW) as store:
        await _fill(store)
        async with TestClient(TestServer(create_app(store, NoBanks()))) as client:
            for label, page in (("page 1", 1), ("page 1,500 (offset 14,990)", 1500)):

                async def fetch(p: int = page) -> None:
                    response = await client.get(f"/g/{GUILD}?page={p}")
                    assert response.status == 200
                    await response.read()

                async def reads(p: int = page) -> None:
                    # What the page shows: this page of the all-time board, page 1 of the week's.
                    boards = store.boards
                    await boards.leaderboard(GUILD, period="all", limit=10, offset=(p - 1) * 10)
                    await boards.leaderboard(GUILD, period="week", limit=10)

                page_ms = await _async_ms(fetch)
                reads_ms = await _async_ms(reads)
                out.append(
                    row(
                        f"web page, {WEB_PLAYERS:,} players, {label}: HTTP round trip, p50",
                        page_ms,
                        "ms",
                        "the two leaderboard reads it shows",
                        reads_ms,
                        page_ms / reads_ms,
                        f"<= {WEB_TARGET_MS} ms",
                        page_ms <= WEB_TARGET_MS,
                    )
                )
    return out


async def _async_ms(fn: Callable[[], object]) -> float:
    await fn()  # type: ignore[misc]
    times = []
    for _ in range(WEB_RUNS):
        start = time.perf_counter()
        await fn()  # type: ignore[misc]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> list[dict]:
    """Run the picture and web page benchmarks."""
    rows = pictures()
    with tempfile.TemporaryDirectory() as folder:
        rows += asyncio.run(_web(Path(folder) / "web.db"))
    return rows


if __name__ == "__main__":
    from benchmarks.table import print_table

    raise SystemExit(print_table(main()))
