"""`/stats` end to end: game results by topic, mastery per topic, facts due and the day streak."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.learnkit import Played, command, description, fields, review, seed_game
from support.quizharness import manual_clock, quiz_bot

from bot.core.review import Rating

DAY = 86_400


async def test_stats_with_mastery_due_and_streak(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        clock = manual_clock(bot)
        guild = fake.guild.id
        await seed_game(
            bot,
            guild,
            [
                Played(alice, True, 800),
                Played(alice, True, 600, question_id="pipeline.choice"),
                Played(alice, False, 0, topic="leaders", question_id="guest.fill"),
            ],
        )
        # Two easy recalls eight days apart make the capital fact stable: mastered.
        first = await review(bot, alice, "capital.choice", Rating.Easy, guild)
        await clock.advance((first.due - bot.clock.now()).total_seconds())
        second = await review(bot, alice, "capital.choice", Rating.Easy, guild)
        assert second.mastered
        # Then three days in a row of reviews, one of them wrong.
        await clock.advance(DAY)
        await review(bot, alice, "guest.fill", Rating.Again, guild)
        await clock.advance(DAY)
        await review(bot, alice, "president.fill", Rating.Good, guild)
        await clock.advance(DAY)
        await review(bot, alice, "pipeline.choice", Rating.Good, guild)
        await clock.advance(7 * 3600)
        now = bot.clock.now()
        cards = await bot.store.cards.for_user(alice.id)
        due_now = sorted(c.fact_id for c in cards if c.due <= now)
        assert "guest" in due_now
        assert "capital" not in due_now

        reply = await command(fake, alice, "stats")
        assert reply.ephemeral
        assert reply.embeds[0]["title"] == "📊 Stats · alice"
        got = fields(reply)
        assert got["Points"] == "1,400"
        assert got["Games"] == "1"
        assert got["Accuracy"] == "67% (2/3)"
        assert got["Best streak"] == "2"
        assert got["By topic"].splitlines() == [
            "• Leaders: 0 pts · 0% (0/1)",
            "• Places: 1,400 pts · 100% (2/2)",
        ]
        learning = got["Learning · A small test bank"].splitlines()
        assert learning[0].startswith("• Places: ")
        assert "33% mastered (1/3)" in learning[0]
        assert "0% mastered (0/2)" in learning[1]
        assert learning[1].endswith(f"· {sum(f in due_now for f in ('guest', 'president'))} due")
        assert len(learning) == 2  # claims: nothing seen, nothing shown
        assert got["Review"] == f"{len(due_now)} facts due now: `/review`"
        # Game day, then the second recall and three days in a row: four days end today.
        assert got["Day streak"] == "4 days 🔥"

        other = await command(fake, alice, "stats", {"member": bob})
        assert other.ephemeral
        assert other.content.startswith("bob has not played or reviewed anything here yet.")
        assert "/practice" in other.content

        mine = await command(fake, bob, "stats")
        assert mine.content.startswith("You have not played")
    assert not fake.bot_errors


async def test_stats_of_a_player_without_reviews(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        await seed_game(bot, fake.guild.id, [Played(bob, True, 500)])
        reply = await command(fake, alice, "stats", {"member": bob})
        got = fields(reply)
        assert got["Points"] == "500"
        assert got["Review"] == "0 facts due now"
        assert got["Day streak"] == "1 day"
        assert not any(name.startswith("Learning") for name in got)
        assert not description(reply)
    assert not fake.bot_errors
