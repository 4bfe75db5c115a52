"""Find banks and topics from what a player typed, and offer them as autocomplete choices."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.models import Bank
from bot.core.selection import GameError


class UnknownChoiceError(GameError):
    """A bank or topic that does not exist; the message lists what does."""


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
