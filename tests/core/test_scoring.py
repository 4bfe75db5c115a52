"""Points by speed, streak and hints; hint masks; ranking with shared places."""

from __future__ import annotations

import pytest

from bot.core.scoring import (
    HINT_BASES,
    Player,
    answer_points,
    competition_ranks,
    hint_base,
    hint_text,
    next_streak,
    rank_players,
    speed_points,
    streak_bonus,
)


@pytest.mark.parametrize(
    ("elapsed", "limit", "expected"),
    [
        (0.0, 20, 1000),  # instant answer: full points
        (10.0, 20, 750),  # half the time: three quarters
        (20.0, 20, 500),  # at the deadline: never below half
        (25.0, 20, 500),  # late answer is clamped to the deadline
        (-1.0, 20, 1000),  # clock skew before the open is clamped to zero
        (5.0, 20, 875),
        (1.0, 30, 983),  # 1000 × (1 − 1/60) = 983.33…
        (3.0, 8, 813),  # 1000 × (1 − 3/16) = 812.5 rounds half up
    ],
)
def test_speed_points(elapsed: float, limit: int, expected: int) -> None:
    assert speed_points(elapsed, limit) == expected


def test_speed_points_scale_with_base() -> None:
    assert speed_points(0, 20, 700) == 700
    assert speed_points(20, 20, 400) == 200


def test_speed_points_reject_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="positive"):
        speed_points(1, 0)


@pytest.mark.parametrize(
    ("streak", "bonus"),
    [(0, 0), (1, 0), (2, 100), (3, 200), (5, 400), (6, 500), (7, 500), (40, 500)],
)
def test_streak_bonus_grows_by_100_and_caps_at_500(streak: int, bonus: int) -> None:
    assert streak_bonus(streak) == bonus


@pytest.mark.parametrize(
    ("correct", "elapsed", "streak", "hints", "expected"),
    [
        (True, 0, 1, 0, 1000),
        (True, 10, 1, 0, 750),
        (True, 10, 3, 0, 950),
        (True, 20, 9, 0, 1000),  # 500 speed + 500 capped bonus
        (False, 0, 0, 0, 0),
        (True, 0, 1, 1, 700),
        (True, 0, 1, 2, 400),
        (True, 10, 1, 1, 525),  # 700 × 0.75
        (True, 10, 2, 2, 400),  # 400 × 0.75 + 100
    ],
)
def test_answer_points_table(
    correct: bool, elapsed: float, streak: int, hints: int, expected: int
) -> None:
    assert answer_points(correct, elapsed, 20, streak, hints) == expected


def test_hint_bases_shrink_and_saturate() -> None:
    assert [hint_base(n) for n in range(4)] == [1000, 700, 400, 400]
    assert list(HINT_BASES) == sorted(HINT_BASES, reverse=True)
    with pytest.raises(ValueError):
        hint_base(-1)


def test_streak_grows_on_correct_and_resets_on_miss() -> None:
    streak = 0
    history = []
    for correct in (True, True, True, False, True):
        streak = next_streak(streak, correct)
        history.append(streak)
    assert history == [1, 2, 3, 0, 1]


@pytest.mark.parametrize(
    ("answer", "level", "expected"),
    [
        ("Strasbourg", 1, "S_________"),
        ("Strasbourg", 2, "S__a__o__g"),
        ("Neil Armstrong", 1, "N___ A________"),
        ("Jean-Claude Juncker", 1, "J___-C_____ J______"),
        ("1969", 1, "####"),
        ("1969", 2, "1###"),
        ("12,000 km", 1, "##,### k_"),
        ("G7 summit", 1, "G# s_____"),
        ("Đurđevdan", 1, "Đ________"),
    ],
)
def test_hint_text(answer: str, level: int, expected: str) -> None:
    assert hint_text(answer, level) == expected


def test_hints_keep_the_shape_and_never_reveal_everything() -> None:
    answer = "The European Union, 2024"
    for level in (1, 2):
        text = hint_text(answer, level)
        assert len(text) == len(answer)
        assert [c for c in text if not c.isalnum() and c not in "_#"] == [" ", " ", ",", " "]
        assert text != answer
    revealed = [sum(c.isalnum() for c in hint_text(answer, lv)) for lv in (1, 2)]
    assert revealed[0] < revealed[1]


def test_competition_ranks_share_places() -> None:
    assert competition_ranks([900, 900, 700, 500, 500, 0]) == [1, 1, 3, 4, 4, 6]
    assert competition_ranks([]) == []
    with pytest.raises(ValueError, match="sorted"):
        competition_ranks([1, 2])


def test_rank_players_orders_by_points_then_correct_then_name() -> None:
    players = [
        Player(1, "zed", points=800, correct=1),
        Player(2, "amy", points=800, correct=2),
        Player(3, "bob", points=1200, correct=2, answered=2, best_streak=2),
        Player(4, "cat", points=0),
    ]
    standings = rank_players(players, rounds_played=2, total_rounds=3, stopped=False)
    assert [(r.rank, r.name) for r in standings.rows] == [
        (1, "bob"),
        (2, "amy"),
        (2, "zed"),
        (4, "cat"),
    ]
    assert standings.rows[0].best_streak == 2
    assert [r.name for r in standings.winners] == ["bob"]


def test_nobody_wins_when_nobody_scored() -> None:
    standings = rank_players([Player(1, "a"), Player(2, "b")], 1, 1, stopped=True)
    assert [r.rank for r in standings.rows] == [1, 1]
    assert standings.winners == ()
