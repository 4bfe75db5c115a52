"""`quizbot play --review`: spaced review in the terminal, on the same cards as in Discord."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from types import SimpleNamespace

from bot.core.clock import RealClock
from bot.core.models import Bank
from bot.core.scoring import option_label
from bot.services.learning import LearningService
from bot.store import Store
from bot.terminal.console import TERMINAL_GUILD, LineReader


async def review(  # noqa: PLR0917 - the terminal's whole context
    store: Store,
    bank: Bank,
    user_id: int,
    name: str,
    args: argparse.Namespace,
    out: Callable[[str], None] = print,
) -> int:
    """Ask the facts due for this player first, then unseen ones; reschedule each card."""
    service = LearningService(SimpleNamespace(store=store, clock=RealClock()))
    try:
        await store.players.upsert(user_id, name)
        session = await service.start_review(
            user_id, TERMINAL_GUILD, bank, args.topic, max(1, min(args.count, 25))
        )
        if session is None:
            due = await service.next_due(user_id, bank.slug)
            when = f" Next review: {due:%Y-%m-%d %H:%M} UTC." if due else ""
            out(f"You're all caught up on {bank.title}.{when}")
            return 0
        out(f"Review for {name}: {session.core.current.total} questions from {bank.title}.")
        reader = LineReader()
        current = session.current
        while current is not None:
            q = current.question
            out(
                f"\nQuestion {current.number}/{current.total} · {bank.topics.get(q.topic, q.topic)}"
            )
            out(q.prompt)
            for i, option in enumerate(current.options):
                out(f"  {option_label(i)}) {option}")
            line = await reader.read("Your answer > ")
            if line is None:
                break
            # The session reads option letters, positions and true/false words itself.
            outcome = await service.answer(session, text=line.strip())
            if not outcome.recorded:
                out("That answer could not be taken (empty, too long or not an option); try again.")
                continue
            if outcome.correct:
                exact = outcome.match is None or outcome.match.exact
                out("Right!" + ("" if exact else f" (exactly: {outcome.expected})"))
            else:
                out(f"Not this time. The answer: {outcome.expected}")
            out(f"Why: {outcome.explanation}")
            out(f"Source: paragraph {outcome.paragraph} of the article")
            card = session.scheduled.get(q.fact_id)
            if card is not None:
                out(f"Next review of this fact: {card.due:%Y-%m-%d %H:%M} UTC")
            current = service.advance(session)
        summary = session.summary()
        out(f"\nReview done: {summary.correct}/{summary.answered} right.")
        return 0
    finally:
        await service.close()
