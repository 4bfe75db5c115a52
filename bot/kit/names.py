"""Names that come from question banks, made safe to show: cut, and unable to ping or format.

A server's imported bank is untrusted text: its title and topic names are escaped like player
names wherever they are shown (masked links, mentions, `@here`, markdown). Footers and labels,
which render no markdown, take the plain forms.
"""

from __future__ import annotations

import discord

from bot.core.models import BACKGROUND_HEADING, Bank, Question
from bot.kit import limits


def bank_title(bank: Bank, limit: int = 100) -> str:
    """Return a bank's title for markdown text (descriptions, field values and names)."""
    return limits.name(bank.title, limit)


def plain_bank_title(bank: Bank, limit: int = 100) -> str:
    """Return a bank's title for a footer or a label (no markdown there)."""
    return limits.plain_name(bank.title, limit)


def topic_name(bank: Bank, topic: str | None, limit: int = 100) -> str:
    """Return a topic's readable name (its slug when the bank names none) for markdown text."""
    if topic is None:
        return "All topics"
    return limits.name(bank.topics.get(topic, topic), limit)


def plain_topic_name(bank: Bank, topic: str, limit: int = 100) -> str:
    """Return a topic's readable name for a footer or a label."""
    return limits.plain_name(bank.topics.get(topic, topic), limit)


def add_background(embed: discord.Embed, question: Question) -> None:
    """Add a question's background, set apart after its explanation, when it has any."""
    if question.background:
        embed.add_field(
            name=BACKGROUND_HEADING, value=limits.bank_text(question.background, 1000), inline=False
        )
