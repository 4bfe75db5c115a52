"""`quizbot check --stats`: list the questions whose answers say they are probably broken.

Two signs, computed from every stored answer (`Store.question_stats`):
  - almost nobody answers it right (share right at most `HARD_SHARE`), so the keyed answer or
    the wording is likely wrong;
  - negative discrimination (below `NEGATIVE_DISCRIMINATION`): players who do well on the rest of
    the bank get it wrong more often than weak players, the mark of a misleading question.
Only questions with at least `MIN_ANSWERS` answers are judged; fewer say nothing.

The database is opened read-only: no migration, no change to games a running bot has open.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.store import MigrationError, Store, database_errors, describe, is_postgres_url
from bot.store.records import QuestionStat

MIN_ANSWERS = 5
HARD_SHARE = 0.15
NEGATIVE_DISCRIMINATION = -0.1


def broken_reasons(stat: QuestionStat) -> list[str]:
    """Return why a question looks broken (empty when it looks fine or has too few answers)."""
    if stat.answers < MIN_ANSWERS:
        return []
    reasons: list[str] = []
    if stat.p_correct <= HARD_SHARE:
        reasons.append(f"answered right by almost nobody ({stat.correct}/{stat.answers})")
    if stat.discrimination is not None and stat.discrimination < NEGATIVE_DISCRIMINATION:
        reasons.append(
            f"negative discrimination {stat.discrimination:+.2f}: "
            "strong players miss it more than weak ones"
        )
    return reasons


async def _read_stats(path: Path | str) -> list[QuestionStat]:
    """Return every question's statistics from the database at `path`, read-only."""
    # Reading needs only the store's read side: no writer, no migrations, no aborts.
    async with await Store.open(path, read_only=True) as store:
        return await store.reports.question_stats()


def question_report(db_path: str) -> list[str]:
    """Return report lines for `quizbot check --stats`: the broken-looking questions."""
    if not is_postgres_url(db_path) and not Path(db_path).is_file():
        return [f"stats: no database at {db_path}; nothing to judge yet"]
    try:
        stats = asyncio.run(_read_stats(db_path))
    except (*database_errors(), MigrationError) as exc:
        return [f"stats: could not read {describe(db_path)}: {exc}"]
    judged = [s for s in stats if s.answers >= MIN_ANSWERS]
    lines: list[str] = []
    for stat in judged:
        reasons = broken_reasons(stat)
        if reasons:
            share = f"{stat.p_correct:.0%} right"
            lines.append(f"{stat.bank}/{stat.question_id}: {share}; " + "; ".join(reasons))
    header = (
        f"stats: {len(judged)} question(s) with at least {MIN_ANSWERS} answers, "
        f"{len(lines)} look broken"
    )
    return [header, *lines]
