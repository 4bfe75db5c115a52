"""Play a short game against the fake Discord and render what Discord received as Markdown.

`QUIZBOT_WRITE_TRANSCRIPT=1 .venv/bin/pytest tests/exts/game/test_transcript.py` rewrites
docs/transcript.md; without it the test plays the same game and checks the rendering.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.fakediscord import FakeDiscord, FakeUser
from support.quizharness import (
    advance,
    buttons_of,
    quiz_bot,
    wait_edit,
    wait_game_over,
    wait_message,
)

from bot.client import QuizBot

DOC = Path(__file__).resolve().parents[3] / "docs" / "transcript.md"
HEADER = """\
# A quiz game, as Discord received it

This transcript is generated, not written: `tests/exts/game/test_transcript.py` runs the real
bot against the fake Discord of the end-to-end tests (with a manual clock and the small test
bank of `tests/support/quizharness.py`) and renders every request the bot made. Regenerate it with
`QUIZBOT_WRITE_TRANSCRIPT=1 .venv/bin/pytest tests/exts/game/test_transcript.py`.

Players' actions are in **bold**; the bot's messages are quoted. "Only X sees this" marks an
ephemeral reply. `<t:…:R>` is a Discord timestamp that each client shows as "in 20 seconds".
"""


def _embed_lines(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if embed.get("title"):
        lines.append(f"**{embed['title']}**")
    if embed.get("description"):
        lines += embed["description"].splitlines()
    for f in embed.get("fields") or []:
        value = f["value"].splitlines()
        if len(value) == 1 and f.get("inline", False):
            lines.append(f"*{f['name']}:* {value[0]}")
        else:
            lines.append(f"*{f['name']}:*")
            lines += value
    if (embed.get("footer") or {}).get("text"):
        lines.append(f"<sub>{embed['footer']['text']}</sub>")
    return lines


def _message_lines(body: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if body.get("content"):
        lines += body["content"].splitlines()
    for embed in body.get("embeds") or []:
        if lines:
            lines.append("")
        lines += _embed_lines(embed)
    buttons = buttons_of(body)
    if buttons:
        shown = " ".join(
            f"[{b.get('label')}]" + (" (disabled)" if b.get("disabled") else "") for b in buttons
        )
        lines += ["", shown]
    return lines


def _quote(head: str, lines: list[str]) -> str:
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"{head}\n{body}\n"


@dataclass
class Transcript:
    """Drive the fake as players do and remember each action at its place among the calls."""

    fake: FakeDiscord
    entries: list[tuple[int, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def note(self, text: str) -> None:
        self.entries.append((self.fake.mark(), text))

    async def slash(self, user: FakeUser, name: str, **options: Any) -> None:
        shown = " ".join(f"{k}:{v}" for k, v in options.items())
        self.note(f"**{user.name}** runs `/{name}{' ' + shown if shown else ''}`")
        inter = await self.fake.slash(user, self.fake.channel, name, options)
        self.names[inter.token] = user.name
        await self.fake.response_to(inter)

    async def click(self, user: FakeUser, message: dict[str, Any], option: int) -> None:
        button = buttons_of(message)[option]
        self.note(f"**{user.name}** clicks [{button['label']}]")
        inter = await self.fake.click(user, message["id"], button["custom_id"])
        self.names[inter.token] = user.name
        await self.fake.response_to(inter)

    async def say(self, user: FakeUser, text: str) -> None:
        self.note(f"**{user.name}** types: {text}")
        await self.fake.say(user, self.fake.channel, text)

    def _bot_block(self, call: Any) -> str | None:
        body = call.json if isinstance(call.json, dict) else None
        if body is None or call.status >= 300:
            return None
        path = call.path
        if path.endswith("/callback"):
            if body.get("type") not in (4, 7):
                return None
            data = body.get("data") or {}
            token = path.split("/")[-2]
            if data.get("flags", 0) & 64:
                head = f"QuizBot (only {self.names.get(token, 'the player')} sees this):"
            else:
                head = "QuizBot updates the message:" if body["type"] == 7 else "QuizBot replies:"
            return _quote(head, _message_lines(data))
        if path.startswith("/webhooks/") and call.method == "POST":
            return _quote("QuizBot follows up:", _message_lines(body))
        if path.endswith("/messages") and call.method == "POST":
            return _quote("QuizBot posts:", _message_lines(body))
        if "/messages/" in path and call.method == "PATCH":
            return _quote("QuizBot edits its message:", _message_lines(body))
        return None

    def render(self) -> str:
        calls = self.fake.calls()
        actions = sorted(self.entries, key=lambda e: e[0])
        out = [HEADER]
        i = 0
        for index, call in enumerate(calls):
            while i < len(actions) and actions[i][0] <= index:
                out.append(actions[i][1] + "\n")
                i += 1
            block = self._bot_block(call)
            if block:
                out.append(block)
        out += [a[1] + "\n" for a in actions[i:]]
        return "\n".join(out)


async def play(fake: FakeDiscord, bot: QuizBot, t: Transcript) -> None:
    """A two-question buttons game with three players, then one classic question."""
    ana, ben, cy = fake.add_user("ana"), fake.add_user("ben"), fake.add_user("cy")
    mark = fake.mark()
    await t.slash(ana, "quiz start", topic="places", questions=2)
    q1 = await wait_message(fake, mark, title="Question 1/2")
    live = bot.games.in_channel(fake.channel.id)
    assert live is not None and live.engine.question is not None
    right = live.engine.question.correct_index or 0
    await t.click(ana, q1, right)
    await t.click(ana, q1, (right + 1) % 4)
    t.note("*4 seconds pass*")
    await advance(bot, 4)
    await t.click(ben, q1, right)
    await t.click(cy, q1, (right + 2) % 4)
    t.note("*16 seconds pass: time is up*")
    await advance(bot, 16)
    await wait_message(fake, mark, title="Answer:")
    await wait_edit(fake, q1["id"], lambda m: buttons_of(m)[0]["disabled"])
    t.note("*5 seconds pass*")
    mark = fake.mark()
    await advance(bot, 5)
    q2 = await wait_message(fake, mark, title="Question 2/2")
    right = live.engine.question.correct_index or 0
    await t.click(cy, q2, right)
    await t.click(ben, q2, (right + 1) % 4)
    await t.click(ana, q2, right)
    t.note("*everyone who played has answered: the round closes early*")
    await wait_message(fake, mark, title="🏁")
    await wait_game_over(bot, live.game_id)

    mark = fake.mark()
    await t.slash(ben, "quiz start", topic="leaders", questions=1, mode="classic", seconds=30)
    await wait_message(fake, mark, title="Question 1/1")
    live = bot.games.in_channel(fake.channel.id)
    assert live is not None and live.engine.question is not None
    t.note("*10 seconds pass*")
    await advance(bot, 10)
    await wait_message(fake, mark, content="Hint 1/2")
    await t.say(cy, "Ilham Aliyev" if live.engine.question.answer != "Ilham Aliyev" else "Vučić")
    mark = fake.mark()
    typo = "Aleksander Vucic" if "Vučić" in live.engine.question.answer else "Ilham Aliev"
    await t.say(ana, typo)
    await wait_message(fake, mark, content="got it")
    await wait_message(fake, mark, title="🏁")
    await wait_game_over(bot, live.game_id)


async def test_transcript(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    t = Transcript(fake)
    async with quiz_bot(fake, tmp_path) as bot:
        await play(fake, bot, t)
    text = t.render()
    for expected in (
        "**ana** runs `/quiz start topic:places questions:2`",
        "QuizBot (only ana sees this):\n> Locked in:",
        "> You already answered:",
        "> **Question 2/2**",
        "> *Fastest:* ana · 0.0 s",
        "> **🏁 Final results**",
        "> 💡 Hint 1/2:",
        "got it:",
        "(disabled)",
    ):
        assert expected in text, expected
    assert "@everyone" not in text
    if os.environ.get("QUIZBOT_WRITE_TRANSCRIPT") == "1":
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    elif DOC.exists():
        # The game is deterministic (seeded picks, manual clock), so the document must match.
        assert DOC.read_text(encoding="utf-8") == text, (
            "docs/transcript.md is stale: regenerate it with "
            "QUIZBOT_WRITE_TRANSCRIPT=1 .venv/bin/pytest tests/exts/game/test_transcript.py"
        )
