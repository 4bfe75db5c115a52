"""Errors whose message is shown to the user as is, and the wording shared by every command."""

from __future__ import annotations

from discord import app_commands

SERVER_ONLY = "Use this in a server channel."


class UserError(app_commands.AppCommandError):
    """A problem caused by the input or situation; its message is shown to the user as is."""


def sentence(text: str) -> str:
    """Return text starting with a capital and ending with a full stop."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
