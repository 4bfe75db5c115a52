"""Discord's size limits, and helpers that cut text to fit them instead of being rejected.

Every text the bot sends goes through these helpers: a 300-character player name or a long
answer is shortened with an ellipsis, never refused by Discord with a 400.
"""

from __future__ import annotations

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_TEXT = 100
SELECT_OPTIONS = 25
MODAL_TITLE = 45
TEXT_INPUT_VALUE = 4000
CHOICE_NAME = 100
CHOICE_VALUE = 100
AUTOCOMPLETE_CHOICES = 25
# A name shown inside a sentence; long enough for any real display name (Discord allows 32).
NAME = 64
ELLIPSIS = "…"


def cut(text: object, limit: int) -> str:
    """Return the text shortened to at most `limit` characters, ending in … when cut."""
    value = "" if text is None else str(text)
    if limit <= 0:
        return ""
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + ELLIPSIS


def escape(text: object) -> str:
    """Return the text with markdown and mentions made harmless (for names and typed answers)."""
    value = "" if text is None else str(text)
    # Mentions first: escape_mentions inserts a zero-width space after the @.
    return discord.utils.escape_markdown(discord.utils.escape_mentions(value))


def name(text: object, limit: int = NAME) -> str:
    """Return a user-chosen name cut to `limit` and escaped so it can neither ping nor format."""
    raw = " ".join(("" if text is None else str(text)).split()) or "?"
    # Cut before escaping so the escape never gets split in half by the cut.
    return escape(cut(raw, limit))


def plain_name(text: object, limit: int = NAME) -> str:
    """Return a name for places without markdown (footers, labels): cut, mentions defused."""
    raw = " ".join(("" if text is None else str(text)).split()) or "?"
    return discord.utils.escape_mentions(cut(raw, limit))


def bank_text(text: object, limit: int) -> str:
    """Return text from a question bank (a prompt, an option, an explanation) cut and escaped.

    Imported banks are untrusted: their text can neither format, link nor mention. A blank
    (`_____`) shows as underscores instead of turning the rest of the line into italics.
    """
    return escape(cut(text, limit))


def quoted(text: object, limit: int = 100) -> str:
    """Return user-typed text cut and escaped for quoting inside a message."""
    return name(text, limit)


def content(text: object) -> str:
    """Return message content that fits in one message."""
    return cut(text, CONTENT)


def label(text: object) -> str:
    """Return a button label that fits (80)."""
    return cut(text, BUTTON_LABEL) or "?"


def select_text(text: object) -> str:
    """Return a select option label, value or description that fits (100)."""
    return cut(text, SELECT_TEXT) or "?"


def modal_title(text: object) -> str:
    """Return a modal title that fits (45)."""
    return cut(text, MODAL_TITLE) or "?"


def choice_name(text: object) -> str:
    """Return an autocomplete/choice name that fits (100)."""
    return cut(text, CHOICE_NAME) or "?"


def custom_id(*parts: object) -> str:
    """Join parts with ':' into a custom_id; raise ValueError if it would exceed 100 characters."""
    value = ":".join(str(p) for p in parts)
    if not 1 <= len(value) <= CUSTOM_ID:
        # A cut custom_id would route clicks to the wrong place, so refuse loudly instead.
        raise ValueError(f"custom_id must be 1-{CUSTOM_ID} characters, got {len(value)}")
    return value


def embed_length(embed: discord.Embed) -> int:
    """Return the characters Discord counts towards the 6000 total of an embed."""
    return len(embed)


def fit_embed(embed: discord.Embed, *, budget: int = EMBED_TOTAL) -> discord.Embed:
    """Cut every part of an embed to its limit and the whole to `budget`; return the embed."""
    if embed.title:
        embed.title = cut(embed.title, EMBED_TITLE)
    if embed.description:
        embed.description = cut(embed.description, EMBED_DESCRIPTION)
    if embed.author and embed.author.name:
        embed.set_author(
            name=cut(embed.author.name, AUTHOR),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    if embed.footer and embed.footer.text:
        embed.set_footer(text=cut(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    fields = embed.fields[:EMBED_FIELDS]
    embed.clear_fields()
    for f in fields:
        embed.add_field(
            name=cut(f.name, FIELD_NAME) or "\u200b",
            value=cut(f.value, FIELD_VALUE) or "\u200b",
            inline=bool(f.inline),
        )
    _shrink_to(embed, budget)
    return embed


def _shrink_to(embed: discord.Embed, budget: int) -> None:
    """Drop trailing fields, then shorten the description, until the embed fits `budget`."""
    while len(embed) > budget and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    over = len(embed) - budget
    if over > 0 and embed.description:
        embed.description = cut(embed.description, max(1, len(embed.description) - over))
    over = len(embed) - budget
    if over > 0 and embed.footer and embed.footer.text:
        embed.set_footer(text=cut(embed.footer.text, max(0, len(embed.footer.text) - over)))
    over = len(embed) - budget
    if over > 0 and embed.title:
        embed.title = cut(embed.title, max(1, len(embed.title) - over))


def fit_embeds(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """Fit a message's embeds: at most 10, and all together within 6000 characters."""
    kept = embeds[:EMBEDS_PER_MESSAGE]
    remaining = EMBED_TOTAL
    out: list[discord.Embed] = []
    for embed in kept:
        if remaining <= 0:
            break
        fit_embed(embed, budget=remaining)
        remaining -= len(embed)
        out.append(embed)
    return out


def lines_within(lines: list[str], limit: int, more: str = "… and {n} more") -> str:
    """Join whole lines up to `limit` characters, ending with a '… and N more' line if cut."""
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        extra = len(line) + (1 if out else 0)
        tail = more.format(n=len(lines) - i - 1)
        if used + extra + 1 + len(tail) > limit:
            out.append(more.format(n=len(lines) - i))
            break
        out.append(line)
        used += extra
    return cut("\n".join(out), limit)
