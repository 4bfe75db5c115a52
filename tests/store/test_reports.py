"""Question reports and item statistics (difficulty and discrimination)."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from support.storekit import AnswerFactory, FakeClock, new_game

from bot.store import Store
from bot.store.reports import point_biserial


async def test_reports_are_listed_newest_first_per_guild(store: Store, clock: FakeClock) -> None:
    first = await store.reports.add(1, 5, "q1", "news", "two right answers")
    clock.now += timedelta(minutes=1)
    second = await store.reports.add(1, 6, "q2", "news", "typo")
    await store.reports.add(2, 5, "q1", "news", "elsewhere")
    reports = await store.reports.recent(1)
    assert [r.report_id for r in reports] == [second, first]
    assert (reports[0].user_id, reports[0].question_id, reports[0].reason) == (6, "q2", "typo")
    assert reports[0].created_at == clock.now
    assert reports[1].created_at == clock.now - timedelta(minutes=1)
    assert [r.report_id for r in await store.reports.recent(1, limit=1)] == [second]
    assert await store.reports.recent(3) == []


def _reference(outcomes: dict[int, dict[str, bool]], question: str) -> float:
    """Pearson correlation of right/wrong on `question` with accuracy on the other questions."""
    xs, ys = [], []
    for answers in outcomes.values():
        if question not in answers:
            continue
        others = [ok for q, ok in answers.items() if q != question]
        xs.append(float(answers[question]))
        ys.append(sum(others) / len(others))
    return statistics.correlation(xs, ys)


async def test_discrimination_sign_follows_who_gets_it_right(
    store: Store, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    anchors = [f"a{i}" for i in range(10)]
    outcomes: dict[int, dict[str, bool]] = {}
    for player in range(1, 11):
        strong = player > 5
        got = {q: i < player for i, q in enumerate(anchors)}  # player k knows k anchors
        got |= {"good": strong, "bad": not strong, "easy": True}
        outcomes[player] = got
        for index, (question, ok) in enumerate(got.items()):
            await store.answers.record(
                answer(game, index, player, question_id=question, correct=ok, points=100 * ok)
            )
    # Another bank with a single question, to check the filters.
    other = await new_game(store, bank="sport")
    await store.answers.record(answer(other, 0, 1, question_id="s0", bank="sport"))

    stats = {s.question_id: s for s in await store.reports.question_stats(bank="news")}
    assert set(stats) == {*anchors, "good", "bad", "easy"}
    good, bad, easy = stats["good"], stats["bad"], stats["easy"]
    assert (good.answers, good.correct, good.p_correct) == (10, 5, 0.5)
    assert good.discrimination is not None and good.discrimination > 0.5
    assert bad.discrimination is not None and bad.discrimination < -0.5
    assert good.discrimination == pytest.approx(_reference(outcomes, "good"))
    assert bad.discrimination == pytest.approx(_reference(outcomes, "bad"))
    assert stats["a4"].discrimination == pytest.approx(_reference(outcomes, "a4"))
    assert (easy.p_correct, easy.discrimination) == (1.0, None)

    everything = await store.reports.question_stats()
    assert {(s.bank, s.question_id) for s in everything} >= {("sport", "s0"), ("news", "good")}
    sport = await store.reports.question_stats(bank="sport")
    assert [(s.question_id, s.answers, s.discrimination) for s in sport] == [("s0", 1, None)]
    assert await store.reports.question_stats(bank="news", min_answers=11) == []


def test_point_biserial_is_undefined_without_spread() -> None:
    assert point_biserial(1, 1, 0.5, 0.25, 0.5) is None
    assert point_biserial(4, 4, 2.0, 1.5, 2.0) is None  # everyone right
    assert point_biserial(4, 2, 2.0, 1.0, 1.0) is None  # everyone has the same rest score
