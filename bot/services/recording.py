"""The rows a closed round stores: one answer record per player who answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.selection import options_for
from bot.store.records import AnswerRecord

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from bot.core.scoring import Player, RoundResult


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
