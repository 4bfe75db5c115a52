"""Review cards, due order, review days and the facts-learned board."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from support.storekit import START, AnswerFactory, FakeClock, new_game

from bot.store import CardRow, Store


def _card(user: int, fact: str, due: datetime, *, bank: str = "news", level: int = 0) -> CardRow:
    return CardRow(
        user_id=user,
        bank=bank,
        fact_id=fact,
        card_json=f'{{"fact": "{fact}", "level": {level}}}',
        due=due,
        level=level,
        reps=level,
        lapses=0,
        updated_at=START,
    )


async def test_cards_round_trip_and_update_in_place(store: Store) -> None:
    card = _card(5, "f1", START + timedelta(days=1))
    await store.cards.save(card)
    assert await store.cards.get(5, "news", "f1") == card
    assert await store.cards.get(5, "news", "f2") is None
    assert await store.cards.get(6, "news", "f1") is None
    moved = CardRow(5, "news", "f1", '{"x": 1}', START + timedelta(days=4), 2, 3, 1, START)
    await store.cards.save(moved)
    assert await store.cards.get(5, "news", "f1") == moved
    assert len(await store.cards.for_user(5)) == 1


async def test_due_cards_are_the_most_overdue_first(store: Store) -> None:
    now = START
    dues = {"a": -3, "b": 2, "c": -1, "d": 0, "e": -10}
    for fact, days in dues.items():
        await store.cards.save(_card(5, fact, now + timedelta(days=days)))
    await store.cards.save(_card(5, "s", now - timedelta(days=5), bank="sport"))
    await store.cards.save(_card(6, "z", now - timedelta(days=50)))

    due = await store.cards.due(5, now)
    assert [c.fact_id for c in due] == ["e", "s", "a", "c", "d"]
    assert [c.fact_id for c in await store.cards.due(5, now, bank="news")] == ["e", "a", "c", "d"]
    assert [c.fact_id for c in await store.cards.due(5, now, limit=2)] == ["e", "s"]
    assert await store.cards.due(5, now - timedelta(days=20)) == []
    assert [c.fact_id for c in await store.cards.for_user(5)] == ["a", "b", "c", "d", "e", "s"]
    assert [c.fact_id for c in await store.cards.for_user(5, bank="sport")] == ["s"]


async def test_review_days_are_distinct_utc_days_newest_first(
    store: Store, answer: AnswerFactory
) -> None:
    day = datetime(2026, 3, 4, tzinfo=UTC)
    for when in (
        day + timedelta(hours=1),
        day + timedelta(hours=23, minutes=59, seconds=59),  # same UTC day
        day + timedelta(days=1),  # next day, midnight
        day - timedelta(days=3, hours=-5),
        # 00:30 at UTC+3 on the 6th is still the 5th in UTC.
        datetime(2026, 3, 6, 0, 30, tzinfo=timezone(timedelta(hours=3))),
    ):
        await store.cards.record_review(5, "news", "f1", 3, True, when, "practice")
    game = await new_game(store)
    await store.answers.record(answer(game, 0, 5, answered_at=day + timedelta(days=4, hours=8)))
    await store.cards.record_review(6, "news", "f1", 3, True, day + timedelta(days=9), "practice")

    assert await store.cards.review_days(5) == [
        date(2026, 3, 8),
        date(2026, 3, 5),
        date(2026, 3, 4),
        date(2026, 3, 1),
    ]
    assert await store.cards.review_days(7) == []


async def test_facts_learned_board_counts_first_learning_in_the_guild(
    store: Store, clock: FakeClock
) -> None:
    since = START - timedelta(days=7)
    before = since - timedelta(days=2)
    during = START - timedelta(days=1)

    async def learn(user: int, fact: str, at: datetime, guild: int, level: int = 2) -> None:
        await store.cards.record_review(user, "news", fact, 3, True, at, "quiz", guild_id=guild)
        card = _card(user, fact, at + timedelta(days=3), level=level)
        await store.cards.save(
            CardRow(card.user_id, card.bank, card.fact_id, card.card_json, card.due,
                    card.level, card.reps, card.lapses, at)
        )  # fmt: skip

    await store.players.upsert(1, "Ana")
    await store.players.upsert(2, "Bo")
    # Ana learns two facts in guild 9 this week, and one that stays at level 1.
    await learn(1, "f1", during, 9)
    await learn(1, "f2", during, 9)
    await learn(1, "f3", during, 9, level=1)
    # Bo learned f1 before the period; reviewing it again, lapsing and relearning never recounts.
    await learn(2, "f1", before, 9)
    await learn(2, "f1", during, 9, level=0)
    await learn(2, "f1", during + timedelta(hours=2), 9)
    # Bo learns f2 this week, in guild 9; f4 only in another guild.
    await learn(2, "f2", during, 9)
    await learn(2, "f4", during, 10)
    # Carl learns f1 this week but only ever reviews it in guild 10.
    await learn(3, "f1", during, 10)

    assert await store.cards.learned_board(9, since) == [(1, "Ana", 2), (2, "Bo", 1)]
    assert await store.cards.learned_board(10, since) == [(2, "Bo", 1), (3, "3", 1)]
    assert await store.cards.learned_board(9, since, limit=1) == [(1, "Ana", 2)]
    assert await store.cards.learned_board(9, START) == []
