"""Databases for the web page tests: players in several scripts, names that try to inject HTML.

Every page test reads a real SQLite file filled through the store's own API.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from bot.core.bank import load_banks
from bot.core.models import Bank
from bot.store import AnswerRecord, GuildSettings, Store
from support.storekit import START, new_game

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
BANK = "baku-belgrade"
TOPICS = ("diplomacy", "economy-travel", "energy")
#: Names a page must escape or draw: markup, entities, quotes, several scripts and emoji.
TRICKY_NAMES = (
    "<script>alert('x')</script>",
    "Ana & <b>Marija</b>",
    "\"quoted\" 'name'",
    "Јована Ђурђевић",
    "Gülşən Əliyeva",
    "Nina 🦄🇷🇸",
)
#: Names for pictures people look at: several scripts, nothing that tries to break the page.
FRIENDLY_NAMES = (
    "Јована Ђурђевић",
    "Gülşən Əliyeva",
    "Nina 🦄",
    "Ağa İsmayıl",
    "Marko 🇷🇸",
    "Đorđe Petrović",
)
FIRST_NAMES = ("Marko", "Aysel", "Đorđe", "Elnur", "Milica", "Zoë", "Nikola", "Leyla", "Stefan")


class StaticBanks:
    """Bank names for the page: the shipped banks, the same for every server."""

    def __init__(self, banks: Mapping[str, Bank]) -> None:
        self.banks = dict(banks)

    async def ready(self, guild_id: int | None) -> Mapping[str, Bank]:
        """Return the banks (imports are not part of these tests)."""
        return self.banks


def shipped_banks() -> StaticBanks:
    """Return the banks shipped in questions/ as a bank source."""
    return StaticBanks(load_banks(QUESTIONS))


def player_names(count: int, *, tricky: bool = True) -> list[str]:
    """Return `count` distinct names, the tricky ones first (or friendly ones only)."""
    names = list(TRICKY_NAMES if tricky else FRIENDLY_NAMES)
    i = 0
    while len(names) < count:
        names.append(f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i // len(FIRST_NAMES) + 1}")
        i += 1
    return names[:count]


def user_id(index: int) -> int:
    """Return a snowflake-sized user id, easy to look for in a page that must not show it."""
    return 700_000_000_000_000_000 + 1_234_567 * (index + 1)


async def fill(
    store: Store,
    guild_id: int,
    players: int,
    *,
    now: datetime = START,
    seed: int = 3,
    web_page: bool = True,
    tricky: bool = True,
) -> list[str]:
    """Give `players` players answers this week and earlier in `guild_id`; return their names.

    Each plays one game in an earlier week and, for every other player, one this week, in
    topics that rotate, so the all-time, weekly and per-topic boards all differ.
    """
    rng = random.Random(seed)
    names = player_names(players, tricky=tricky)
    await store.guilds.save_settings(GuildSettings(guild_id, web_page=web_page))
    records: list[AnswerRecord] = []
    for when, who in ((now - timedelta(weeks=2), range(players)), (now, range(0, players, 2))):
        game = await new_game(store, guild_id=guild_id, bank=BANK, started_at=when)
        for i in who:
            streak = 0
            for q in range(3):
                correct = rng.random() < 0.7
                streak = streak + 1 if correct else 0
                records.append(
                    AnswerRecord(
                        game_id=game, question_index=q * 1000 + i, guild_id=guild_id,
                        user_id=user_id(i), user_name=names[i], question_id=f"q{q}",
                        fact_id=f"f{q}", topic=TOPICS[(i + q) % len(TOPICS)], bank=BANK,
                        answer="x", correct=correct,
                        points=rng.randrange(500, 1000) if correct else 0, elapsed_ms=900,
                        streak=streak, answered_at=when,
                    )
                )  # fmt: skip
    await store.answers.record_many(records)
    return names


class BoardsParser(HTMLParser):
    """Read the boards off a page: per period, each row's cell texts (rank, name, points, …)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.boards: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self._period: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "section" and found.get("data-period"):
            self._period = found["data-period"]
            self.boards[self._period or ""] = []
        elif tag == "tr" and self._period is not None:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._period is not None:
            if self._row:  # the header row has th cells only
                self.boards[self._period].append(self._row)
            self._row = None
        elif tag == "section":
            self._period = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_boards(html: str) -> BoardsParser:
    """Parse a page and return its boards and links."""
    parser = BoardsParser()
    parser.feed(html)
    parser.close()
    return parser
