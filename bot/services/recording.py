"""Write a closed round's answers to the store, then let the learning side see the round."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.core.selection import options_for
from bot.services.learning import record_round_learning
from bot.store.records import AnswerRecord

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from bot.core.scoring import Player, RoundResult
    from bot.services.live import LiveGame

log = logging.getLogger(__name__)


def answer_records(  # noqa: PLR0917 - the whole context of one round's answers
    result: RoundResult,
    game_id: int,
    guild_id: int,
    bank_slug: str,
    players: Iterable[Player],
    now: datetime,
    answered_at: Mapping[int, datetime] | None = None,
    last_guess: Mapping[int, str] | None = None,
) -> list[AnswerRecord]:
    """Return one answer record per player who answered a scored round (Discord or terminal)."""
    if result.skipped:
        return []
    q = result.question
    options = options_for(q)
    streaks = {p.player_id: p.streak for p in players}
    times = answered_at or {}
    guesses = last_guess or {}
    records: list[AnswerRecord] = []
    for e in result.entries:
        if e.choice is not None and 0 <= e.choice < len(options):
            text = options[e.choice]
        else:
            text = e.guess or guesses.get(e.player_id, "")
        records.append(
            AnswerRecord(
                game_id=game_id,
                question_index=result.index,
                guild_id=guild_id,
                user_id=e.player_id,
                user_name=e.name,
                question_id=q.id,
                fact_id=q.fact_id,
                topic=q.topic,
                bank=bank_slug,
                answer=text[:200],
                correct=e.correct,
                points=e.points,
                elapsed_ms=max(0, round(e.elapsed * 1000)),
                streak=streaks.get(e.player_id, 0),
                answered_at=times.get(e.player_id, now),
            )
        )
    return records


def round_records(host: Any, live: LiveGame, result: RoundResult) -> list[AnswerRecord]:
    """Return the answer records of a live channel game's closed round."""
    return answer_records(
        result, live.game_id, live.guild_id, live.bank_slug, live.engine.players,
        host.clock.now(), live.answered_at.get(result.index, {}), live.last_guess,
    )  # fmt: skip


async def record_round(host: Any, live: LiveGame, result: RoundResult) -> None:
    """Store a closed round's answers exactly once each, then update the review cards."""
    records = round_records(host, live, result)
    # One call for the whole round: its answers share one transaction and one wait.
    stored = await host.store.answers.record_many(records)
    for record, ok in zip(records, stored, strict=True):
        if not ok:
            # The UNIQUE constraint caught a second answer; the first one stands.
            log.warning(
                "game %s round %s: duplicate answer by %s ignored",
                record.game_id, record.question_index + 1, record.user_id,
            )  # fmt: skip
    if not result.skipped and result.entries:
        seconds = float(live.engine.settings.seconds)
        await update_learning(host, live.guild_id, live.bank_slug, result, seconds)


async def update_learning(
    host: Any, guild_id: int, bank_slug: str, result: RoundResult, seconds: float
) -> None:
    """Update the players' review cards from a round; a failure there never breaks the game."""
    try:
        await record_round_learning(host, guild_id, bank_slug, result, seconds=seconds)
    except Exception:
        log.exception("updating review cards after a round of bank %s failed", bank_slug)
