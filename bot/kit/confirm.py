"""Confirm and Cancel buttons for a destructive action, expiring on the bot's injected clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.core.clock import Clock
from bot.kit import limits
from bot.kit.replies import apologise

log = logging.getLogger(__name__)

Choice = Callable[[discord.Interaction, bool], Awaitable[None]]

_TIMERS: set[asyncio.Task[None]] = set()


def cancel_timers() -> None:
    """Cancel every confirmation timer still running (the bot is closing)."""
    for task in list(_TIMERS):
        task.cancel()


class ConfirmView(discord.ui.View):
    """Confirm and Cancel buttons that only the invoker may press; expiry is driven externally."""

    def __init__(self, owner_id: int, on_choice: Choice, confirm_label: str = "Confirm") -> None:
        # No built-in timeout: the owner expires the view with the bot's injected clock.
        super().__init__(timeout=None)
        self.owner_id = owner_id
        self.on_choice = on_choice
        self.choice: bool | None = None
        self.confirm.label = limits.label(confirm_label)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse everyone but the invoker, privately."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can answer this.", ephemeral=True
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Log a failed confirmation and tell the user, privately."""
        log.error("confirmation %s failed", getattr(item, "label", "?"), exc_info=error)
        await apologise(interaction)

    def disable(self) -> None:
        """Grey out both buttons and stop listening."""
        self.confirm.disabled = True
        self.cancel.disabled = True
        self.stop()

    def expire_after(
        self, clock: Clock, seconds: float, show_expired: Callable[[], Awaitable[None]]
    ) -> asyncio.Task[None]:
        """Start a timer on `clock` that expires the prompt unless answered; return its task."""

        async def expire() -> None:
            await clock.sleep(seconds)
            if self.choice is not None:
                return
            # Disabled first, so `show_expired` edits the prompt with the greyed-out buttons.
            self.disable()
            try:
                await show_expired()
            except discord.HTTPException as exc:
                log.info("could not mark a confirmation prompt as expired: %s", exc)

        task = asyncio.create_task(expire(), name=f"confirm-expiry-{self.owner_id}")
        # Held here until it ends: a task nobody references may be collected mid-sleep.
        _TIMERS.add(task)
        task.add_done_callback(_TIMERS.discard)
        return task

    async def _choose(self, interaction: discord.Interaction, yes: bool) -> None:
        if self.choice is not None:
            await interaction.response.send_message("Already answered.", ephemeral=True)
            return
        self.choice = yes
        self.disable()
        await self.on_choice(interaction, yes)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        """Go ahead."""
        await self._choose(interaction, True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        """Change nothing."""
        await self._choose(interaction, False)
