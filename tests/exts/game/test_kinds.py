"""Every kind of question plays end to end on (fake) Discord: shown, answered, revealed, stored.

The bank is a small self-written article with one question of each kind (tests/data/kinds):
option kinds are played in a buttons game, the typed ones (fill-in, number) in a classic game.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    buttons_of,
    click_and_read,
    fields_of,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)

from bot.core.bank import load_bank
from bot.core.models import BACKGROUND_HEADING, QuestionKind

KINDS = Path(__file__).resolve().parents[2] / "data" / "kinds"
OPTION_KINDS = {k for k in QuestionKind if k not in (QuestionKind.FILL, QuestionKind.NUMERIC)}


def _questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions" / "harbour-festival"
    folder.mkdir(parents=True)
    for name in ("bank.yaml", "facts.yaml", "article.txt"):
        shutil.copy(KINDS / name, folder / name)
    return tmp_path / "questions"


def _bot_options(tmp_path: Path) -> dict[str, object]:
    return {"questions_dir": _questions_dir(tmp_path), "reveal_pause": 0}


async def test_every_option_kind_plays_with_buttons(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    bank = load_bank(KINDS / "bank.yaml")
    playable = [q for q in bank.questions if q.kind in OPTION_KINDS]
    count = len(playable)
    async with quiz_bot(fake, tmp_path, **_bot_options(tmp_path)) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, ana, questions=count, seconds=20))
        seen: Counter[QuestionKind] = Counter()
        live = None
        for n in range(1, count + 1):
            msg = await wait_message(fake, mark, title=f"Question {n}/{count}")
            live = bot.games.in_channel(fake.channel.id)
            assert live is not None and live.engine.question is not None
            question = live.engine.question
            seen[question.kind] += 1
            # Every option is on a button (cut to Discord's 80), in the order of the question.
            labels = [b["label"] for b in buttons_of(msg)]
            assert len(labels) == len(question.choices)
            right = question.correct_index
            assert right is not None
            mark = fake.mark()  # the reveal and the next question come from here on
            assert (await click_and_read(fake, ana, msg, right)).startswith("Locked in")
            if n == 1:  # later rounds close as soon as the game's only player has answered
                await advance(bot, 21)
            reveal = await wait_message(fake, mark, title="Answer:")
            embed = reveal["embeds"][0]
            assert embed["title"] == f"Answer: {question.answer}"
            assert question.explanation[:40] in embed["description"]
            fields = fields_of(embed)
            assert fields["Source"] == f"{question.source} of the article"
            if question.background:
                assert fields[BACKGROUND_HEADING] == question.background
            else:
                assert BACKGROUND_HEADING not in fields
        assert live is not None
        await wait_game_over(bot, live.game_id)
        rows = await bot.store.answers.for_game(live.game_id)
    assert set(seen) == OPTION_KINDS
    assert len(rows) == count and all(r.correct for r in rows)
    # The order item shows three facts; no other question of those facts came right after it.
    assert {QuestionKind.ORDER, QuestionKind.MATCH, QuestionKind.FACT_OPINION} <= set(seen)


async def test_fill_in_and_numbers_play_typed_in_classic_mode(
    fake_discord: FakeDiscord, tmp_path
) -> None:
    fake = fake_discord
    ana = fake.add_user("ana")
    async with quiz_bot(fake, tmp_path, **_bot_options(tmp_path)) as bot:
        typed: dict[QuestionKind, str] = {}
        bank = load_bank(KINDS / "bank.yaml")
        total = sum(not q.kind.needs_options for q in bank.questions)
        mark = fake.mark()
        await fake.response_to(
            await start_game(fake, ana, questions=total, mode="classic", seconds=30)
        )
        live = None
        for n in range(1, total + 1):
            await wait_message(fake, mark, title=f"Question {n}/{total}")
            live = bot.games.in_channel(fake.channel.id)
            assert live is not None and live.engine.question is not None
            question = live.engine.question
            assert not question.kind.needs_options  # classic never asks an ordering or a verdict
            # A right answer the article supports, in another form than the answer itself.
            guess = question.aliases[-1] if question.aliases else question.answer.replace(",", "")
            typed[question.kind] = guess
            mark = fake.mark()
            await fake.say(ana, fake.channel, guess)
            await wait_message(fake, mark, content="got it")
        assert live is not None
        await wait_game_over(bot, live.game_id)
        rows = await bot.store.answers.for_game(live.game_id)
    assert {QuestionKind.FILL, QuestionKind.NUMERIC} <= set(typed)
    assert len(rows) == total and all(r.correct for r in rows)
