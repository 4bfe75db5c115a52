"""A closed round in one write: answers, leaderboard aggregates, cards and reviews together."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from support.storekit import START, AnswerFactory, Query, assert_counted, new_game

from bot.store import CardRow, ReviewRecord, Store
from bot.store.utc import to_ms


def _count(card_json: str | None, review: ReviewRecord) -> CardRow:
    """A stand-in scheduler: the card counts its reviews and remembers the last rating."""
    reps = 0 if card_json is None else int(json.loads(card_json)["reps"])
    state = json.dumps({"reps": reps + 1, "rating": review.rating})
    return CardRow(
        review.user_id, review.bank, review.fact_id, state, review.reviewed_at,
        min(reps + 1, 3), reps + 1, 0, review.reviewed_at,
    )  # fmt: skip


def _review(user: int, rating: int = 3, source: str = "game") -> ReviewRecord:
    return ReviewRecord(user, 1, "news", "f1", rating, rating > 1, START, source)


async def test_a_round_writes_answers_scores_and_cards_in_one_transaction(
    store: Store, answer: AnswerFactory, query: Query, db_url: str, backend: str
) -> None:
    game = await new_game(store)
    records = [answer(game, 0, u, points=10 * u, fact_id="f1") for u in (1, 2, 3)]
    batches = store.db.writer.batches
    stored, cards = await store.answers.record_round(
        records, [_review(1), None, _review(3, rating=1)], _count
    )
    assert stored == [True, True, True]
    assert store.db.writer.batches == batches + 1  # one commit for all of it
    assert [(c.user_id, c.reps) for c in cards] == [(1, 1), (3, 1)]
    await assert_counted(db_url)
    if backend == "sqlite":  # counted in the same transaction: nothing left to fold
        assert (await query("SELECT last_answer_id FROM fold_state")) == [(3,)]
    rows = await query("SELECT user_id, rating, source FROM reviews ORDER BY user_id")
    assert rows == [(1, 3, "game"), (3, 1, "game")]
    # The same round again: every answer is refused, so no card moves and nothing is logged.
    stored, cards = await store.answers.record_round(records, [_review(1), None, None], _count)
    assert stored == [False, False, False] and cards == []
    assert (await query("SELECT COUNT(*) FROM reviews"))[0][0] == 2
    card = await store.cards.get(1, "news", "f1")
    assert card is not None and card.reps == 1


async def test_a_failing_review_keeps_the_rounds_answers(
    store: Store, answer: AnswerFactory, query: Query, db_url: str, backend: str
) -> None:
    game = await new_game(store)

    def broken(card_json: str | None, review: ReviewRecord) -> CardRow:
        if review.user_id == 2:
            raise RuntimeError("scheduler broke")
        return _count(card_json, review)

    records = [answer(game, 0, u, fact_id="f1") for u in (1, 2)]
    stored, cards = await store.answers.record_round(records, [_review(1), _review(2)], broken)
    assert stored == [True, True] and cards == []
    assert (await query("SELECT COUNT(*) FROM answers"))[0][0] == 2
    assert (await query("SELECT COUNT(*) FROM cards"))[0][0] == 0
    assert (await query("SELECT COUNT(*) FROM reviews"))[0][0] == 0
    await assert_counted(db_url)


async def test_concurrent_reviews_of_one_card_never_lose_one(
    store: Store, answer: AnswerFactory
) -> None:
    game = await new_game(store)
    rounds = [
        store.answers.record_round([answer(game, i, 7, fact_id="f1")], [_review(7)], _count)
        for i in range(20)
    ]
    sessions = [store.cards.review_many([_review(7, source="review")], _count) for _ in range(20)]
    await asyncio.gather(*rounds, *sessions)
    card = await store.cards.get(7, "news", "f1")
    assert card is not None and card.reps == 40


async def test_reviews_of_one_card_in_one_call_see_each_other(store: Store) -> None:
    cards = await store.cards.review_many([_review(4), _review(4, rating=1)], _count)
    assert [c.reps for c in cards] == [1, 2]
    card = await store.cards.get(4, "news", "f1")
    assert card is not None and json.loads(card.card_json) == {"reps": 2, "rating": 1}


async def test_a_big_round_schedules_every_card_in_order(
    store: Store, answer: AnswerFactory, query: Query, db_url: str, backend: str
) -> None:
    game = await new_game(store)
    players = range(1, 201)  # past the size scheduled off the event loop
    records = [answer(game, 0, u, fact_id="f1") for u in players]
    stored, cards = await store.answers.record_round(records, [_review(u) for u in players], _count)
    assert all(stored) and [c.user_id for c in cards] == list(players)
    # A second review of one card in the same write sees the first.
    twice = await store.cards.review_many([_review(u) for u in (*players, 5)], _count)
    assert [c.reps for c in twice[-2:]] == [2, 3]
    assert (await query("SELECT COUNT(*) FROM reviews"))[0][0] == 401


async def test_a_big_round_partly_stored_before_reviews_only_its_new_answers(
    store: Store, answer: AnswerFactory, query: Query
) -> None:
    # Big enough for the cards to be read and scheduled ahead, beside the aggregates; half the
    # answers are refused, so that schedule is dropped and the stored half scheduled anew.
    game = await new_game(store)
    first = range(1, 101)
    records = [answer(game, 0, u, fact_id="f1") for u in first]
    await store.answers.record_round(records, [_review(u) for u in first], _count)
    everyone = range(1, 201)
    records = [answer(game, 0, u, fact_id="f1") for u in everyone]
    stored, cards = await store.answers.record_round(
        records, [_review(u) for u in everyone], _count
    )
    assert stored == [u > 100 for u in everyone]
    assert [(c.user_id, c.reps) for c in cards] == [(u, 1) for u in range(101, 201)]
    rows = await query("SELECT reps, COUNT(*) FROM cards GROUP BY reps")
    assert rows == [(1, 200)]  # nobody's card was reviewed twice
    assert (await query("SELECT COUNT(*) FROM reviews"))[0][0] == 200


async def test_a_card_learned_then_lapsed_in_one_write_keeps_when_it_was_learned(
    store: Store, query: Query
) -> None:
    def by_rating(card_json: str | None, review: ReviewRecord) -> CardRow:
        level = 2 if review.rating >= 3 else 0
        return CardRow(
            review.user_id, review.bank, review.fact_id, "{}", review.reviewed_at,
            level, 1, 0, review.reviewed_at,
        )  # fmt: skip

    later = START + timedelta(minutes=5)
    learned = ReviewRecord(4, 1, "news", "f1", 3, True, START, "review")
    lapsed = ReviewRecord(4, 1, "news", "f1", 1, False, later, "review")
    cards = await store.cards.review_many([learned, lapsed], by_rating)
    assert [c.level for c in cards] == [2, 0]
    rows = await query("SELECT level, learned_at, updated_at FROM cards")
    assert rows == [(0, to_ms(START), to_ms(later))]
