"""`/leaderboard picture:true` and `/stats` as a person sees them: the attached pictures."""

from __future__ import annotations

from typing import Any

from support.fakediscord import FakeDiscord
from support.learnkit import Played, button_ids, review, seed_game
from support.pictures import bands, decode, save_screenshot
from support.quizharness import quiz_bot, wait_edit

from bot.core.review import Rating
from bot.exts.boards.cog import STATS_FILE
from bot.exts.boards.views import BOARD_FILE
from bot.pictures import canvas as palette
from bot.pictures.board import PAD, WIDTH

PROBE_X = WIDTH - PAD - 6  # inside every row, right of the figures: only the row fill


def _file_of(fake: FakeDiscord, message: dict[str, Any], name: str) -> bytes:
    """Return the bytes of the file `name` last uploaded for a message."""
    calls = [c for c in fake.calls() if c.files and (c.response or {}).get("id") == message["id"]]
    assert calls, f"no upload for message {message['id']}"
    [file] = [f for f in calls[-1].files if f.filename == name]
    return file.data


def _row_bands(png: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    image = decode(png)
    rows = sorted(
        bands(image, PROBE_X, palette.ROW_EVEN)
        + bands(image, PROBE_X, palette.ROW_ODD)
        + bands(image, PROBE_X, palette.HIGHLIGHT)
    )
    return rows, bands(image, PROBE_X, palette.HIGHLIGHT)


async def test_a_picture_board_highlights_the_caller_and_pages(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    players = [fake.add_user(f"player{i:02d}") for i in range(12)]
    me = players[-1]  # the fewest points: below the first page
    async with quiz_bot(fake, tmp_path) as bot:
        await seed_game(
            bot, fake.guild.id, [Played(p, True, 1000 - 50 * i) for i, p in enumerate(players)]
        )
        inter = await fake.slash(me, fake.channel, "leaderboard", {"picture": True})
        board = await fake.response_to(inter)
        assert board.message is not None and not board.ephemeral
        embed = board.embeds[0]
        assert embed["image"]["url"] == f"attachment://{BOARD_FILE}"
        assert "player00" in embed["description"]  # the text board stays
        rows, highlighted = _row_bands(_file_of(fake, board.message, BOARD_FILE))
        # Ten rows on the page, then the caller's own row under it, highlighted.
        assert len(rows) == 11 and highlighted == [rows[-1]]
        save_screenshot("leaderboard-discord.png", _file_of(fake, board.message, BOARD_FILE))

        forward = button_ids(board.message)[1]
        assert forward.endswith(":p")  # the picture is kept while paging
        page2 = await fake.response_to(await fake.click(me, board.message["id"], forward))
        assert page2.type == 6  # answered at once (deferred update), drawn after
        message = await wait_edit(
            fake,
            board.message["id"],
            lambda m: m["embeds"][0]["footer"]["text"].startswith("Page 2/2"),
        )
        rows, highlighted = _row_bands(_file_of(fake, message, BOARD_FILE))
        assert len(rows) == 2 and highlighted == [rows[-1]]  # on its page this time


async def test_stats_attach_a_progress_chart(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path) as bot:
        await review(bot, ana, "capital.choice", Rating.Good)
        await review(bot, ana, "president.fill", Rating.Again)
        stats = await fake.response_to(await fake.slash(ana, fake.channel, "stats", {}))
        assert stats.ephemeral and stats.message is not None
        assert stats.embeds[0]["image"]["url"] == f"attachment://{STATS_FILE}"
        png = _file_of(fake, stats.message, STATS_FILE)
        image = decode(png)
        assert image.width >= 400 and image.height >= 200
