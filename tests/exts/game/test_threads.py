"""Games in threads, private threads, forum posts and voice channels' chat, on the fake Discord.

Also the allow-list reaching a thread through its parent, and the permissions a thread needs
(Send Messages in Threads, View Channel) checked before anything is posted.
"""

from __future__ import annotations

from support.fakediscord import BOT_PERMISSIONS, MANAGE_GUILD, FakeChannel, FakeDiscord, FakeUser
from support.fakediscord.payloads import (
    EMBED_LINKS,
    MANAGE_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
)
from support.quizharness import (
    advance,
    click_and_read,
    eventually,
    posted,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)

from bot.client import QuizBot


async def _play_one_round(
    fake: FakeDiscord, bot: QuizBot, player: FakeUser, channel: FakeChannel
) -> None:
    """Start a one-question game in `channel`, answer it right, and see it scored there."""
    mark = fake.mark()
    start = await fake.response_to(
        await start_game(fake, player, channel, topic="places", questions=1)
    )
    assert not start.ephemeral, start.content
    question = await wait_message(fake, mark, title="Question 1/1", channel=channel)
    live = bot.games.in_channel(channel.id)
    assert live is not None and live.guild_id == channel.guild_id
    right = live.engine.question.correct_index
    assert (await click_and_read(fake, player, question, right)).startswith("Locked in")
    await advance(bot, 20)
    await wait_message(fake, mark, title="Answer:", channel=channel)
    await wait_message(fake, mark, title="🏁 Final results", channel=channel)
    await wait_game_over(bot, live.game_id)
    answers = await bot.store.answers.for_game(live.game_id)
    assert [(a.user_id, a.correct) for a in answers] == [(player.id, True)]
    if channel is not fake.channel:
        # Nothing of the game leaked into the main channel.
        assert posted(fake, mark, fake.channel) == []
    assert fake.unknown_calls() == []
    # Past the starter's cooldown, for the next game.
    await advance(bot, 60)


async def test_game_in_a_public_thread_joins_it_and_plays(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "quiz night", owner=alice)
        assert fake.bot_user.id not in thread.members
        await _play_one_round(fake, bot, alice, thread)
        join = fake.calls("PUT", rf"/channels/{thread.id}/thread-members/@me")
        assert [c.status for c in join] == [204]
        assert fake.bot_user.id in thread.members


async def test_game_in_a_private_thread_the_bot_was_added_to(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
        await fake.add_thread_member(thread, fake.bot_user)
        await eventually(lambda: bot.get_channel(thread.id), "the bot to see the thread")
        await _play_one_round(fake, bot, alice, thread)


async def test_bot_that_manages_threads_joins_a_private_thread_itself(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    fake.app_permissions |= MANAGE_THREADS
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
        assert fake.bot_user.id not in thread.members
        await _play_one_round(fake, bot, alice, thread)
        assert fake.bot_user.id in thread.members


async def test_private_thread_the_bot_is_not_in_says_how_to_add_it(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "secret", owner=alice, private=True)
        mark = fake.mark()
        reply = await fake.response_to(await start_game(fake, alice, thread, topic="places"))
        assert reply.ephemeral
        assert "private thread" in reply.content and "Add me" in reply.content
        assert bot.games.in_channel(thread.id) is None
        assert fake.calls("POST", r"/channels/\d+/messages", after=mark) == []


async def test_game_in_a_forum_post(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    forum = fake.add_forum("quizzes")
    async with quiz_bot(fake, tmp_path) as bot:
        post = await fake.forum_post(forum, "Friday quiz", alice, "Who is in?")
        await _play_one_round(fake, bot, alice, post)
        # The forum itself never takes messages.
        assert posted(fake, 0, forum) == []


async def test_game_in_a_voice_channels_chat(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    voice = fake.add_voice_channel("Lounge")
    async with quiz_bot(fake, tmp_path) as bot:
        await _play_one_round(fake, bot, alice, voice)


async def test_allow_list_accepts_a_thread_through_its_parent(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    boss = fake.add_user("boss", permissions=BOT_PERMISSIONS | MANAGE_GUILD)
    alice = fake.add_user("alice")
    games = fake.add_channel("games")
    forum = fake.add_forum("quizzes")
    voice = fake.add_voice_channel("Lounge")
    async with quiz_bot(fake, tmp_path) as bot:
        for allowed in (games, forum, voice):
            inter = await fake.slash(
                boss, fake.channel, "quiz settings", {"allow_channel": allowed}
            )
            assert (await fake.response_to(inter)).ephemeral
        inside = await fake.add_thread(games, "round 1", owner=alice)
        post = await fake.forum_post(forum, "Friday quiz", alice, "Who is in?")
        outside = await fake.add_thread(fake.channel, "elsewhere", owner=alice)

        refused = await fake.response_to(await start_game(fake, alice, outside, topic="places"))
        assert refused.ephemeral and refused.content.startswith("Games can only be started in")
        assert bot.games.in_channel(outside.id) is None
        for channel in (inside, post, voice):
            await _play_one_round(fake, bot, alice, channel)


async def test_missing_send_messages_in_threads_is_said_privately(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "quiz night", owner=alice)
        # Changed while the bot runs: it may still post in the channel, not in its threads.
        await fake.set_permissions(fake.channel, fake.bot_user, deny=SEND_MESSAGES_IN_THREADS)
        mark = fake.mark()
        reply = await fake.response_to(await start_game(fake, alice, thread, topic="places"))
        assert reply.ephemeral
        assert reply.content == (
            "I need the **Send Messages in Threads** permission in this channel. "
            "Ask a server manager to grant it."
        )
        assert bot.games.in_channel(thread.id) is None
        assert fake.calls("POST", r"/channels/\d+/messages", after=mark) == []
        assert fake.calls("PUT", r"/channels/\d+/thread-members/@me", after=mark) == []

        # Send Messages alone does not matter in a thread; granting the thread right does.
        await fake.set_permissions(fake.channel, fake.bot_user, deny=SEND_MESSAGES)
        await _play_one_round(fake, bot, alice, thread)


async def test_channel_overwrites_changed_mid_test_reach_the_checks(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        await fake.set_permissions(fake.channel, fake.guild, deny=EMBED_LINKS)
        reply = await fake.response_to(await start_game(fake, alice, topic="places"))
        assert reply.ephemeral and "**Embed Links**" in reply.content
        await fake.set_permissions(fake.channel, fake.bot_user, deny=VIEW_CHANNEL)
        reply = await fake.response_to(await start_game(fake, alice, topic="places"))
        assert reply.ephemeral and "**View Channel**" in reply.content
        assert bot.games.in_channel(fake.channel.id) is None
        # Lifting both overwrites lets a game run again.
        await fake.set_permissions(fake.channel, fake.guild)
        await fake.set_permissions(fake.channel, fake.bot_user)
        await _play_one_round(fake, bot, alice, fake.channel)


async def test_archived_thread_refuses_a_game(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "old", owner=alice)
        await fake.set_thread_state(thread, archived=True)
        await eventually(lambda: bot.get_channel(thread.id) is None, "THREAD_UPDATE")
        reply = await fake.response_to(await start_game(fake, alice, thread, topic="places"))
        assert reply.ephemeral and "archived or locked" in reply.content
        assert bot.games.in_channel(thread.id) is None


# The game loop still logs a refused post as a crash (an ERROR with its traceback); what is
# checked here is that nothing a player was told is lost and the game ends.
async def test_losing_send_messages_in_threads_mid_game_keeps_locked_in_answers(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    async with quiz_bot(fake, tmp_path) as bot:
        thread = await fake.add_thread(fake.channel, "quiz night", owner=alice)
        mark = fake.mark()
        await fake.response_to(await start_game(fake, alice, thread, topic="places", questions=2))
        question = await wait_message(fake, mark, title="Question 1/2", channel=thread)
        live = bot.games.in_channel(thread.id)
        assert live is not None
        assert (await click_and_read(fake, alice, question, 0)).startswith("Locked in")
        assert (await click_and_read(fake, bob, question, 1)).startswith("Locked in")
        # A moderator takes the bot's right to post in threads while the round is open.
        await fake.set_permissions(fake.channel, fake.bot_user, deny=SEND_MESSAGES_IN_THREADS)
        cut = fake.mark()
        await advance(bot, 20)
        await wait_game_over(bot, live.game_id)
        refused = fake.calls("POST", rf"/channels/{thread.id}/messages", after=cut)
        assert refused and all(c.status == 403 for c in refused)
        rows = await bot.store.answers.for_game(live.game_id)
        assert sorted(r.user_id for r in rows) == sorted([alice.id, bob.id])
        game = await bot.store.games.get(live.game_id)
        assert game is not None and game.status == "aborted"
        assert bot.games.in_channel(thread.id) is None


async def test_classic_game_reads_answers_typed_in_a_forum_post(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    forum = fake.add_forum("quizzes")
    async with quiz_bot(fake, tmp_path) as bot:
        post = await fake.forum_post(forum, "Typed quiz", alice, "Type your answers here")
        mark = fake.mark()
        await fake.response_to(
            await start_game(fake, alice, post, topic="leaders", questions=1, mode="classic")
        )
        await wait_message(fake, mark, title="Question 1/1", channel=post)
        live = bot.games.in_channel(post.id)
        assert live is not None and live.engine.question is not None
        # The same words typed in the main channel are not an answer to the post's game.
        await fake.say(alice, fake.channel, live.engine.question.answer)
        await fake.say(alice, post, live.engine.question.answer)
        win = await wait_message(fake, mark, content="got it", channel=post)
        assert "alice" in win["content"]
        await wait_game_over(bot, live.game_id)
        rows = await bot.store.answers.for_game(live.game_id)
        assert [(r.user_id, r.correct) for r in rows] == [(alice.id, True)]
