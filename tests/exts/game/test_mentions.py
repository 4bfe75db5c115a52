"""Hostile names and chat never ping anyone and never break a message's limits."""

from __future__ import annotations

import json
from typing import Any

from support.fakediscord import FakeDiscord
from support.quizharness import (
    advance,
    click_and_read,
    fields_of,
    quiz_bot,
    start_game,
    wait_game_over,
    wait_message,
)

EVIL = "@everyone <@&123456789012345678> **bold** " + "Z" * 300


def _bot_payloads(fake: FakeDiscord) -> list[tuple[str, dict[str, Any]]]:
    """Return every message-carrying request body the bot sent."""
    out = []
    for call in fake.calls():
        body = call.json if isinstance(call.json, dict) else None
        if body is None:
            continue
        if call.path.endswith("/callback"):
            if body.get("type") in (4, 7) and body.get("data"):
                out.append((call.path, body["data"]))
        elif "/messages" in call.path or call.path.startswith("/webhooks/"):
            out.append((call.path, body))
    return out


async def test_everyone_in_names_and_chat_never_pings(fake_discord: FakeDiscord, tmp_path) -> None:
    fake = fake_discord
    evil = fake.add_user("evil", global_name=EVIL)
    host = fake.add_user("host")
    async with quiz_bot(fake, tmp_path) as bot:
        mark = fake.mark()
        await fake.response_to(await start_game(fake, evil, topic="places", questions=1))
        question = await wait_message(fake, mark, title="Question 1/1")
        live = bot.games.in_channel(fake.channel.id)
        assert live is not None and live.engine.question is not None
        right = live.engine.question.correct_index
        assert await click_and_read(fake, evil, question, right) == f"Locked in: {'ABCD'[right]}"
        await advance(bot, 20)
        reveal = await wait_message(fake, mark, title="Answer:")
        fastest = fields_of(reveal["embeds"][0])["Fastest"]
        assert fastest.startswith(
            "@\u200beveryone <@\u200b&123456789012345678> \\*\\*bold\\*\\* ZZ"
        )
        assert "…" in fastest and len(fastest) < 120
        await wait_message(fake, mark, title="🏁")
        await wait_game_over(bot, live.game_id)

        mark = fake.mark()
        started = start_game(fake, host, topic="leaders", questions=1, mode="classic")
        await fake.response_to(await started)
        await wait_message(fake, mark, title="Question 1/1")
        await fake.say(evil, fake.channel, "@everyone look here")  # a wrong guess: silent
        answer = bot.games.in_channel(fake.channel.id).engine.question.answer  # type: ignore[union-attr]
        typo = "Ilham Aliev" if answer.startswith("I") else "Aleksander Vucic"
        await fake.say(evil, fake.channel, typo)
        win = await wait_message(fake, mark, content="got it")
        assert win["content"].startswith(
            "✅ @\u200beveryone <@\u200b&123456789012345678> \\*\\*bold"
        )
        assert len(win["content"]) <= 2000
        assert win["mentions"] == []

    payloads = _bot_payloads(fake)
    assert len(payloads) >= 10
    for path, body in payloads:
        # Nothing is parsed: not users, not roles, not @everyone.
        assert body.get("allowed_mentions", {}).get("parse") == [], (path, body)
        text = json.dumps(body, ensure_ascii=False)
        assert "@everyone" not in text, (path, text[:300])
        assert "<@&" not in text, (path, text[:300])
