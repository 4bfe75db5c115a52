"""Buttons, the answer modal and the click flow of personal `/practice` and `/review` sessions.

Session buttons are `DynamicItem`s whose custom_id names the player, the session and the action
(`quiz:learn:<user>:<session>:<question>:<action>`, action `c<N>` for option N, `type`, `skip`,
`next` or `end`); no id says which option is right, and a click meant for an earlier question
is recognised as stale. Buttons on a message from an ended session get a clear answer.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.client import QuizBot, quiz_bot
from bot.core.practice import CurrentQuestion, PracticeOutcome
from bot.core.scoring import option_label
from bot.exts.learning import embeds as ui
from bot.kit import limits
from bot.kit.modals import GuardedModal, track_modal
from bot.kit.replies import apologise, reply
from bot.services.sessions import LearnSession, SessionKind

log = logging.getLogger(__name__)

LEARN_TEMPLATE = (
    r"quiz:learn:(?P<user>[0-9]{1,20}):(?P<sid>[0-9a-f]{1,16}):(?P<n>[0-9]{1,3})"
    r":(?P<action>c[0-9]{1,2}|type|skip|next|end)"
)
ANSWER_MAX = 200
NOT_YOURS = "These buttons belong to someone else's session. Start your own with `/practice`."
UNREADABLE = "I couldn't read that answer. Type a word or a number and try again."
STALE = "That question has moved on; use the buttons on the latest message."
ANSWERED = "You already answered this one: press **Next**."
IN_PLAY = "A live game is asking about this fact right now: answer it once that round has closed."

TextHandler = Callable[[discord.Interaction, str], Awaitable[None]]


def learn_custom_id(user_id: int, session_id: str, number: int, action: str) -> str:
    """Return the custom_id of a session button for question `number` (1-based)."""
    return limits.custom_id("quiz", "learn", user_id, session_id, number, action)


class LearnButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=LEARN_TEMPLATE):
    """One button of a personal session; only its player may press it."""

    def __init__(  # noqa: PLR0917 - mirrors the custom_id's parts, then the look
        self,
        user_id: int,
        session_id: str,
        number: int,
        action: str,
        label: str = "?",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        self.user_id = user_id
        self.session_id = session_id
        self.number = number
        self.action = action
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=limits.label(label),
            style=style,
            custom_id=learn_custom_id(user_id, session_id, number, action),
            row=row,
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> LearnButton:
        """Rebuild the button from a click."""
        return cls(int(match["user"]), match["sid"], int(match["n"]), match["action"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Refuse everyone but the session's player, privately."""
        if interaction.user.id == self.user_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        """Answer, skip, open the text box, go on, or end, for the clicking player's session."""
        try:
            await on_action(
                quiz_bot(interaction), interaction, self.session_id, self.number, self.action
            )
        except Exception:
            log.exception("session button %s failed", self.action)
            await apologise(interaction)


class AnswerModal(GuardedModal):
    """A text box for a fill-in or numeric answer."""

    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Your answer",
        custom_id="answer",
        min_length=1,
        max_length=ANSWER_MAX,
    )

    def __init__(self, prompt: str, on_text: TextHandler) -> None:
        super().__init__(title=limits.modal_title("Type your answer"), timeout=None)
        self.answer.placeholder = limits.select_text(prompt)
        self.on_text = on_text
        track_modal(self)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Pass the typed text on."""
        await self.on_text(interaction, self.answer.value)


def question_view(user_id: int, session_id: str, current: CurrentQuestion) -> discord.ui.View:
    """Return the answer buttons: one per option, or Type answer; then Skip and End."""
    view = discord.ui.View(timeout=None)
    n = current.number
    opts = current.options
    primary = discord.ButtonStyle.primary
    if opts:
        for i, text in enumerate(opts[:10]):
            label = f"{option_label(i)} · {text}" if ui.lettered(current) else text
            view.add_item(LearnButton(user_id, session_id, n, f"c{i}", label, primary, row=i // 5))
    else:
        view.add_item(LearnButton(user_id, session_id, n, "type", "Type answer", primary, row=0))
    view.add_item(LearnButton(user_id, session_id, n, "skip", "Skip", row=2))
    danger = discord.ButtonStyle.danger
    view.add_item(LearnButton(user_id, session_id, n, "end", "End", danger, row=2))
    return view


def outcome_view(user_id: int, session_id: str, number: int, *, last: bool) -> discord.ui.View:
    """Return Next (or See results) and End, for the answered question `number`."""
    view = discord.ui.View(timeout=None)
    label = "See results" if last else "Next"
    primary, danger = discord.ButtonStyle.primary, discord.ButtonStyle.danger
    view.add_item(LearnButton(user_id, session_id, number, "next", label, primary))
    if not last:
        view.add_item(LearnButton(user_id, session_id, number, "end", "End", danger))
    return view


# -- the flow of a session ------------------------------------------------------------------
async def on_action(
    bot: QuizBot, interaction: discord.Interaction, session_id: str, number: int, action: str
) -> None:
    """Answer, skip, open the text box, go on, or end, for the clicking player's session."""
    sessions = bot.sessions
    session = sessions.get(interaction.user.id, session_id)
    current = session.current if session else None
    if session is None or (current is None and action != "next"):
        await reply(interaction, ui.ENDED)
        return
    if current is not None and current.number != number:
        await reply(interaction, STALE)
        return
    if action == "end":
        sessions.end(session.user_id)
        await show_summary(bot, interaction, session, ended_early=True)
    elif action == "next":
        if sessions.advance(session) is None:
            await show_summary(bot, interaction, session)
        else:
            await show_question(interaction, session)
    elif session.core.answered:
        await reply(interaction, ANSWERED)
    elif sessions.is_hidden(session):
        await reply(interaction, IN_PLAY)
    elif action == "type" and current is not None:
        on_text = functools.partial(_on_text, bot, session_id, number)
        await interaction.response.send_modal(AnswerModal(current.question.prompt, on_text))
    elif action == "skip":
        await show_outcome(interaction, session, await sessions.answer(session))
    else:
        outcome = await sessions.answer(session, choice=int(action[1:]))
        if not outcome.recorded:
            await reply(interaction, "That is not an option of this question.")
            return
        await show_outcome(interaction, session, outcome)


async def _on_text(
    bot: QuizBot, session_id: str, number: int, interaction: discord.Interaction, text: str
) -> None:
    """Judge a typed answer from the modal."""
    session = bot.sessions.get(interaction.user.id, session_id)
    current = session.current if session else None
    if session is None or current is None:
        await reply(interaction, ui.ENDED)
        return
    if current.number != number:
        await reply(interaction, STALE)
        return
    if session.core.answered:
        await reply(interaction, ANSWERED)
        return
    if bot.sessions.is_hidden(session):
        await reply(interaction, IN_PLAY)
        return
    outcome = await bot.sessions.answer(session, text=text)
    if not outcome.recorded:
        await reply(interaction, UNREADABLE)
        return
    await show_outcome(interaction, session, outcome, typed=text)


async def show_question(
    interaction: discord.Interaction, session: LearnSession, *, first: bool = False
) -> None:
    """Show the session's open question (a new private message for the first one)."""
    current = session.current
    if current is None:
        raise RuntimeError("the session has no open question")
    embed = ui.question_embed(session.kind, current, session.bank, session.summary())
    view = question_view(session.user_id, session.session_id, current)
    if first:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
    else:
        await interaction.response.edit_message(embed=embed, view=view)
    session.handle = interaction


async def show_outcome(
    interaction: discord.Interaction,
    session: LearnSession,
    outcome: PracticeOutcome,
    *,
    typed: str | None = None,
) -> None:
    """Show the verdict on an answer, with the explanation, in the session's message."""
    current = session.current
    if current is None:
        raise RuntimeError("the session has no open question")
    scheduled = session.scheduled.get(outcome.question.fact_id)
    next_review = scheduled.due if scheduled and session.kind is SessionKind.REVIEW else None
    embed = ui.outcome_embed(
        session.kind, outcome, session.bank, typed=typed, next_review=next_review,
        number=current.number, total=current.total,
    )  # fmt: skip
    last = current.number >= current.total
    view = outcome_view(session.user_id, session.session_id, current.number, last=last)
    await interaction.response.edit_message(embed=embed, view=view)
    session.handle = interaction


async def show_summary(
    bot: QuizBot,
    interaction: discord.Interaction,
    session: LearnSession,
    *,
    ended_early: bool = False,
) -> None:
    """Show the end of a session: the score, per topic, and when the next review is due."""
    next_review = await bot.cards.next_due(session.user_id, session.bank.slug)
    embed = ui.summary_embed(
        session.kind, session.summary(), session.bank, next_review=next_review,
        ended_early=ended_early,
    )  # fmt: skip
    await interaction.response.edit_message(embed=embed, view=None)
