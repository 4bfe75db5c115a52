"""The game state machine in both modes, driven by a fake clock."""

from __future__ import annotations

import random

import pytest
from support.banks import FakeClock, family_bank, question

from bot.core.game import (
    AnswerStatus,
    Game,
    GameMode,
    GameSettings,
    GameState,
    GameStateError,
    NotEnoughQuestionsError,
    SettingsError,
)
from bot.core.models import TRUE, FactKind, Question, QuestionKind

FAST, SLOW, WRONG, LATE = 1, 2, 3, 4


def buttons_game(clock: FakeClock, rounds: int = 3, seconds: int = 20) -> Game:
    """Return a buttons game of choice questions whose right option is B (index 1)."""
    questions = [question(f"q{i}") for i in range(rounds)]
    return Game(questions, GameSettings(count=rounds, seconds=seconds), clock=clock)


def classic_game(clock: FakeClock, *questions_: Question, seconds: int = 30) -> Game:
    """Return a classic game over the given questions."""
    settings = GameSettings(count=len(questions_), seconds=seconds, mode=GameMode.CLASSIC)
    return Game(questions_, settings, clock=clock)


def test_game_needs_questions_and_classic_refuses_true_false() -> None:
    with pytest.raises(NotEnoughQuestionsError, match="topic x"):
        Game([], GameSettings(topic="x"))
    tf = question("tf", QuestionKind.TRUE_FALSE)
    with pytest.raises(SettingsError, match="true/false"):
        Game([tf], GameSettings(mode=GameMode.CLASSIC))


def test_buttons_round_with_fast_slow_and_wrong_players() -> None:
    clock = FakeClock()
    game = buttons_game(clock)
    game.join(LATE, "idle")
    q = game.open()
    assert game.state is GameState.OPEN
    assert game.options == q.choices
    assert game.deadline == clock.now + 20
    assert game.next_hint_at is None

    clock.advance(2)
    fast = game.answer(FAST, 1, name="fast")
    clock.advance(3)
    wrong = game.answer(WRONG, 0, name="wrong")
    clock.advance(10)
    slow = game.answer(SLOW, 1, name="slow")

    # Lock-in reveals nothing: no verdict, no points.
    assert (fast.status, fast.correct, fast.points, fast.option_label) == (
        AnswerStatus.ACCEPTED,
        None,
        0,
        "B",
    )
    assert wrong.option_label == "A" and wrong.correct is None
    assert slow.elapsed == pytest.approx(15)

    result = game.close()
    assert result.points == {FAST: 950, WRONG: 0, SLOW: 625}
    assert [e.player_id for e in result.entries] == [FAST, SLOW, WRONG]
    assert result.option_counts == (1, 2, 0, 0)
    assert (result.correct_count, result.wrong_count, result.no_answer_count) == (2, 1, 1)
    assert result.fastest is not None
    assert (result.fastest.player_id, result.fastest.name) == (FAST, "fast")
    assert result.fastest.seconds == pytest.approx(2)
    assert result.answer == q.answer and result.explanation == q.explanation
    assert result.paragraph == q.paragraph and result.lenient is False
    assert game.state is GameState.CLOSED and game.deadline is None

    rows = game.standings().rows
    assert [(r.rank, r.player_id, r.points, r.correct, r.answered) for r in rows] == [
        (1, FAST, 950, 1, 1),
        (2, SLOW, 625, 1, 1),
        (3, LATE, 0, 0, 0),
        (3, WRONG, 0, 0, 1),
    ]


def test_streak_bonus_and_reset_across_rounds() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=3)
    for _ in range(3):
        game.open()
        game.answer(FAST, 1, name="fast")  # right at t=0 every time
        if game.index == 0:
            game.answer(SLOW, 1, name="slow")
        if game.index == 2:
            game.answer(SLOW, 1, name="slow")  # skipped round 2: streak restarts
        game.close()
    assert [r.points[FAST] for r in game.results] == [1000, 1100, 1200]
    assert game.results[2].points[SLOW] == 1000
    assert game.results[1].no_answer_count == 1
    players = {p.player_id: p for p in game.players}
    assert (players[FAST].streak, players[FAST].best_streak) == (3, 3)
    assert (players[SLOW].streak, players[SLOW].best_streak) == (1, 1)
    assert game.state is GameState.FINISHED and game.is_over


def test_wrong_answer_resets_streak() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=3)
    for choice in (1, 0, 1):
        game.open()
        game.answer(FAST, choice)
        game.close()
    assert [r.points.get(FAST) for r in game.results] == [1000, 0, 1000]
    assert game.standings().rows[0].best_streak == 1


def test_duplicate_answer_changes_nothing() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=1)
    game.open()
    clock.advance(4)
    game.answer(FAST, 0, name="fast")
    clock.advance(1)
    again = game.answer(FAST, 1, name="fast")
    assert again.status is AnswerStatus.DUPLICATE
    assert again.option_label == "A"  # the first lock-in stands
    result = game.close()
    assert result.points == {FAST: 0}
    assert result.option_counts == (1, 0, 0, 0)
    assert result.entries[0].elapsed == pytest.approx(4)


def test_answers_outside_an_open_round() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=1)
    assert game.answer(FAST, 1).status is AnswerStatus.NOT_OPEN
    game.open()
    game.close()
    assert game.answer(FAST, 1).status is AnswerStatus.CLOSED
    assert game.standings().rows == ()


@pytest.mark.parametrize("value", [4, -1, True, "B", 1.0])
def test_invalid_choices_are_refused(value: object) -> None:
    game = buttons_game(FakeClock(), rounds=1)
    game.open()
    outcome = game.answer(FAST, value)  # type: ignore[arg-type]
    assert outcome.status is AnswerStatus.INVALID_CHOICE
    assert game.answer(FAST, 1).status is AnswerStatus.ACCEPTED  # the refusal used nothing up


def test_late_answer_within_grace_earns_the_minimum() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=1)
    game.open()
    clock.advance(20.5)
    assert game.answer(FAST, 1).status is AnswerStatus.ACCEPTED
    clock.advance(1)  # 21.5 s: past the one-second grace
    assert game.answer(SLOW, 1).status is AnswerStatus.CLOSED
    assert game.close().points == {FAST: 500}


def test_all_answered_lets_the_owner_close_early() -> None:
    game = buttons_game(FakeClock(), rounds=1)
    game.join(FAST, "fast")
    game.join(SLOW, "slow")
    game.open()
    game.answer(FAST, 1)
    assert not game.all_answered
    game.answer(SLOW, 2)
    assert game.all_answered


def test_true_false_in_buttons_mode() -> None:
    tf = question("tf", QuestionKind.TRUE_FALSE, answer=TRUE)
    game = Game([tf], GameSettings(count=1), clock=FakeClock())
    game.open()
    assert game.options == ("True", "False")
    game.answer(FAST, 0)
    game.answer(SLOW, 1)
    result = game.close()
    assert result.option_counts == (1, 1)
    assert result.points == {FAST: 1000, SLOW: 0}


def test_typed_question_in_buttons_mode_is_one_answer_each() -> None:
    fill = question("fill", QuestionKind.FILL, answer="Strasbourg")
    game = Game([fill], GameSettings(count=1), clock=FakeClock())
    game.open()
    assert game.options == ()
    typo = game.answer(FAST, "Strasborg")
    assert typo.status is AnswerStatus.ACCEPTED and typo.correct is None
    assert game.answer(FAST, "Strasbourg").status is AnswerStatus.DUPLICATE
    game.answer(SLOW, "Luxembourg")
    assert game.answer(WRONG, "x" * 201).status is AnswerStatus.TOO_LONG
    result = game.close()
    assert result.option_counts == ()
    assert (result.correct_count, result.wrong_count, result.no_answer_count) == (1, 1, 0)
    assert result.lenient and result.answer == "Strasbourg"
    assert result.entries[0].guess == "Strasborg" and not result.entries[0].exact


def test_classic_typo_accepted_with_exact_form_and_first_correct_wins() -> None:
    clock = FakeClock()
    fill = question("fill", QuestionKind.FILL, answer="Strasbourg", rivals=("Strasburg",))
    game = classic_game(clock, fill, question("next", QuestionKind.FILL))
    game.open()
    assert game.options == ()
    clock.advance(3)
    rival = game.answer(SLOW, "Strasburg", name="slow")
    assert rival.status is AnswerStatus.WRONG and rival.correct is False
    assert rival.match is not None and not rival.match.accepted
    clock.advance(3)
    game.answer(WRONG, "Luxembourg", name="wrong")
    game.answer(WRONG, "Geneva", name="wrong")  # several guesses are allowed
    win = game.answer(FAST, "strasbourgg", name="fast")
    assert win.status is AnswerStatus.ACCEPTED and win.correct is True
    assert win.match is not None and not win.match.exact
    assert win.points == 900  # 1000 × (1 − 6/60)
    assert win.streak == 1
    assert game.state is GameState.CLOSED  # the right guess closed the round
    assert game.answer(SLOW, "Strasbourg").status is AnswerStatus.CLOSED

    result = game.last_result
    assert result is not None
    assert result.lenient and result.answer == "Strasbourg"
    assert result.points == {FAST: 900, SLOW: 0, WRONG: 0}
    assert (result.correct_count, result.wrong_count, result.no_answer_count) == (1, 2, 0)
    assert result.fastest is not None and result.fastest.player_id == FAST
    assert {e.player_id: e.guesses for e in result.entries} == {FAST: 1, SLOW: 1, WRONG: 2}
    with pytest.raises(GameStateError):
        game.close()


def test_classic_choice_question_matches_option_text_and_other_options_are_rivals() -> None:
    choice = question("c", choices=("Strasburg", "Strasbourg", "Brussels"), answer="Strasbourg")
    game = classic_game(FakeClock(), choice)
    game.open()
    assert game.options == ()  # shown without options
    assert game.answer(FAST, "B").status is AnswerStatus.WRONG  # letters mean nothing here
    assert game.answer(FAST, "Strasburg").status is AnswerStatus.WRONG
    assert game.answer(SLOW, "strasbourg").correct is True


def test_who_said_is_answered_with_the_name() -> None:
    quote = question("w", QuestionKind.WHO_SAID, answer="Angela Merkel", fact_kind=FactKind.QUOTE)
    game = classic_game(FakeClock(), quote)
    game.open()
    assert game.answer(FAST, "Macron").status is AnswerStatus.WRONG
    assert game.answer(FAST, "Merkel").correct is True


def test_hints_timing_and_point_reduction() -> None:
    clock = FakeClock()
    game = classic_game(clock, question("h", QuestionKind.FILL), seconds=30)
    start = clock.now
    game.open()
    assert game.next_hint_at == pytest.approx(start + 10)
    clock.advance(10)
    assert game.hint() == "S_________"
    assert game.next_hint_at == pytest.approx(start + 20)
    clock.advance(10)
    assert game.hint() == "S__a__o__g"
    assert game.next_hint_at is None
    with pytest.raises(GameStateError, match="2 hints"):
        game.hint()
    outcome = game.answer(FAST, "Strasbourg")
    assert outcome.points == 267  # 400 × (1 − 20/60) = 266.67
    assert game.last_result is not None
    assert game.last_result.hints == ("S_________", "S__a__o__g")


def test_one_hint_lowers_the_base_to_700() -> None:
    clock = FakeClock()
    game = classic_game(clock, question("h", QuestionKind.FILL), seconds=30)
    game.open()
    clock.advance(10)
    game.hint()
    assert game.answer(FAST, "Strasbourg").points == 583  # 700 × (1 − 10/60)


def test_classic_streak_counts_consecutive_wins() -> None:
    clock = FakeClock()
    qs = [question(f"q{i}", QuestionKind.FILL) for i in range(3)]
    game = classic_game(clock, *qs)
    winners = [FAST, FAST, SLOW]
    for w in winners:
        game.open()
        game.answer(w, "Strasbourg")
    assert [r.points for r in game.results] == [
        {FAST: 1000},
        {FAST: 1100},
        {SLOW: 1000},
    ]
    assert {p.player_id: p.streak for p in game.players} == {FAST: 0, SLOW: 1}
    assert game.state is GameState.FINISHED


def test_classic_round_nobody_gets_closes_at_deadline_without_points() -> None:
    clock = FakeClock()
    game = classic_game(clock, question("a", QuestionKind.FILL), question("b", QuestionKind.FILL))
    game.open()
    game.answer(FAST, "Strasbourg")
    game.open()
    assert game.answer(SLOW, "Paris").status is AnswerStatus.WRONG
    assert game.answer(SLOW, "   ").status is AnswerStatus.WRONG
    assert game.answer(SLOW, "y" * 201).status is AnswerStatus.TOO_LONG
    clock.advance(30)
    result = game.close()
    assert result.points == {SLOW: 0} and result.fastest is None
    assert result.no_answer_count == 1
    assert result.entries[0].guesses == 1  # blank and too long guesses do not count
    assert {p.player_id: p.streak for p in game.players} == {FAST: 0, SLOW: 0}


def test_hints_only_in_classic_mode() -> None:
    game = buttons_game(FakeClock(), rounds=1)
    game.open()
    with pytest.raises(GameStateError, match="classic"):
        game.hint()


def test_skip_scores_nothing_and_keeps_streaks() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=3)
    game.open()
    game.answer(FAST, 1)
    game.close()
    game.open()
    game.answer(FAST, 1)
    skipped = game.skip()
    assert skipped.skipped and skipped.points == {FAST: 0}
    game.open()
    game.answer(FAST, 1)
    assert game.close().points == {FAST: 1100}  # streak 2: the skipped round did not break it
    standings = game.standings()
    assert standings.rounds_played == 2 and standings.total_rounds == 3
    assert (standings.rows[0].answered, standings.rows[0].correct) == (2, 2)


def test_stop_drops_the_open_round_and_ends_the_game() -> None:
    clock = FakeClock()
    game = buttons_game(clock, rounds=3)
    game.open()
    game.answer(FAST, 1)
    game.close()
    game.open()
    game.answer(SLOW, 1)
    standings = game.stop()
    assert game.state is GameState.STOPPED and game.is_over
    assert standings.stopped and standings.rounds_played == 1
    assert [(r.player_id, r.points) for r in standings.rows] == [(FAST, 1000), (SLOW, 0)]
    assert game.answer(FAST, 1).status is AnswerStatus.CLOSED
    with pytest.raises(GameStateError, match="already stopped"):
        game.stop()
    with pytest.raises(GameStateError):
        game.open()


def test_invalid_transitions_raise() -> None:
    game = buttons_game(FakeClock(), rounds=1)
    with pytest.raises(GameStateError, match="no question is open"):
        game.close()
    with pytest.raises(GameStateError):
        game.skip()
    game.open()
    with pytest.raises(GameStateError, match="cannot open"):
        game.open()
    with pytest.raises(GameStateError, match="round 3 is not the open round"):
        game.close(2)
    game.close(0)
    assert game.state is GameState.FINISHED
    with pytest.raises(GameStateError, match="finished"):
        game.open()


def test_stale_timer_cannot_close_the_next_round() -> None:
    clock = FakeClock()
    game = classic_game(clock, question("a", QuestionKind.FILL), question("b", QuestionKind.FILL))
    game.open()
    game.answer(FAST, "Strasbourg")  # closes round 0 early
    game.open()
    with pytest.raises(GameStateError):
        game.close(0)  # the timer of round 0 fires late
    assert game.state is GameState.OPEN and game.index == 1


def test_from_bank_references_the_bank_questions() -> None:
    bank = family_bank()
    settings = GameSettings(count=5, topic="a", mode=GameMode.CLASSIC)
    game = Game.from_bank(bank, settings, rng=random.Random(3), clock=FakeClock())
    assert game.total == 5
    by_id = {q.id: q for q in bank.questions}
    for _ in range(game.total):
        q = game.open()
        assert q is by_id[q.id]  # shared, not copied
        assert q.topic == "a" and q.kind is not QuestionKind.TRUE_FALSE
        game.skip()
