"""A classic game end to end: typed answers, lenient matches, rivals, hints and ignored chat."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    embed_title,
    fields_of,
    posted,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)

from bot.client import QuizBot
from bot.exts.game.cog import NO_CLASSIC


def _answer_of(bot: QuizBot, fake: FakeDiscord) -> str:
    live = bot.games.in_channel(fake.channel.id)
    assert live is not None and live.engine.question is not None
    return live.engine.question.answer


async def test_typo_accepted_rival_refused(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice, bob, carol = fake.add_user("alice"), fake.add_user("bob"), fake.add_user("carol")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        started = await start_game(fake, alice, topic="leaders", questions=2, mode="classic")
        await fake.response_to(started)
        q1 = await wait_message(fake, mark, title="Question 1/2")
        assert not q1.get("components")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None
        game_id = live.game_id
        # Play the president question first whatever the shuffle did.
        answers = {}
        for round_no in (1, 2):
            answer = _answer_of(bot, fake)
            answers[round_no] = answer
            here = fake.mark()
            if answer == "Aleksandar Vučić":
                before = len(posted(fake, here))
                await fake.say(bob, fake.channel, "Ilham Aliyev")  # the rival: refused, silent
                await fake.say(carol, fake.channel, "x" * 201)  # too long to be a guess
                await advance(bot, 3)
                guess = await fake.say(alice, fake.channel, "Aleksander Vucic")  # typo: accepted
                win = await wait_message(fake, here, content="got it")
                assert len(posted(fake, here)) == before + 1  # nothing for the wrong guesses
                assert win["content"] == (
                    "✅ alice got it: **Aleksandar Vučić** "
                    "(accepted 'Aleksander Vucic' as Aleksandar Vučić)"
                )
                assert embed_title(win) == "Answer: Aleksandar Vučić"
                fields = fields_of(win["embeds"][0])
                assert fields["Fastest"] == "alice · 3.0 s"
                assert fields["Points"] == "alice **+925**"
                call = next(c for c in fake.calls("POST") if c.response is win)
                assert str(call.json["message_reference"]["message_id"]) == guess["id"]
            else:
                await fake.say(bob, fake.channel, answer.upper())  # exact up to case
                win = await wait_message(fake, here, content="bob got it")
                assert win["content"] == f"✅ bob got it: **{answer}**"
            if round_no == 1:
                await advance(bot, 5)
                await wait_message(fake, mark, title="Question 2/2")
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, game_id)

        rows = await bot.store.answers.for_game(game_id)
        by_user = {(r.question_index, r.user_id): r for r in rows}
        pres = 1 if answers[1] == "Aleksandar Vučić" else 2
        rival = by_user[(pres - 1, bob.id)]
        assert (rival.correct, rival.points, rival.answer) == (False, 0, "Ilham Aliyev")
        winner = by_user[(pres - 1, alice.id)]
        assert (winner.correct, winner.points, winner.answer) == (True, 925, "Aleksander Vucic")
        assert (pres - 1, carol.id) not in by_user
        assert not fake.bot_errors


async def test_hints_then_timeout(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        started = start_game(fake, alice, topic="leaders", questions=1, mode="classic", seconds=30)
        await fake.response_to(await started)
        await wait_message(fake, mark, title="Question 1/1")
        answer = _answer_of(bot, fake)
        await advance(bot, 10)
        hint1 = await wait_message(fake, mark, content="Hint 1/2")
        await advance(bot, 10)
        hint2 = await wait_message(fake, mark, content="Hint 2/2")
        first = answer.split()[0]
        assert hint1["content"].startswith(f"💡 Hint 1/2: `{first[0]}{'_' * (len(first) - 1)} ")
        assert hint2["content"].count("_") < hint1["content"].count("_")
        # Messages from bots never count as guesses.
        helper = fake.add_user("helper-bot")
        helper.bot = True
        await fake.say(helper, fake.channel, answer)
        await advance(bot, 10)
        reveal = await wait_message(fake, mark, title="Answer:")
        assert reveal["embeds"][0]["description"].startswith("Nobody got it.")
        assert "got it" not in (reveal.get("content") or "")


async def test_reveal_without_reply_permission(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        started = start_game(fake, alice, topic="leaders", questions=1, mode="classic")
        await fake.response_to(await started)
        await wait_message(fake, mark, title="Question 1/1")
        # Replying needs Read Message History: Discord refuses the reply, the reveal still comes.
        fake.fail_next(
            "POST", rf"/channels/{fake.channel.id}/messages", status=400, code=160002,
            message="Cannot reply without permission to read message history",
        )  # fmt: skip
        await fake.say(alice, fake.channel, _answer_of(bot, fake))
        win = await wait_message(fake, mark, content="alice got it")
        posts = fake.calls("POST", rf"/channels/{fake.channel.id}/messages")
        at = next(i for i, c in enumerate(posts) if c.response is win)
        refused, sent = posts[at - 1], posts[at]
        assert refused.status == 400 and "message_reference" in refused.json
        assert sent.response is win and "message_reference" not in sent.json
        await wait_message(fake, mark, title="🏁")


async def test_without_the_message_content_intent_classic_is_refused_clearly(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    alice = fake.add_user("alice")
    async with quiz_bot(fake, tmp_path, message_content=False) as bot:
        assert not bot.intents.message_content
        refused = await fake.response_to(await start_game(fake, alice, mode="classic"))
        assert refused.ephemeral and refused.content == NO_CLASSIC
        assert bot.games.in_channel(fake.channel.id) is None
        started = await fake.response_to(await start_game(fake, alice, mode="buttons"))
        assert started.embeds and started.embeds[0]["title"].startswith("Quiz:")
