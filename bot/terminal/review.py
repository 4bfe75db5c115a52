"""`quizbot play --review`: spaced review in the terminal, on the same cards as in Discord."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bot.core.clock import RealClock
from bot.core.models import BACKGROUND_HEADING, Bank
from bot.core.scoring import option_label
from bot.services.cards import Cards
from bot.services.sessions import Sessions
from bot.store import Store
from bot.terminal.lines import LineReader

TERMINAL_GUILD = 0

Out = Callable[[str], None]


async def review(  # noqa: PLR0917 - the terminal's whole context
    store: Store,
    bank: Bank,
    user_id: int,
    name: str,
    args: argparse.Namespace,
    out: Out,
    reader: LineReader,
) -> int:
    """Ask the facts due for this player first, then unseen ones; reschedule each card."""
    clock = RealClock()
    cards = Cards(store, clock)
    sessions = Sessions(store, clock, cards)
    try:
        await store.players.upsert(user_id, name)
        session = await sessions.start_review(
            user_id, TERMINAL_GUILD, bank, args.topic, max(1, min(args.count, 25))
        )
        if session is None:
            due = await cards.next_due(user_id, bank.slug)
            when = f" Next review: {due:%Y-%m-%d %H:%M} UTC." if due else ""
            out(f"You're all caught up on {bank.title}.{when}")
            return 0
        current = session.current
        total = current.total if current else 0
        out(f"Review for {name}: {total} questions from {bank.title}.")
        while current is not None:
            q = current.question
            topic = bank.topics.get(q.topic, q.topic)
            out(f"\nQuestion {current.number}/{current.total} · {topic}")
            out(q.prompt)
            for i, option in enumerate(current.options):
                out(f"  {option_label(i)}) {option}")
            hint = "/".join(option_label(i) for i in range(len(current.options)))
            print(f"Your answer {f'[{hint}] ' if hint else ''}> ", end="", flush=True)
            line = await reader.read()
            if line is None:
                break
            # The session reads option letters, positions and true/false words itself.
            outcome = await sessions.answer(session, text=line.strip())
            if not outcome.recorded:
                out("That answer could not be taken (empty, too long or not an option); try again.")
                continue
            if outcome.correct:
                exact = outcome.match is None or outcome.match.exact
                out("Right!" + ("" if exact else f" (exactly: {outcome.expected})"))
            else:
                out(f"Not this time. The answer: {outcome.expected}")
            out(f"Why: {outcome.explanation}")
            if outcome.question.background:
                out(f"{BACKGROUND_HEADING}: {outcome.question.background}")
            out(f"Source: {outcome.question.source} of the article")
            card = session.scheduled.get(q.fact_id)
            if card is not None:
                out(f"Next review of this fact: {card.due:%Y-%m-%d %H:%M} UTC")
            current = sessions.advance(session)
        summary = session.summary()
        out(f"\nReview done: {summary.correct}/{summary.answered} right.")
        return 0
    finally:
        await sessions.close()
