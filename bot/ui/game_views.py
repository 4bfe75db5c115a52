"""Buttons of a channel game (restart-proof `DynamicItem`s) and the confirmation view."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.core.scoring import option_label
from bot.services.live import Click, ClickStatus
from bot.ui import limits
from bot.ui.learning import report_button
from bot.ui.replies import SOMETHING_WRONG, apologise

if TYPE_CHECKING:
    from bot.core.clock import Clock

log = logging.getLogger(__name__)

Choice = Callable[[discord.Interaction, bool], Awaitable[None]]

ANSWER_TEMPLATE = r"quiz:a:(?P<game>[0-9]{1,20}):(?P<q>[0-9]{1,3}):(?P<opt>[0-9]{1,2})"

CLICK_TEXT = {
    ClickStatus.LOCKED: "Locked in: {label}",
    ClickStatus.DUPLICATE: "You already answered: {label}",
    ClickStatus.CLOSED: "This question is closed.",
    ClickStatus.ENDED: "This game has ended.",
    ClickStatus.INVALID: "That is not an option of this question.",
}


def click_text(click: Click) -> str:
    """Return the ephemeral reply to a button click."""
    return CLICK_TEXT[click.status].format(label=click.label)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ANSWER_TEMPLATE):
    """One option of a question; the id names game, question and option, never the right one."""

    def __init__(
        self, game_id: int, index: int, option: int, label: str = "?", disabled: bool = False
    ) -> None:
        self.game_id = game_id
        self.index = index
        self.option = option
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=limits.label(label),
            style=discord.ButtonStyle.primary if not disabled else discord.ButtonStyle.secondary,
            custom_id=limits.custom_id("quiz", "a", game_id, index, option),
            disabled=disabled,
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        """Rebuild the button from a click, also on a message sent before a restart."""
        label = getattr(item, "label", None) or "?"
        return cls(int(match["game"]), int(match["q"]), int(match["opt"]), label)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Lock in this option for the clicking player and tell them, privately."""
        try:
            games = interaction.client.games  # type: ignore[attr-defined]
            user = interaction.user
            click = games.click(self.game_id, self.index, self.option, user.id, user.display_name)
            text = click_text(click)
        except Exception:
            log.exception("answer click on game %s failed", self.game_id)
            text = SOMETHING_WRONG
        try:
            await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("could not acknowledge a click: %s", exc)


def option_button_label(index: int, text: str) -> str:
    """Return 'A · text' cut to a button label."""
    return limits.label(f"{option_label(index)} · {text}")


def question_view(
    game_id: int, index: int, options: Sequence[str], *, disabled: bool = False
) -> discord.ui.View:
    """Return the answer buttons of a question (none when answers are typed)."""
    view = discord.ui.View(timeout=None)
    for i, text in enumerate(options):
        button = AnswerButton(game_id, index, i, option_button_label(i, text), disabled=disabled)
        # Five buttons a row; questions have at most a handful of options.
        button.item.row = i // 5
        view.add_item(button)
    return view


def reveal_view(bank: str, question_id: str) -> discord.ui.View:
    """Return the reveal's view: the 🚩 button that reports a bad question."""
    view = discord.ui.View(timeout=None)
    view.add_item(report_button(bank, question_id))
    return view


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

        return asyncio.create_task(expire(), name=f"confirm-expiry-{self.owner_id}")

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
