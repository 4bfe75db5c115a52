"""Start-up with one imported bank per server over 1,000 servers, beside loading without sharing.

A store holds 1,000 servers, each with one imported bank of 400 facts (about 100 KB of YAML):
every server the same file, or one of 20 distinct files. Measured, each in a fresh process:
time until the bot can serve (banks load lazily, so nothing is parsed yet), the time until
every server's first command has its banks, the event loop's longest stall meanwhile, and RSS.
The baseline parses each server's bank on its own (no sharing, no bounded pool), as before,
for the first 100 servers only (all 1,000 take minutes and gigabytes).

`python -m benchmarks startup`
"""

from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.table import print_table, row
from bot.services.catalog import Catalog
from bot.services.imports import Prepared, load_guild_banks, prepare
from bot.store import Store

GUILDS = 1000
#: The baseline parses every server's bank: at ~0.2 s a bank it runs on the first 100 only.
BASELINE_GUILDS = 100
FACTS = 400
HEAD = (
    'bank: "{slug}"\ntitle: "Fair {slug}"\nsource: "s"\nparagraphs: 3\ntopics:\n  t: "T"\nfacts:\n'
)
FACT = """  - id: "f{i}"
    paragraph: 1
    kind: "person"
    topic: "t"
    statement: "Player {i} met the mayor of {slug}."
    question: "Who met the mayor of {slug} on day {i}?"
    answer: "Player {i}"
    distractors: ["Carl {i}", "Dan {i}", "Eve {i}"]
    explanation: "They met."
    reviewed: true
"""


def _bank_yaml(slug: str) -> str:
    text = HEAD.format(slug=slug) + "".join(FACT.format(i=i, slug=slug) for i in range(FACTS))
    prepared = prepare(text.encode(), "f.yaml")
    assert isinstance(prepared, Prepared), prepared
    return prepared.yaml_text


async def _fill(path: Path, distinct: int) -> int:
    texts = [_bank_yaml(f"fair-{i}") for i in range(distinct)]
    store = await Store.open(path)
    try:
        for g in range(1, GUILDS + 1):
            i = g % distinct
            await store.guilds.save_bank(g, f"fair-{i}", "Fair", texts[i], 1)
    finally:
        await store.close()
    return len(texts[0])


async def _lag_probe(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(0.005)
        worst[0] = max(worst[0], loop.time() - start - 0.005)


async def _start(path: Path, shared: bool) -> tuple[float, float, float, float]:
    """Return (s to ready, s until every server's banks are in, worst loop stall s, RSS MB).

    The baseline (not `shared`) loads only BASELINE_GUILDS servers.
    """
    t0 = time.perf_counter()
    store = await Store.open(path)
    catalog = Catalog(path.parent / "no-built-ins", store)
    catalog.load_global()
    ready = time.perf_counter() - t0
    stop = asyncio.Event()
    worst = [0.0]
    probe = asyncio.create_task(_lag_probe(stop, worst))
    t1 = time.perf_counter()
    if shared:
        assert all(await asyncio.gather(*(catalog.ensure(g, None) for g in range(1, GUILDS + 1))))
    else:
        loaded = await asyncio.gather(
            *(load_guild_banks(store, g, ()) for g in range(1, BASELINE_GUILDS + 1))
        )
        assert all(len(b) == 1 for b in loaded)
    loaded_s = time.perf_counter() - t1
    stop.set()
    await probe
    rss = psutil.Process().memory_info().rss / 2**20
    catalog.close()  # as the bot does: the worker processes would keep this one from exiting
    await store.close()
    return ready, loaded_s, worst[0], rss


def _run(path: str, shared: bool, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    out.put(asyncio.run(_start(Path(path), shared)))


def _in_process(path: Path, shared: bool) -> tuple[float, float, float, float]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_run, args=(str(path), shared, out))
    proc.start()
    result = out.get()
    proc.join()
    return result


def main() -> list[dict]:
    """Fill a store per case, then start a fresh process on it for ours and the baseline."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        for distinct in (1, 20):
            path = Path(tmp) / f"guilds-{distinct}.db"
            size = asyncio.run(_fill(path, distinct))
            ready, loaded, lag, rss = _in_process(path, shared=True)
            _, b_loaded, b_lag, b_rss = _in_process(path, shared=False)
            case = (
                f"{GUILDS} servers, one {size // 1024} KB imported bank each, {distinct} distinct"
            )
            base = f"each bank parsed alone, first {BASELINE_GUILDS} servers only"
            rows += [
                row(f"start-up to ready, {case}", ready, "s", "(banks load on first use)",
                    ready, 1.0, "<= 5 s", ready <= 5),
                row(f"every server's first use served, {case}", loaded, "s", base, b_loaded,
                    b_loaded / loaded, "(info)", True),
                row(f"event-loop stall, worst, while loading, {case}", lag * 1e3, "ms", base,
                    b_lag * 1e3, b_lag / max(lag, 1e-9), "<= 50 ms", lag <= 0.05),
                row(f"RSS with every server's banks loaded, {case}", rss, "MB", base, b_rss,
                    b_rss / rss, "<= 120 MB", rss <= 120),
            ]  # fmt: skip
    return rows


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
