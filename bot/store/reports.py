"""Question quality: players' reports and item statistics computed from the answers."""

from __future__ import annotations

import math

from bot.store.conn import Conn
from bot.store.database import Database
from bot.store.records import QuestionStat, ReportRow
from bot.store.utc import from_ms

# Point-biserial discrimination, pooled over answers: x = answered this question right (0/1),
# y = the player's accuracy on the bank's *other* questions (the rest score, so the item does
# not correlate with itself). The SQL returns the sums a Pearson correlation needs.
_QUESTION_STATS = """
WITH per_uq AS (
    SELECT bank, question_id, user_id, COUNT(*) AS n, SUM(correct) AS c
    FROM answers {where}
    GROUP BY bank, question_id, user_id
),
per_u AS (
    SELECT bank, user_id, SUM(n) AS n, SUM(c) AS c FROM per_uq GROUP BY bank, user_id
),
obs AS (
    SELECT q.bank, q.question_id, q.n, q.c, CAST(u.c - q.c AS REAL) / (u.n - q.n) AS y
    FROM per_uq AS q JOIN per_u AS u ON u.bank = q.bank AND u.user_id = q.user_id
    WHERE u.n > q.n
),
totals AS (
    SELECT bank, question_id, SUM(n) AS answers, SUM(c) AS correct
    FROM per_uq GROUP BY bank, question_id
),
sums AS (
    SELECT bank, question_id, SUM(n) AS n, SUM(c) AS sx, SUM(n * y) AS sy,
           SUM(n * y * y) AS syy, SUM(c * y) AS sxy
    FROM obs GROUP BY bank, question_id
)
SELECT t.bank, t.question_id, t.answers, t.correct, s.n, s.sx, s.sy, s.syy, s.sxy
FROM totals AS t LEFT JOIN sums AS s ON s.bank = t.bank AND s.question_id = t.question_id
WHERE t.answers >= :min_answers
ORDER BY t.bank, t.question_id
"""
_EPSILON = 1e-12


def point_biserial(n: int, sx: float, sy: float, syy: float, sxy: float) -> float | None:
    """Return the correlation of a 0/1 variable with a score from their sums, or None."""
    if n < 2:
        return None
    var_x = n * sx - sx * sx  # sum of x*x equals sum of x for 0/1 values
    var_y = n * syy - sy * sy
    if var_x <= _EPSILON or var_y <= _EPSILON:
        return None
    r = (n * sxy - sx * sy) / math.sqrt(var_x * var_y)
    return max(-1.0, min(1.0, r))


class ReportsRepo:
    """Report bad questions and measure how questions perform."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, guild_id: int, user_id: int, question_id: str, bank: str, reason: str
    ) -> int:
        """Record a player's report about a question; return the report id."""
        params = (guild_id, user_id, question_id, bank, reason, self._db.now_ms())

        async def op(db: Conn) -> int:
            rows = await db.execute_fetchall(
                """INSERT INTO reports (guild_id, user_id, question_id, bank, reason, created_at)
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING report_id""",
                params,
            )
            return int(next(iter(rows))[0])

        return int(await self._db.write(op))

    async def recent(self, guild_id: int, limit: int = 25) -> list[ReportRow]:
        """Return a guild's reports, newest first."""
        rows = await self._db.fetchall(
            """SELECT report_id, guild_id, user_id, question_id, bank, reason, created_at
               FROM reports WHERE guild_id = ? ORDER BY report_id DESC LIMIT ?""",
            (guild_id, limit),
        )
        return [
            ReportRow(
                report_id=row[0],
                guild_id=row[1],
                user_id=row[2],
                question_id=row[3],
                bank=row[4],
                reason=row[5],
                created_at=from_ms(row[6]),
            )
            for row in rows
        ]

    async def question_stats(
        self, bank: str | None = None, min_answers: int = 1
    ) -> list[QuestionStat]:
        """Return per-question answers, share correct and discrimination, from every answer."""
        where = "" if bank is None else "WHERE bank = :bank"
        rows = await self._db.fetchall(
            _QUESTION_STATS.format(where=where), {"bank": bank, "min_answers": min_answers}
        )
        stats: list[QuestionStat] = []
        for q_bank, question_id, answers_sum, correct_sum, n, sx, sy, syy, sxy in rows:
            # PostgreSQL sums integers as numeric: read every sum as a plain number.
            answers, correct = int(answers_sum), int(correct_sum)
            discrimination = (
                None
                if n is None
                else point_biserial(int(n), float(sx), float(sy), float(syy), float(sxy))
            )
            stats.append(
                QuestionStat(
                    bank=q_bank,
                    question_id=question_id,
                    answers=answers,
                    correct=correct,
                    p_correct=correct / answers,
                    discrimination=discrimination,
                )
            )
        return stats
