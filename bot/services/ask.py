"""Answer `/ask` from the banks' facts: one BM25 index per bank, built once and kept."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.ask import MAX_QUESTION_CHARS, SECOND_HIT_RATIO, ArticleIndex
from bot.core.models import Bank, Fact
from bot.services.facts import facts_of

log = logging.getLogger(__name__)

__all__ = ["MAX_QUESTION_CHARS", "AskAnswer", "Asker"]

MAX_HITS = 2


@dataclass(frozen=True, slots=True)
class AskAnswer:
    """A fact that answers the question, and the bank it comes from."""

    bank: Bank
    fact: Fact
    score: float


class Asker:
    """Cache of article indexes by bank; a bank replaced by a new object gets a new index."""

    def __init__(self) -> None:
        self._indexes: dict[str, tuple[Bank, ArticleIndex]] = {}

    def index_for(self, bank: Bank) -> ArticleIndex:
        """Return the bank's index, building it the first time the bank is seen."""
        cached = self._indexes.get(bank.slug)
        if cached is not None and cached[0] is bank:
            return cached[1]
        index = ArticleIndex(facts_of(bank))
        self._indexes[bank.slug] = (bank, index)
        log.debug("built the ask index of bank %s (%d facts)", bank.slug, len(index))
        return index

    def warm(self, banks: Iterable[Bank]) -> None:
        """Build the indexes of these banks now, so the first question is answered at once."""
        for bank in banks:
            self.index_for(bank)

    def ask(self, banks: Iterable[Bank], question: str) -> list[AskAnswer]:
        """Return up to two facts that answer the question, best first, across the banks."""
        found: list[AskAnswer] = []
        for bank in banks:
            for hit in self.index_for(bank).ask(question, k=MAX_HITS):
                found.append(AskAnswer(bank, hit.fact, hit.score))
        found.sort(key=lambda a: (-a.score, a.bank.slug, a.fact.id))
        if not found:
            return []
        best = found[0].score
        return [a for a in found[:MAX_HITS] if a.score >= best * SECOND_HIT_RATIO]
