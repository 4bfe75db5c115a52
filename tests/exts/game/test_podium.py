"""A server game ends on a podium picture, attached to the final message beside the text."""

from __future__ import annotations

from support.fakediscord import FakeDiscord
from support.pictures import decode, save_screenshot, wants_screenshots
from support.quizharness import (
    advance,
    buttons_of,
    click_and_read,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)

from bot.exts.game.presenter import PODIUM_FILE


async def test_the_final_message_carries_the_podium(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    ana, bo = fake.add_user("Ана"), fake.add_user("Bəxtiyar")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, ana, topic="places", questions=1))
        question = await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None and live.engine.question is not None
        right = live.engine.question.choices.index(live.engine.question.answer)
        assert await click_and_read(fake, ana, question, right) == f"Locked in: {'ABCD'[right]}"
        assert buttons_of(question)
        await click_and_read(fake, bo, question, (right + 1) % 4)
        await advance(bot, 20)
        final = await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, live.game_id)

    # The text standings stay, for screen readers; the picture is the embed's image.
    embed = final["embeds"][0]
    assert "Ана" in embed["description"]
    assert embed["image"]["url"] == f"attachment://{PODIUM_FILE}"
    call = next(c for c in fake.calls("POST", rf"/channels/{fake.channel.id}/messages")
                if c.response is final)  # fmt: skip
    [file] = call.files
    assert file.filename == PODIUM_FILE
    image = decode(file.data)
    if wants_screenshots():
        save_screenshot("podium-game.png", file.data)
    assert image.width >= 600 and image.height >= 300
    assert len(file.data) < 1024 * 1024  # far within Discord's attachment limit


async def test_without_attach_files_the_standings_go_out_as_text(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path) as bot:
        fake.fail_next(
            "POST", rf"/channels/{fake.channel.id}/messages", status=403, code=50013,
            message="Missing Permissions", when=lambda call: bool(call.files),
        )  # fmt: skip
        mark = fake.mark()
        await fake.response_to(await start_game(fake, ana, topic="places", questions=1))
        await wait_message(fake, mark, title="Question 1/1")
        await advance(bot, 20)
        final = await wait_message(fake, mark, title="🏁")
        live_id = 1
        await wait_game_over(bot, live_id)
        assert "image" not in final["embeds"][0]
        game = await bot.store.games.get(live_id)
        assert game is not None and game.status == "finished"
