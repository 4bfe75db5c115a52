"""Discord's limits on what a bot sends, which the fake enforces with Discord's 400 answer.

Messages (content, embeds, components), modals and their text inputs, autocomplete results,
and application command registration. A body that breaks one gets 400/50035 Invalid Form Body.
"""

from __future__ import annotations

import re
from typing import Any

from support.fakediscord.payloads import walk_components

# Component and command types the checks look at.
TEXT_INPUT, LABEL = 4, 18
CHAT_INPUT, SUB_COMMAND, SUB_COMMAND_GROUP = 1, 1, 2
_NAME = re.compile(r"[-_'\w]{1,32}")


class DiscordError(Exception):
    """An error the fake answers with Discord's JSON error shape."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        #: For a 429: the seconds Discord asks the client to wait.
        self.retry_after: float | None = None


def invalid(reason: str) -> DiscordError:
    return DiscordError(400, 50035, f"Invalid Form Body: {reason}")


def check_len(value: str | None, limit: int, what: str) -> int:
    size = len(value or "")
    if size > limit:
        raise invalid(f"{what} is {size} characters, more than {limit}")
    return size


def check_message_limits(body: dict[str, Any]) -> None:
    """Refuse a message body the way Discord does when it breaks a length or count limit."""
    check_len(body.get("content"), 2000, "content")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise invalid(f"{len(embeds)} embeds, more than 10")
    total = 0
    for embed in embeds:
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise invalid(f"{len(fields)} embed fields, more than 25")
        total += check_len(embed.get("title"), 256, "embed title")
        total += check_len(embed.get("description"), 4096, "embed description")
        total += check_len((embed.get("footer") or {}).get("text"), 2048, "embed footer")
        total += check_len((embed.get("author") or {}).get("name"), 256, "embed author")
        for f in fields:
            total += check_len(f.get("name"), 256, "embed field name")
            total += check_len(f.get("value"), 1024, "embed field value")
    if total > 6000:
        raise invalid(f"embeds hold {total} characters, more than 6000")
    check_component_limits(body.get("components") or [])


def check_component_limits(rows: list[dict[str, Any]]) -> None:
    """Refuse components that break Discord's row, button, select or custom_id limits."""
    if len(rows) > 5:
        raise invalid(f"{len(rows)} component rows, more than 5")
    for row in rows:
        if row.get("type") == 1 and len(row.get("components") or []) > 5:
            raise invalid("more than 5 components in one row")
    for comp in walk_components(rows):
        if "custom_id" in comp and not 1 <= len(comp["custom_id"]) <= 100:
            raise invalid(f"custom_id {comp['custom_id']!r} is not 1-100 characters")
        if comp.get("type") == 2:
            check_len(comp.get("label"), 80, "button label")
        options = comp.get("options") or []
        if len(options) > 25:
            raise invalid(f"{len(options)} select options, more than 25")
        for option in options:
            for key in ("label", "value", "description"):
                check_len(option.get(key), 100, f"select option {key}")


def check_modal_limits(modal: dict[str, Any]) -> None:
    """Refuse a modal whose title, number of inputs or text inputs Discord would reject."""
    check_len(modal.get("title"), 45, "modal title")
    count = len(modal.get("components") or [])
    if not 1 <= count <= 5:
        raise invalid(f"a modal needs 1-5 components, not {count}")
    for comp in walk_components(modal.get("components") or []):
        if "custom_id" in comp and not 1 <= len(comp["custom_id"]) <= 100:
            raise invalid(f"custom_id {comp['custom_id']!r} is not 1-100 characters")
        if comp.get("type") == LABEL:
            check_len(comp.get("label"), 45, "label")
            check_len(comp.get("description"), 100, "label description")
        elif comp.get("type") == TEXT_INPUT:
            _check_text_input(comp)


def _check_text_input(comp: dict[str, Any]) -> None:
    check_len(comp.get("label"), 45, "text input label")
    check_len(comp.get("placeholder"), 100, "text input placeholder")
    check_len(comp.get("value"), 4000, "text input value")
    low, high = comp.get("min_length"), comp.get("max_length")
    if low is not None and not 0 <= low <= 4000:
        raise invalid(f"text input min_length {low} is not 0-4000")
    if high is not None and not 1 <= high <= 4000:
        raise invalid(f"text input max_length {high} is not 1-4000")
    if low is not None and high is not None and low > high:
        raise invalid(f"text input min_length {low} is more than its max_length {high}")
    if comp.get("style", 1) not in (1, 2):
        raise invalid(f"text input style {comp.get('style')!r} is not 1 or 2")


def check_autocomplete_choices(choices: list[dict[str, Any]]) -> None:
    """Refuse autocomplete results Discord rejects: over 25, a name not 1-100, a value over 100."""
    if len(choices) > 25:
        raise invalid(f"{len(choices)} autocomplete choices, more than 25")
    for choice in choices:
        _check_choice(choice, "autocomplete choice")


def _check_choice(choice: dict[str, Any], what: str) -> None:
    name = choice.get("name") or ""
    if not 1 <= len(name) <= 100:
        raise invalid(f"{what} name {name!r} is not 1-100 characters")
    value = choice.get("value")
    if isinstance(value, str):
        check_len(value, 100, f"{what} value")


def check_command_payloads(commands: list[dict[str, Any]]) -> None:
    """Refuse a command registration Discord rejects (names, descriptions, option counts...)."""
    chat = [c for c in commands if c.get("type", CHAT_INPUT) == CHAT_INPUT]
    if len(chat) > 100:
        raise invalid(f"{len(chat)} slash commands, more than 100")
    seen: set[tuple[str, int]] = set()
    for cmd in commands:
        kind = cmd.get("type", CHAT_INPUT)
        key = (cmd.get("name") or "", kind)
        if key in seen:
            raise invalid(f"command name {key[0]!r} is used twice")
        seen.add(key)
        if kind == CHAT_INPUT:
            _check_option_like(cmd, "command")
        else:
            check_len(cmd.get("name"), 32, "context menu name")
        text = _text_size(cmd)
        if text > 4000:
            raise invalid(f"/{cmd.get('name')} holds {text} characters of text, more than 4000")


def _check_option_like(item: dict[str, Any], what: str) -> None:
    name = item.get("name") or ""
    if not _NAME.fullmatch(name) or name != name.lower():
        raise invalid(f"{what} name {name!r} is not 1-32 lowercase letters, digits, - or _")
    description = item.get("description") or ""
    if not 1 <= len(description) <= 100:
        raise invalid(f"{what} {name!r} description is not 1-100 characters")
    options = item.get("options") or []
    if len(options) > 25:
        raise invalid(f"{what} {name!r} has {len(options)} options, more than 25")
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        raise invalid(f"{what} {name!r} has two options with the same name")
    optional_seen = False
    for option in options:
        _check_option_like(option, "option")
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            continue
        if option.get("required"):
            if optional_seen:
                raise invalid(f"required option {option['name']!r} comes after an optional one")
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            raise invalid(f"option {option['name']!r} has {len(choices)} choices, more than 25")
        for choice in choices:
            _check_choice(choice, "choice")


def _text_size(item: dict[str, Any]) -> int:
    """Count what Discord counts against a command's 4000 characters: names, descriptions,
    choice names and values, all the way down."""
    size = len(item.get("name") or "") + len(item.get("description") or "")
    for choice in item.get("choices") or []:
        size += len(choice.get("name") or "") + len(str(choice.get("value") or ""))
    return size + sum(_text_size(o) for o in item.get("options") or [])
