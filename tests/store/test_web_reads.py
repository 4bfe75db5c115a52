"""What the web page and the pictures read: the page setting, scored topics, weekly reviews."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from support.storekit import AnswerFactory, FakeClock, new_game

from bot.store import GuildSettings, Store, migrate

MONDAY = datetime(2026, 3, 9, tzinfo=UTC)


async def test_the_web_page_is_off_until_turned_on_and_stays_with_other_changes(
    store: Store,
) -> None:
    assert (await store.guilds.settings(7)).web_page is False
    await store.guilds.save_settings(GuildSettings(7, web_page=True))
    saved = await store.guilds.settings(7)
    assert saved.web_page is True
    # /quiz settings saves the whole record: changing the seconds keeps the page on.
    await store.guilds.save_settings(dataclasses.replace(saved, seconds=45))
    assert await store.guilds.settings(7) == GuildSettings(7, seconds=45, web_page=True)
    await store.guilds.save_settings(dataclasses.replace(saved, web_page=False))
    assert (await store.guilds.settings(7)).web_page is False
    assert (await store.guilds.settings(8)).web_page is False


async def test_servers_saved_before_the_setting_existed_have_the_page_off(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    await migrate(path, 4)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO guild_settings VALUES (7, 30, 5, 'classic', '[3]')")
    conn.commit()
    conn.close()
    async with await Store.open(path) as store:
        assert await store.guilds.settings(7) == GuildSettings(
            7, seconds=30, questions=5, mode="classic", allowed_channel_ids=(3,), web_page=False
        )
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE guild_settings SET web_page = 2 WHERE guild_id = 7")
    finally:
        conn.close()


async def test_scored_topics_are_the_guilds_own_with_someone_on_the_board(
    store: Store, answer: AnswerFactory
) -> None:
    assert await store.boards.scored_topics(1) == []
    game = await new_game(store, guild_id=1)
    other = await new_game(store, guild_id=2)
    for i, topic in enumerate(["politics", "economy", "politics"]):
        await store.answers.record(answer(game, i, 5, topic=topic))
    await store.answers.record(answer(other, 0, 6, guild_id=2, topic="energy"))
    # Counted at once, before the writer's idle fold: the read folds what is pending.
    assert await store.boards.scored_topics(1) == ["economy", "politics"]
    assert await store.boards.scored_topics(2) == ["energy"]
    await store.boards.reset_guild(1)
    assert await store.boards.scored_topics(1) == []
    assert await store.boards.scored_topics(2) == ["energy"]


async def test_weekly_reviews_count_each_iso_week_and_fill_empty_ones(
    store: Store, clock: FakeClock
) -> None:
    now = MONDAY + timedelta(days=2, hours=5)  # a Wednesday
    times = [
        MONDAY,  # the first moment of this week
        MONDAY + timedelta(days=1),
        MONDAY - timedelta(milliseconds=1),  # the last moment of last week
        MONDAY - timedelta(weeks=3),
        MONDAY - timedelta(weeks=7, days=-1),  # the oldest week shown (8 weeks)
        MONDAY - timedelta(weeks=8),  # one week too old
    ]
    for when in times:
        await store.cards.record_review(5, "news", "f1", 3, True, when, "practice")
    await store.cards.record_review(6, "news", "f1", 3, True, MONDAY, "practice")
    weeks = await store.cards.weekly_reviews(5, now, weeks=8)
    mondays = [date(2026, 3, 9) - timedelta(weeks=7 - i) for i in range(8)]
    assert weeks == list(zip(mondays, [1, 0, 0, 0, 1, 0, 1, 2], strict=True))
    assert await store.cards.weekly_reviews(9, now, weeks=2) == [
        (date(2026, 3, 2), 0),
        (date(2026, 3, 9), 0),
    ]
    with pytest.raises(ValueError, match="weeks must be positive"):
        await store.cards.weekly_reviews(5, now, weeks=0)
