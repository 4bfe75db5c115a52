"""Buttons of a channel game: restart-proof `DynamicItem`s that name game, round and option."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from bot.client import quiz_bot
from bot.core.scoring import option_label
from bot.kit import limits
from bot.kit.replies import SOMETHING_WRONG
from bot.kit.report import report_button
from bot.services.live import Click, ClickStatus

log = logging.getLogger(__name__)

ANSWER_TEMPLATE = r"quiz:a:(?P<game>[0-9]{1,20}):(?P<q>[0-9]{1,3}):(?P<opt>[0-9]{1,2})"

CLICK_TEXT = {
    ClickStatus.LOCKED: "Locked in: {label}",
    ClickStatus.RETRY: "Not quite: try again.",
    ClickStatus.DUPLICATE: "You already answered: {label}",
    ClickStatus.CLOSED: "This question is closed.",
    ClickStatus.ENDED: "This game has ended.",
    ClickStatus.INVALID: "That is not an option of this question.",
    ClickStatus.TOO_LONG: "That answer is too long.",
    ClickStatus.ELSEWHERE: "That button belongs to a game in another channel.",
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
            games = quiz_bot(interaction).games
            user = interaction.user
            click = games.click(
                self.game_id, self.index, self.option, user.id, user.display_name,
                interaction.channel_id,
            )  # fmt: skip
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
