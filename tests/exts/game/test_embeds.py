"""Game embeds and choices: bars, podium, winner line, topics and bank resolution."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.quizharness import TEST_BANK

from bot.core.bank import load_bank_text
from bot.core.scoring import StandingRow, Standings
from bot.exts.game import embeds as ui
from bot.kit import limits
from bot.services.catalog import UnknownChoiceError, bank_choices, resolve, topic_choices

BANK = load_bank_text(TEST_BANK)


def test_bar_and_distribution() -> None:
    assert ui.bar(0.4) == "████░░░░░░"
    assert ui.bar(0) == "░" * 10 and ui.bar(1.5) == "█" * 10
    lines = ui.distribution_lines([2, 0, 3, 0], correct_index=2)
    assert lines[0] == "`A ████░░░░░░  40%` (2)"
    assert lines[2] == "`C ██████░░░░  60%` (3) ✅"
    assert ui.distribution_lines([0, 0], None) == [
        "`A ░░░░░░░░░░   0%` (0)",
        "`B ░░░░░░░░░░   0%` (0)",
    ]


def test_winner_text_shows_the_exact_form_only_when_lenient() -> None:
    assert ui.winner_text("bob", "vucic", "Aleksandar Vučić", exact=True) == (
        "✅ bob got it: **Aleksandar Vučić**"
    )
    lenient = ui.winner_text("a_b", "Vucic", "Aleksandar Vučić", exact=False)
    assert lenient == "✅ a\\_b got it: **Aleksandar Vučić** (accepted 'Vucic' as Aleksandar Vučić)"
    assert len(ui.winner_text("n" * 500, "g" * 500, "a" * 500, exact=False)) <= limits.CONTENT


def test_end_embed_podium_with_ties() -> None:
    rows = (
        StandingRow(1, 1, "ann", 900, 1, 1, 1),
        StandingRow(1, 2, "ben", 900, 1, 1, 1),
        StandingRow(3, 3, "cy", 500, 1, 1, 1),
        StandingRow(4, 4, "dee", 0, 0, 1, 0),
    )
    embed = ui.end_embed(Standings(rows, 2, 3, True), stopped_by="boss")
    assert embed.title == "🏁 Game stopped"
    assert embed.description == (
        "🥇 ann — **900**\n🥇 ben — **900**\n🥉 cy — **500**\n\n"
        "2/3 questions played · stopped by boss"
    )
    assert embed.fields[0].value.splitlines()[-1] == "4. dee — **0** (0/1 right)"


def test_question_embed_countdown() -> None:
    when = datetime(2026, 1, 1, 12, 0, 20, tzinfo=UTC)
    q = BANK.questions[0]
    embed = ui.question_embed(
        bank=BANK, index=2, total=10, topic=q.topic, prompt=q.prompt, options=q.choices,
        deadline_at=when, classic=False,
    )  # fmt: skip
    assert embed.title == "Question 3/10"
    assert embed.fields[0].value == "Places"
    assert embed.fields[1].value == f"Closes <t:{int(when.timestamp())}:R>"
    assert "**B**  Belgrade" in (embed.description or "")


def test_resolve_bank_and_topic() -> None:
    banks = {"test-bank": BANK}
    assert resolve(banks, None, None) == (BANK, None)
    assert resolve(banks, None, "Places") == (BANK, "places")
    assert resolve(banks, "A small test bank", "leaders") == (BANK, "leaders")
    with pytest.raises(UnknownChoiceError, match="Unknown topic 'x'"):
        resolve(banks, None, "x")
    with pytest.raises(UnknownChoiceError, match="No question banks"):
        resolve({}, None, None)


def test_choices_for_autocomplete() -> None:
    banks = {"test-bank": BANK}
    assert topic_choices(banks, "") == [
        ("Claims (1 questions)", "claims"),
        ("Leaders (2 questions)", "leaders"),
        ("Places (3 questions)", "places"),
    ]
    assert topic_choices(banks, "lead") == [("Leaders (2 questions)", "leaders")]
    assert bank_choices(banks, "small") == [("A small test bank (6 questions)", "test-bank")]
    assert bank_choices(banks, "zzz") == []


def test_topics_embed_lists_counts() -> None:
    embed = ui.topics_embed({"test-bank": BANK})
    assert embed.fields[0].name == "A small test bank [test-bank] · 6 questions"
    assert embed.fields[0].value.splitlines() == [
        "`claims` Claims (1)",
        "`leaders` Leaders (2)",
        "`places` Places (3)",
    ]
