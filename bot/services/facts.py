"""The facts behind a bank: its own when it carries them, else one derived from its questions."""

from __future__ import annotations

from bot.core.models import Bank, Fact

# Derived facts per bank object; banks are immutable, so a bank's facts never change.
_DERIVED: dict[int, tuple[Bank, tuple[Fact, ...]]] = {}
_MAX_CACHED = 256


def facts_of(bank: Bank) -> tuple[Fact, ...]:
    """Return a bank's facts; a bank without facts.yaml gets one fact per question fact id."""
    if bank.facts:
        return bank.facts
    cached = _DERIVED.get(id(bank))
    if cached is not None and cached[0] is bank:
        return cached[1]
    facts: dict[str, Fact] = {}
    for q in bank.questions:
        if q.fact_id in facts:
            continue
        # An imported bank has no statements: its first question stands in for the fact.
        facts[q.fact_id] = Fact(
            id=q.fact_id,
            statement=q.explanation or f"{q.prompt} {q.answer}",
            paragraph=q.paragraph,
            kind=q.fact_kind,
            topic=q.topic,
            question=q.prompt,
            answer=q.answer,
            explanation=q.explanation,
            aliases=q.aliases,
        )
    derived = tuple(facts.values())
    if len(_DERIVED) >= _MAX_CACHED:
        _DERIVED.clear()
    # Keep the bank itself so its id cannot be reused by another object while cached.
    _DERIVED[id(bank)] = (bank, derived)
    return derived
