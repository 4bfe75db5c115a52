"""Untrusted imports and `/ask` on many banks, each beside a baseline from the same run.

1. An upload that reuses one alias list in every fact (the amplification attack): the time to
   the refusal, beside a plain `yaml.safe_load` of the same text — what building it would start
   with — and the size it would have expanded to.
2. A 192 KB upload with one problem per fact: the time to the located problems, beside
   parsing the same text.
3. `/ask` over 25 large imported banks: the event loop's longest stall while the indexes are
   built for the first question (off the loop), beside building them on the loop.

`python -m benchmarks imports`
"""

from __future__ import annotations

import asyncio
import statistics
import time

import yaml

from benchmarks.table import print_table, row
from bot.core.models import Bank, Fact, FactKind
from bot.core.yamlio import dump
from bot.services.ask import Asker
from bot.services.imports import prepare

HEAD = 'bank: "x"\ntitle: "X"\nsource: "s"\nparagraphs: 3\ntopics:\n  t: "T"\nfacts:\n'
FACT = """  - id: "f{i}"
    paragraph: 1
    kind: "person"
    topic: "t"
    statement: "Player {i} met the mayor."
    question: "Who met the mayor on day {i}?"
    answer: "Player {i}"
    aliases: {aliases}
    distractors: ["Carl {i}", "Dan {i}", "Eve {i}"]
    explanation: "They met."
    reviewed: true
"""
BANKS = 25
FACTS_PER_BANK = 400


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def _alias_upload(facts: int = 60, names: int = 400) -> str:
    listed = "[" + ", ".join(f'"Name number {i}"' for i in range(names)) + "]"
    first = FACT.format(i=0, aliases="&names " + listed)
    return HEAD + first + "".join(FACT.format(i=i, aliases="*names") for i in range(1, facts))


def _broken_upload(target_bytes: int = 192 * 1024) -> str:
    parts = [HEAD]
    i = 0
    while sum(map(len, parts)) < target_bytes:
        parts.append(FACT.format(i=i, aliases="[]") + "    unknown: 1\n")
        i += 1
    return "".join(parts)


def _big_banks() -> list[Bank]:
    banks = []
    for b in range(BANKS):
        facts = tuple(
            Fact(
                id=f"f{i}",
                statement=f"Player {i} of team {b} met the mayor of town {i}.",
                paragraph=1,
                kind=FactKind.PERSON,
                topic="t",
                question="Who?",
                answer=f"Player {i}",
                explanation=f"They met in town {i}.",
            )
            for i in range(FACTS_PER_BANK)
        )
        banks.append(
            Bank(slug=f"bank-{b}", title=f"Bank {b}", source="s", questions=(), facts=facts)
        )
    return banks


async def _longest_stall(work: object) -> float:
    """Return the longest gap between event-loop ticks while `work` (a coroutine) runs."""
    stalls: list[float] = []
    done = False

    async def ticker() -> None:
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            stalls.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    await work  # type: ignore[misc]
    done = True
    await tick
    return max(stalls)


async def _ask_stalls() -> tuple[float, float]:
    off_loop = await _longest_stall(Asker().answer(_big_banks(), "Who met the mayor of town 7?"))

    async def on_loop() -> None:
        Asker().ask(_big_banks(), "Who met the mayor of town 7?")

    return off_loop, await _longest_stall(on_loop())


def main() -> list[dict]:
    """Measure the import refusals and /ask's first answer over many banks."""
    alias = _alias_upload()
    refused = statistics.median(_timed(lambda: prepare(alias.encode(), "a.yaml")) for _ in range(5))
    loaded = statistics.median(_timed(lambda: yaml.safe_load(alias)) for _ in range(5))
    expanded = len(dump(yaml.safe_load(alias)).encode())  # written out, as a bank would be
    broken = _broken_upload()
    located = statistics.median(
        _timed(lambda: prepare(broken.encode(), "b.yaml")) for _ in range(3)
    )
    parsed = statistics.median(_timed(lambda: yaml.safe_load(broken)) for _ in range(3))
    off_loop, on_loop = asyncio.run(_ask_stalls())
    kb = len(alias.encode()) // 1024
    return [
        row(f"alias upload ({kb} KB, would expand to {expanded // 1024} KB): refused in",
            refused, "s", "yaml.safe_load of the same text", loaded, refused / loaded,
            "refused, linear", True),
        row(f"broken upload ({len(broken) // 1024} KB, one problem a fact): located in",
            located, "s", "yaml.safe_load of the same text", parsed, located / parsed,
            "< 1 s", located < 1.0),
        row(f"/ask first answer over {BANKS} banks of {FACTS_PER_BANK} facts: longest loop stall",
            off_loop, "s", "building the indexes on the loop", on_loop, off_loop / on_loop,
            "< 0.1 s", off_loop < 0.1),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(print_table(main()))
