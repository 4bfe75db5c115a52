"""`/leaderboard` end to end: empty board, pages and the owner-only ◀ ▶, the caller's own rank,
this week against all time, a topic filter, the facts-learned board, and DMs."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from support.fakediscord import FakeDiscord
from support.learnkit import Played, command, description, press, review, seed_game
from support.quizharness import quiz_bot

from bot.core.review import Rating
from bot.exts.boards.embeds import board_embed
from bot.services.boards import BoardLine, BoardPage, BoardQuery


async def test_empty_board_points_to_quiz_start(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        reply = await command(fake, alice, "leaderboard")
        assert "/quiz start" in reply.content
        assert not reply.embeds
        assert not reply.ephemeral
        week = await command(fake, alice, "leaderboard", {"period": "week", "rank_by": "facts"})
        assert "Nobody has learned a fact this week" in week.content
    assert not fake.bot_errors


async def test_pages_owner_buttons_and_caller_rank(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    players = [fake.add_user(f"player{i:02d}") for i in range(12)]
    caller = players[-1]  # the fewest points: rank 12, on page 2
    other = fake.add_user("lurker")
    async with quiz_bot(fake, tmp_path) as bot:
        answers = [Played(p, True, 1000 - 50 * i) for i, p in enumerate(players)]
        await seed_game(bot, fake.guild.id, answers)

        reply = await command(fake, caller, "leaderboard")
        assert not reply.ephemeral
        embed = reply.embeds[0]
        assert embed["title"] == "🏆 Leaderboard · all time"
        assert embed["footer"]["text"] == "Page 1/2 · 12 players"
        lines = description(reply).splitlines()
        assert lines[0].startswith("🥇 **player00** — 1,000 pts · 100% right · 1 game")
        assert lines[9].startswith("`#10` **player09** — 550 pts")
        # Off the page, the caller still sees their own line, marked.
        assert lines[-2] == "⋯"
        assert lines[-1].startswith("`#12` **player11** — 450 pts")
        assert lines[-1].endswith("← you")
        ids = [c["custom_id"] for row in reply.components for c in row["components"]]
        back, forward = ids
        assert back.startswith(f"quiz:lb:{caller.id}:0:all:points")
        assert reply.components[0]["components"][0]["disabled"] is True

        # Somebody else cannot turn the caller's pages.
        refused = await press(fake, other, reply.message, forward)
        assert refused.ephemeral
        assert "Only the person who asked" in refused.content
        assert fake.message(reply.message_id)["embeds"][0]["footer"]["text"].startswith("Page 1/2")

        page2 = await press(fake, caller, reply.message, forward)
        assert page2.type == 7  # the same message, edited
        assert page2.embeds[0]["footer"]["text"] == "Page 2/2 · 12 players"
        lines = description(page2).splitlines()
        assert [line.split()[0] for line in lines] == ["`#11`", "`#12`"]
        assert lines[1].endswith("← you")
        assert "⋯" not in lines
        comps = page2.components[0]["components"]
        assert [c["disabled"] for c in comps] == [False, True]

        page1 = await press(fake, caller, page2.message, comps[0]["custom_id"])
        assert page1.embeds[0]["footer"]["text"].startswith("Page 1/2")
    assert not fake.bot_errors


async def test_week_against_all_time_and_topic(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    old, new = fake.add_user("oldtimer"), fake.add_user("newcomer")
    async with quiz_bot(fake, tmp_path) as bot:
        last_week = bot.clock.now() - timedelta(days=8)
        await seed_game(bot, fake.guild.id, [Played(old, True, 900, when=last_week)])
        await seed_game(
            bot, fake.guild.id, [Played(new, True, 300), Played(new, True, 200, topic="leaders")]
        )

        everyone = await command(fake, new, "leaderboard", {"period": "all"})
        text = description(everyone)
        assert "**oldtimer** — 900 pts" in text
        assert "**newcomer** — 500 pts" in text

        week = await command(fake, new, "leaderboard", {"period": "week"})
        assert week.embeds[0]["title"].startswith("🏆 Leaderboard · week ")
        assert "oldtimer" not in description(week)
        assert "**newcomer** — 500 pts" in description(week)

        leaders = await command(fake, new, "leaderboard", {"topic": "leaders"})
        assert description(leaders).splitlines()[0] == "*Topic: Leaders*"
        assert "**newcomer** — 200 pts" in description(leaders)
        assert "oldtimer" not in description(leaders)

        unknown = await command(fake, new, "leaderboard", {"topic": "nope"})
        assert unknown.ephemeral
        assert "Unknown topic 'nope'" in unknown.content
    assert not fake.bot_errors


async def test_facts_learned_this_week(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    keen, casual = fake.add_user("keen"), fake.add_user("casual")
    async with quiz_bot(fake, tmp_path) as bot:
        guild = fake.guild.id
        # Two good answers lift a fill-in card to level 2: the fact counts as learned.
        for qid in ("president.fill", "guest.fill"):
            await review(bot, keen, qid, Rating.Good, guild)
            await review(bot, keen, qid, Rating.Good, guild)
        await review(bot, casual, "capital.choice", Rating.Good, guild)
        await review(bot, casual, "capital.choice", Rating.Good, guild)
        await review(bot, casual, "pipeline.choice", Rating.Again, guild)

        reply = await command(fake, casual, "leaderboard", {"period": "week", "rank_by": "facts"})
        embed = reply.embeds[0]
        assert embed["title"].startswith("🏆 Facts learned · week ")
        assert description(reply).splitlines() == [
            "🥇 **keen** — 2 facts learned",
            "🥈 **casual** — 1 fact learned ← you",
        ]
        # Points boards know nothing of these reviews.
        points = await command(fake, casual, "leaderboard")
        assert "/quiz start" in points.content
    assert not fake.bot_errors


async def test_leaderboard_and_stats_refused_in_dms(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path):
        dm = fake.dm_channel(alice)
        for name in ("leaderboard", "stats"):
            reply = await command(fake, alice, name, channel=dm)
            assert reply.ephemeral
            assert reply.content == "Use this in a server channel."
    assert not fake.bot_errors


@pytest.mark.expect_errors(r"leaderboard page 1 failed")
async def test_a_failing_page_click_gets_an_apology(
    fake_discord: FakeDiscord, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    players = [fake.add_user(f"p{i}") for i in range(11)]
    async with quiz_bot(fake, tmp_path) as bot:
        await seed_game(
            bot, fake.guild.id, [Played(p, True, 100 + i) for i, p in enumerate(players)]
        )
        reply = await command(fake, players[0], "leaderboard")
        forward = reply.components[0]["components"][1]["custom_id"]

        async def broken(*args: object, **kwargs: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(bot.store.boards, "leaderboard", broken)
        failed = await press(fake, players[0], reply.message, forward)
        assert failed.ephemeral
        assert failed.content == "Something went wrong. Please try again."
        assert fake.message(reply.message_id)["embeds"][0]["footer"]["text"].startswith("Page 1/2")


def test_long_and_hostile_names_fit_the_embed() -> None:
    hostile = "@everyone **bold** " + "x" * 300
    lines = [
        BoardLine(rank=i + 1, user_id=i + 1, name=hostile, points=10**9, accuracy=0.5, games=9)
        for i in range(10)
    ]
    page = BoardPage(BoardQuery(99), lines, 40, 400, lines[0], "all time")
    embed = board_embed(page, scope="Topic: " + "y" * 5000)
    assert len(embed) <= 6000
    assert len(embed.description or "") <= 4096
    assert "@everyone" not in (embed.description or "")
    assert "**bold**" not in (embed.description or "")
    assert embed.footer.text == "Page 1/40 · 400 players"
