"""Embeds of `/ask`: the facts that answer a question, each with its paragraph and bank."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.kit import limits
from bot.kit.names import bank_title
from bot.services.ask import AskAnswer

COLOUR_ASK = discord.Colour.teal()
NOT_IN_ARTICLE = "The article does not say."


def ask_embed(question: str, answers: Sequence[AskAnswer]) -> discord.Embed:
    """Return the facts that answer a question, each with its paragraph and bank title."""
    embed = discord.Embed(
        title="What the article says",
        description=f"You asked: *{limits.quoted(question, 300)}*",
        colour=COLOUR_ASK,
    )
    for answer in answers:
        fact = answer.fact
        value = limits.bank_text(fact.statement, 600)
        if fact.explanation and fact.explanation != fact.statement:
            value += f"\n-# {limits.bank_text(fact.explanation, 400)}"
        embed.add_field(
            name=f"Paragraph {fact.paragraph} · {bank_title(answer.bank, 200)}",
            value=limits.cut(value, limits.FIELD_VALUE),
            inline=False,
        )
    return limits.fit_embed(embed)


def too_long_question(length: int, limit: int) -> str:
    """Return the message for a question over the length limit."""
    return (
        f"Please keep questions to {limit} characters (yours has {length}). Ask something shorter."
    )
