"""Modals that answer a failed submit with an apology, and a bound on how many stay open."""

from __future__ import annotations

import logging
from collections import deque

import discord

from bot.kit.replies import apologise

log = logging.getLogger(__name__)

_MAX_OPEN_MODALS = 200

_open_modals: deque[discord.ui.Modal] = deque()


def track_modal(modal: discord.ui.Modal) -> None:
    """Remember an open modal; stop the oldest ones so dismissed modals cannot pile up."""
    _open_modals.append(modal)
    while len(_open_modals) > _MAX_OPEN_MODALS:
        _open_modals.popleft().stop()


class GuardedModal(discord.ui.Modal):
    """A modal that answers a failed submit with a short apology instead of silence."""

    async def on_error(  # type: ignore[override]  # a Modal's on_error has no item (discord.py)
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Log the failure and tell the user."""
        log.error("modal %s failed", type(self).__name__, exc_info=error)
        await apologise(interaction)
