"""`quizbot play --review`: spaced review in the terminal, on the same cards as in Discord."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bot.core.clock import RealClock
from bot.core.models import Bank
from bot.core.scoring import option_label
from bot.services.cards import Cards
from bot.services.sessions import Sessions
from bot.store import Store
from bot.terminal.lines import LineReader
from bot.terminal.play import pick_option
from bot.terminal.presenter import explained, plural, progress_line
from bot.terminal.screen import Screen

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
    screen = out if isinstance(out, Screen) else Screen(out)
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
            screen(f"You're all caught up on {bank.title}.{when}")
            return 0
        current = session.current
        total = current.total if current else 0
        screen(f"Review for {name}: {plural(total, 'question')} from {bank.title}.", "title")
        screen("Type the letter of an option or its text, or your answer; Ctrl-C stops.")
        right = streak = 0
        while current is not None:
            q = current.question
            topic = bank.topics.get(q.topic, q.topic)
            screen("")
            screen(progress_line(
                current.number, current.total, topic, score=f"{right} right", streak=streak
            ),
                   "progress")  # fmt: skip
            screen(q.prompt, "question")
            for i, option in enumerate(current.options):
                screen(f"  {option_label(i)}) {option}", "option")
            hint = "/".join(option_label(i) for i in range(len(current.options)))
            screen.prompt(f"Your answer {f'[{hint}] ' if hint else ''}> ")
            line = await reader.read()
            if line is None:
                screen("Stopped with Ctrl-C." if reader.interrupted else "No more input.", "note")
                break
            screen.echo(line)
            screen.answered()
            text = line.strip()
            # Option text is read leniently, as in a game; anything else is judged as typed.
            index = pick_option(text, current.options) if current.options and text else None
            if index is not None:
                outcome = await sessions.answer(session, choice=index)
            else:
                outcome = await sessions.answer(session, text=text)
            if not outcome.recorded:
                letters = f" (one of {hint.replace('/', ', ')}, or an option's text)"
                letters = letters if hint else ""
                screen(f"That answer could not be taken{letters}; try again.", "note")
                continue
            if outcome.correct:
                right += 1
                streak += 1
                exact = outcome.match is None or outcome.match.exact
                screen("Right!" + ("" if exact else f" (exactly: {outcome.expected})"), "right")
            else:
                streak = 0
                screen(f"Not this time. The answer: {outcome.expected}", "wrong")
            for line, style in explained(outcome.explanation, outcome.question):
                screen(line, style)
            card = session.scheduled.get(q.fact_id)
            if card is not None:
                screen(f"Next review of this fact: {card.due:%Y-%m-%d %H:%M} UTC", "source")
            current = sessions.advance(session)
        summary = session.summary()
        screen("")
        ended = "Review done" if current is None else "Review stopped"
        screen(f"{ended}: {summary.correct}/{summary.answered} right.", "summary")
        return 0
    finally:
        await sessions.close()
