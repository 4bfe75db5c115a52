"""The banks a server can play: the built-in ones and its own imports; names players type.

The built-in banks are read from the questions directory at start-up. A server's imported
banks are read from the store the first time that server is seen (or asked about), once, in
the background, a few servers at a time, parsed in worker processes; identical texts share one
parsed bank. `ready` waits for that read, but never longer than `LOAD_WAIT` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.core.bank import load_banks
from bot.core.models import Bank, Problem
from bot.core.selection import GameError
from bot.services.imports import SharedBanks, load_guild_banks
from bot.store import Store

log = logging.getLogger(__name__)

#: How long a command waits for a server's imported banks before going on without them.
LOAD_WAIT = 1.5
#: Servers whose imported banks are parsed at the same time, at most (each in a worker process).
PARALLEL_LOADS = 2
#: How often a command checks whether a server's imports changed in another process (seconds).
VERSION_CHECK = 2.0
#: The worker processes stop after this many seconds without a bank to parse (about 55 MB
#: each); the next read starts them again.
POOL_IDLE = 60.0


class UnknownChoiceError(GameError):
    """A bank or topic that does not exist; the message lists what does."""


class Catalog:
    """Every bank the bot knows: global ones by slug, and each guild's imports."""

    def __init__(self, questions_dir: str | Path, store: Store) -> None:
        self.questions_dir = Path(questions_dir)
        self.store = store
        #: Global banks by slug, read from `questions_dir` by `load_global`.
        self.banks: dict[str, Bank] = {}
        self._guild_banks: dict[int, dict[str, Bank]] = {}
        self._loads: dict[int, asyncio.Task[None]] = {}
        #: Identical imported banks (by their YAML's hash) are parsed once and shared.
        self.shared = SharedBanks()
        self._parsing = asyncio.Semaphore(PARALLEL_LOADS)
        #: The version of each guild's imports that its loaded banks reflect, and when it was
        #: last compared with the store's (another process may have imported or removed one).
        self._versions: dict[int, str | None] = {}
        self._checked: dict[int, float] = {}
        self.version_check = VERSION_CHECK
        self._pool: ProcessPoolExecutor | None = None
        self.pool_idle = POOL_IDLE
        self._parses = 0
        self._idle_timer: asyncio.TimerHandle | None = None
        #: Guilds whose banks are being read again because they changed elsewhere.
        self._reloading: set[int] = set()

    # -- global banks -----------------------------------------------------------------------
    def load_global(self) -> dict[str, Bank]:
        """Read every `<dir>/<slug>/bank.yaml`; log a broken one with its problems and skip it."""
        root = self.questions_dir
        if not root.is_dir():
            log.warning("question directory %s does not exist: no built-in banks", root)
            self.banks = {}
            return self.banks

        def skip(path: Path, problems: list[Problem]) -> None:
            shown = "\n  ".join(str(p) for p in problems[:20])
            log.error("skipping bank %s (%d problems):\n  %s", path, len(problems), shown)

        self.banks = load_banks(root, on_error=skip)
        log.info("loaded %d bank(s): %s", len(self.banks), ", ".join(self.banks) or "none")
        return self.banks

    # -- guild banks ------------------------------------------------------------------------
    def banks_for(self, guild_id: int | None) -> dict[str, Bank]:
        """Return the banks a guild can play now: the global ones plus its loaded imports."""
        if not guild_id:
            return dict(self.banks)
        return {**self.banks, **self._guild_banks.get(guild_id, {})}

    def add(self, guild_id: int, bank: Bank) -> None:
        """Make an imported bank playable in one guild."""
        self._guild_banks.setdefault(guild_id, {})[bank.slug] = bank

    def remove(self, guild_id: int, slug: str) -> None:
        """Forget a guild's imported bank."""
        self._guild_banks.get(guild_id, {}).pop(slug, None)

    def load(self, guild_id: int) -> asyncio.Task[None]:
        """Start reading a guild's imported banks once (again after a failure); return the read."""
        task = self._loads.get(guild_id)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = asyncio.create_task(self._load(guild_id), name=f"banks-{guild_id}")
            self._loads[guild_id] = task
        return task

    def loading(self, guild_id: int | None) -> bool:
        """Tell whether a guild's imported banks are still being read."""
        task = self._loads.get(guild_id) if guild_id else None
        return task is not None and not task.done()

    def load_of(self, guild_id: int) -> asyncio.Task[None] | None:
        """Return the read of a guild's imported banks, once it was started."""
        return self._loads.get(guild_id)

    async def ensure(self, guild_id: int, wait: float | None = None) -> bool:
        """Wait for a guild's imported banks (at most `wait` s); return whether they are in.

        Never raises: a failed read is logged here and tried again by the next call.
        """
        task = self.load(guild_id)
        try:
            # Shielded: a caller that gives up must not cancel the read other callers wait for.
            await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            log.info("the imported banks of guild %s are still loading", guild_id)
            return False
        except Exception:
            log.exception("could not load the imported banks of guild %s", guild_id)
            return False
        return True

    async def ready(self, guild_id: int | None, wait: float | None = LOAD_WAIT) -> dict[str, Bank]:
        """Return the banks a guild can play, waiting (briefly) for its imports to be read."""
        if guild_id:
            await self.refresh(guild_id)
            await self.ensure(guild_id, wait)
        return self.banks_for(guild_id)

    async def refresh(self, guild_id: int) -> bool:
        """Read a guild's imports again if they changed since they were read (in any process).

        One key lookup, at most every VERSION_CHECK seconds per guild; return whether a new
        read was started. Never raises: a failed check is logged and tried at the next command.
        """
        now = time.monotonic()
        if guild_id not in self._versions:
            return False  # never read: the first read is on its way
        if now - self._checked.get(guild_id, 0) < self.version_check:
            return False
        self._checked[guild_id] = now
        try:
            version = await self.store.guilds.banks_version(guild_id)
        except Exception:
            log.exception("could not check the imported banks of guild %s", guild_id)
            return False
        if version == self._versions.get(guild_id):
            return False
        log.info("the imported banks of guild %s changed; reading them again", guild_id)
        self._loads.pop(guild_id, None)
        self._versions.pop(guild_id, None)
        self._reloading.add(guild_id)
        self.load(guild_id)
        return True

    async def _load(self, guild_id: int) -> None:
        # A bounded pool: a burst of servers seen at once (start-up, a reconnect) queues
        # here instead of filling the thread pool and starving the other work of the CPUs.
        async with self._parsing:
            self._parses += 1
            try:
                # The version first: a change made during the read shows at the next check.
                version = await self.store.guilds.banks_version(guild_id)
                banks = await load_guild_banks(
                    self.store, guild_id, self.banks, self.shared, pool=self._processes
                )
            finally:
                self._parses -= 1
                self._stop_pool_when_idle()
        if guild_id in self._reloading:
            self._reloading.discard(guild_id)
            # Removed elsewhere since the last read. (Not on a first read: a bank imported
            # here while it ran is already in, and must stay.)
            for slug in set(self._guild_banks.get(guild_id, {})) - set(banks):
                self.remove(guild_id, slug)
        for bank in banks.values():
            # Added one by one: a bank imported while the read ran stays.
            self.add(guild_id, bank)
        self._versions[guild_id] = version
        self._checked[guild_id] = time.monotonic()
        if banks:
            log.info("loaded %d imported bank(s) of guild %s", len(banks), guild_id)

    def _processes(self) -> ProcessPoolExecutor:
        """Return the worker processes that parse imported banks, started on first use.

        Parsing a large bank in a thread would hold the interpreter lock (the C YAML parser
        keeps it) and leave the parser's garbage in the bot's memory; in worker processes it
        does neither, and only the finished bank comes back.
        """
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            # Never fork a process with threads running (the store's): start workers clean.
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn"
            )
            self._pool = ProcessPoolExecutor(PARALLEL_LOADS, mp_context=context)
        return self._pool

    @property
    def workers_running(self) -> bool:
        """Return whether the worker processes are up."""
        return self._pool is not None

    def _stop_pool_when_idle(self) -> None:
        """Stop the worker processes once `pool_idle` seconds pass without a read."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if self._pool is not None and not self._parses:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(self.pool_idle, self._stop_idle_pool)

    def _stop_idle_pool(self) -> None:
        self._idle_timer = None
        if self._pool is not None and not self._parses:
            self._pool.shutdown(wait=False)
            self._pool = None

    def close(self) -> None:
        """Stop the reads still running and the worker processes."""
        for task in self._loads.values():
            task.cancel()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


# -- what players type ----------------------------------------------------------------------
def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _topic_of(bank: Bank, wanted: str) -> str | None:
    """Return the topic slug of a bank matching a slug or a label, if any."""
    key = _fold(wanted)
    for slug in bank.topic_names():
        if _fold(slug) == key or _fold(bank.topics.get(slug, "")) == key:
            return slug
    return None


def resolve(
    banks: Mapping[str, Bank], bank: str | None, topic: str | None
) -> tuple[Bank, str | None]:
    """Return the bank and topic slug to play; raise UnknownChoiceError with the options."""
    if not banks:
        raise UnknownChoiceError("No question banks are loaded, so there is nothing to play.")
    topic = topic.strip() if topic and topic.strip() else None
    if bank:
        chosen = banks.get(bank.strip()) or next(
            (b for b in banks.values() if _fold(b.title) == _fold(bank)), None
        )
        if chosen is None:
            names = ", ".join(sorted(banks))
            raise UnknownChoiceError(f"Unknown bank '{bank[:100]}'. Banks: {names}.")
        candidates = [chosen]
    else:
        candidates = [banks[slug] for slug in sorted(banks)]
    if topic is None:
        return candidates[0], None
    for candidate in candidates:
        found = _topic_of(candidate, topic)
        if found is not None:
            return candidate, found
    topics = sorted({t for b in candidates for t in b.topic_names()})
    raise UnknownChoiceError(
        f"Unknown topic '{topic[:100]}'. Topics: {', '.join(topics)}. See `/quiz topics`."
    )


def topic_choices(
    banks: Mapping[str, Bank], typed: str, bank: str | None = None, limit: int = 25
) -> list[tuple[str, str]]:
    """Return (name, value) autocomplete choices for topics matching what was typed."""
    key = _fold(typed or "")
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for slug in sorted(banks):
        b = banks[slug]
        if bank and bank not in (slug, b.title):
            continue
        counts: dict[str, int] = {}
        for q in b.questions:
            counts[q.topic] = counts.get(q.topic, 0) + 1
        for topic in sorted(counts):
            label = b.topics.get(topic, topic)
            if topic in seen or (key and key not in _fold(topic) and key not in _fold(label)):
                continue
            seen.add(topic)
            out.append((f"{label} ({counts[topic]} questions)", topic))
    return out[:limit]


def bank_choices(banks: Mapping[str, Bank], typed: str, limit: int = 25) -> list[tuple[str, str]]:
    """Return (name, value) autocomplete choices for banks matching what was typed."""
    key = _fold(typed or "")
    out = [
        (f"{b.title} ({len(b.questions)} questions)", slug)
        for slug, b in sorted(banks.items())
        if not key or key in _fold(slug) or key in _fold(b.title)
    ]
    return out[:limit]
