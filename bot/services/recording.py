"""Write a closed round's answers to the store, then let the learning side see the round."""

from __future__ import annotations

import inspect
import logging
from typing import TYPE_CHECKING, Any

from bot.core.selection import options_for
from bot.store.records import AnswerRecord

if TYPE_CHECKING:
    from bot.core.scoring import RoundResult
    from bot.services.live import LiveGame

log = logging.getLogger(__name__)


def round_records(host: Any, live: LiveGame, result: RoundResult) -> list[AnswerRecord]:
    """Return one answer record per player who answered a scored round."""
    if result.skipped:
        return []
    q = result.question
    options = options_for(q)
    streaks = {p.player_id: p.streak for p in live.engine.players}
    times = live.answered_at.get(result.index, {})
    now = host.clock.now()
    records: list[AnswerRecord] = []
    for e in result.entries:
        if e.choice is not None and 0 <= e.choice < len(options):
            text = options[e.choice]
        else:
            text = e.guess or live.last_guess.get(e.player_id, "")
        records.append(
            AnswerRecord(
                game_id=live.game_id,
                question_index=result.index,
                guild_id=live.guild_id,
                user_id=e.player_id,
                user_name=e.name,
                question_id=q.id,
                fact_id=q.fact_id,
                topic=q.topic,
                bank=live.bank_slug,
                answer=text[:200],
                correct=e.correct,
                points=e.points,
                elapsed_ms=max(0, round(e.elapsed * 1000)),
                streak=streaks.get(e.player_id, 0),
                answered_at=times.get(e.player_id, now),
            )
        )
    return records


async def record_round(host: Any, live: LiveGame, result: RoundResult) -> None:
    """Store a closed round's answers exactly once each, then update the review cards."""
    records = round_records(host, live, result)
    # One call for the whole round: its answers share one transaction and one wait.
    stored = await host.store.record_answers(records)
    for record, ok in zip(records, stored, strict=True):
        if not ok:
            # The UNIQUE constraint caught a second answer; the first one stands.
            log.warning(
                "game %s round %s: duplicate answer by %s ignored",
                record.game_id, record.question_index + 1, record.user_id,
            )  # fmt: skip
    if not result.skipped and result.entries:
        await update_learning(host, live.guild_id, live.bank_slug, result)


async def update_learning(host: Any, guild_id: int, bank_slug: str, result: RoundResult) -> None:
    """Call the learning side's round hook, if present; its failure never breaks the game."""
    try:
        from bot.services.learning import record_round_learning
    except ImportError:
        return
    try:
        outcome = record_round_learning(host, guild_id, bank_slug, result)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception:
        log.exception("updating review cards after a round of bank %s failed", bank_slug)
