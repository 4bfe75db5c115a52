"""Text limits: long names and answers are cut to fit Discord, never rejected."""

from __future__ import annotations

import discord
import pytest

from bot.kit import limits


def test_cut_keeps_short_text_and_marks_cut_text() -> None:
    assert limits.cut("abc", 3) == "abc"
    assert limits.cut("abcdef", 4) == "abc…"
    assert len(limits.cut("x" * 5000, limits.FIELD_VALUE)) == limits.FIELD_VALUE
    assert limits.cut(None, 5) == ""
    assert limits.cut("abc", 0) == ""


def test_name_is_cut_and_defused() -> None:
    name = limits.name("@everyone " + "Z" * 300)
    assert name.startswith("@\u200beveryone ZZ")
    assert name.endswith("…")
    assert len(name) <= limits.NAME + 1  # one zero-width space from the escape
    assert limits.name("**bold** _x_") == "\\*\\*bold\\*\\* \\_x\\_"
    assert limits.name("  ") == "?"
    assert limits.plain_name("@here **x**") == "@\u200bhere **x**"


def test_custom_id_refuses_to_be_cut() -> None:
    assert limits.custom_id("quiz", "a", 1, 2, 3) == "quiz:a:1:2:3"
    with pytest.raises(ValueError, match="custom_id"):
        limits.custom_id("x" * 101)


def test_labels_and_titles_fit() -> None:
    assert len(limits.label("y" * 200)) == limits.BUTTON_LABEL
    assert len(limits.modal_title("y" * 200)) == limits.MODAL_TITLE
    assert len(limits.select_text("y" * 200)) == limits.SELECT_TEXT
    assert limits.label("") == "?"


def test_fit_embed_respects_every_limit() -> None:
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    embed.set_footer(text="f" * 3000)
    embed.set_author(name="a" * 300)
    for i in range(30):
        embed.add_field(name=f"n{i}" * 200, value="v" * 2000)
    limits.fit_embed(embed)
    assert len(embed.title or "") <= limits.EMBED_TITLE
    assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
    assert len(embed.footer.text or "") <= limits.FOOTER
    assert len(embed.author.name or "") <= limits.AUTHOR
    assert len(embed.fields) <= limits.EMBED_FIELDS
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert len(embed) <= limits.EMBED_TOTAL


def test_fit_embeds_share_the_total() -> None:
    embeds = [discord.Embed(description="d" * 4000) for _ in range(12)]
    fitted = limits.fit_embeds(embeds)
    assert len(fitted) <= limits.EMBEDS_PER_MESSAGE
    assert sum(len(e) for e in fitted) <= limits.EMBED_TOTAL


def test_lines_within_ends_with_a_count() -> None:
    lines = [f"line {i:03d}" for i in range(200)]
    text = limits.lines_within(lines, 100)
    assert len(text) <= 100
    kept = text.splitlines()
    assert kept[-1] == f"… and {200 - (len(kept) - 1)} more"
    assert limits.lines_within(["a", "b"], 100) == "a\nb"
