"""Answer `/ask` from the banks' facts: one BM25 index per bank, built once and kept."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Set
from dataclasses import dataclass

from bot.core.ask import MAX_QUESTION_CHARS, SECOND_HIT_RATIO, ArticleIndex
from bot.core.models import Bank, Fact
from bot.services.facts import facts_of

log = logging.getLogger(__name__)

__all__ = ["MAX_QUESTION_CHARS", "AskAnswer", "Asker"]

MAX_HITS = 2
#: Indexes kept; a server may import up to 25 banks, and most questions go to a few.
MAX_INDEXES = 256


@dataclass(frozen=True, slots=True)
class AskAnswer:
    """A fact that answers the question, and the bank it comes from."""

    bank: Bank
    fact: Fact
    score: float


class Asker:
    """Article indexes, one per bank object (two servers' banks of one name never collide).

    Building an index costs CPU: `answer` runs off the event loop. The cache is bounded; a bank
    replaced by a new object gets a new index.
    """

    def __init__(self, max_indexes: int = MAX_INDEXES) -> None:
        self.max_indexes = max_indexes
        self._indexes: OrderedDict[int, tuple[Bank, ArticleIndex]] = OrderedDict()
        self._lock = threading.Lock()

    def index_for(self, bank: Bank) -> ArticleIndex:
        """Return the bank's index, building it the first time the bank is seen."""
        key = id(bank)
        with self._lock:
            cached = self._indexes.get(key)
            if cached is not None and cached[0] is bank:
                self._indexes.move_to_end(key)
                return cached[1]
        index = ArticleIndex(facts_of(bank))
        with self._lock:
            # Keep the bank itself so its id cannot be reused by another object while cached.
            self._indexes[key] = (bank, index)
            while len(self._indexes) > self.max_indexes:
                self._indexes.popitem(last=False)
        log.debug("built the ask index of bank %s (%d facts)", bank.slug, len(index))
        return index

    def warm(self, banks: Iterable[Bank]) -> None:
        """Build the indexes of these banks now, so the first question is answered at once."""
        for bank in banks:
            self.index_for(bank)

    async def answer(
        self, banks: Iterable[Bank], question: str, hidden: Set[tuple[str, str]] = frozenset()
    ) -> list[AskAnswer]:
        """Return what `ask` does, computed off the event loop."""
        return await asyncio.to_thread(self.ask, list(banks), question, hidden)

    def ask(
        self, banks: Iterable[Bank], question: str, hidden: Set[tuple[str, str]] = frozenset()
    ) -> list[AskAnswer]:
        """Return up to two facts that answer the question, best first, across the banks.

        Facts in `hidden` ((bank slug, fact id) pairs: what a live game is asking right now)
        are never given away.
        """
        found: list[AskAnswer] = []
        for bank in banks:
            # Asked for a few more, so hidden facts do not leave the answer empty.
            for hit in self.index_for(bank).ask(question, k=MAX_HITS + min(len(hidden), 20)):
                if (bank.slug, hit.fact.id) not in hidden:
                    found.append(AskAnswer(bank, hit.fact, hit.score))
        found.sort(key=lambda a: (-a.score, a.bank.slug, a.fact.id))
        if not found:
            return []
        best = found[0].score
        return [a for a in found[:MAX_HITS] if a.score >= best * SECOND_HIT_RATIO]
