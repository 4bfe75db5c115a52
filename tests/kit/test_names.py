"""Text from a bank — titles, topic names, prompts — can neither ping, link nor format."""

from __future__ import annotations

from bot.core.models import Bank
from bot.exts.game import embeds as game_embeds
from bot.kit import limits
from bot.kit.names import bank_title, plain_bank_title, plain_topic_name, topic_name

HOSTILE = Bank(
    slug="evil",
    title="[Free nitro](https://evil.example) @everyone **now**",
    source="upload",
    questions=(),
    topics={"t": "<@123456789012345678> @here _under_"},
)


def test_a_hostile_title_and_topic_are_escaped_where_markdown_renders() -> None:
    title = bank_title(HOSTILE)
    assert "\\[Free nitro]" in title  # no masked link
    assert "@\u200beveryone" in title and "\\*\\*now\\*\\*" in title
    topic = topic_name(HOSTILE, "t")
    assert "<@123456789012345678>" not in topic and "@\u200bhere" in topic
    assert "\\_under\\_" in topic
    assert topic_name(HOSTILE, None) == "All topics"


def test_footers_get_the_plain_forms_without_markdown_escapes() -> None:
    assert plain_bank_title(HOSTILE) == "[Free nitro](https://evil.example) @\u200beveryone **now**"
    assert "@\u200bhere" in plain_topic_name(HOSTILE, "t")


def test_bank_text_shows_blanks_as_underscores_and_links_as_text() -> None:
    assert limits.bank_text("President _____.", 100) == "President \\_\\_\\_\\_\\_."
    assert limits.bank_text("[x](https://a.example)", 100).startswith("\\[x]")


def test_the_game_embeds_use_them() -> None:
    [field] = game_embeds.topics_embed({"evil": HOSTILE}).fields
    assert field.name is not None and field.name.startswith("\\[Free nitro]")
    start = game_embeds.start_embed(
        starter="ana", bank=HOSTILE, topic="t", count=1, mode="buttons", seconds=20
    )
    assert start.title == "Quiz: " + bank_title(HOSTILE, 200)
    assert start.fields[0].value == topic_name(HOSTILE, "t", 200)
