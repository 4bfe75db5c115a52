"""Embeds, buttons and the answer modal of personal `/practice` and `/review` sessions.

Session buttons are `DynamicItem`s whose custom_id names the player, the session and the action
(`quiz:learn:<user>:<session>:<question>:<action>`, action `c<N>` for option N, `type`, `skip`,
`next` or `end`); no id says which option is right, and a click meant for an earlier question
is recognised as stale. A click is handed to the cog registered under
`SESSION_COG`, so buttons on a message from an ended session get a clear answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

import discord

from bot.core.models import Bank, QuestionKind
from bot.core.practice import CurrentQuestion, PracticeOutcome, PracticeSummary
from bot.core.scoring import option_label
from bot.ui import limits
from bot.ui.learning import GuardedModal, track_modal
from bot.ui.replies import apologise

log = logging.getLogger(__name__)

SESSION_COG = "Review"
LEARN_TEMPLATE = (
    r"quiz:learn:(?P<user>[0-9]{1,20}):(?P<sid>[0-9a-f]{1,16}):(?P<n>[0-9]{1,3})"
    r":(?P<action>c[0-9]{1,2}|type|skip|next|end)"
)
ANSWER_MAX = 200
COLOUR_QUESTION = discord.Colour.blurple()
COLOUR_RIGHT = discord.Colour.green()
COLOUR_WRONG = discord.Colour.red()
COLOUR_DONE = discord.Colour.gold()
NOT_YOURS = "These buttons belong to someone else's session. Start your own with `/practice`."
ENDED = "This session has ended. Start a new one with `/practice` or `/review`."

TextHandler = Callable[[discord.Interaction, str], Awaitable[None]]


class SessionHandler(Protocol):
    """What the session cog does with a click."""

    async def on_session_action(
        self, interaction: discord.Interaction, session_id: str, number: int, action: str
    ) -> None: ...


def kind_title(kind: str) -> str:
    """Return 'Practice' or 'Review'."""
    return "Review" if kind == "review" else "Practice"


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
        """Hand the click to the session cog."""
        handler: SessionHandler | None = interaction.client.get_cog(SESSION_COG)  # type: ignore[attr-defined]
        if handler is None:
            await interaction.response.send_message(ENDED, ephemeral=True)
            return
        try:
            await handler.on_session_action(interaction, self.session_id, self.number, self.action)
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


def question_embed(
    kind: str, current: CurrentQuestion, bank: Bank, score: PracticeSummary
) -> discord.Embed:
    """Return the open question of a session, its options listed under it."""
    q = current.question
    lines = [q.prompt]
    opts = current.options
    if opts and _lettered(current):
        lines.append("")
        lines += [f"**{option_label(i)}** · {limits.cut(o, 200)}" for i, o in enumerate(opts)]
    elif not opts:
        lines += ["", "Press **Type answer** to reply."]
    embed = discord.Embed(
        title=f"{kind_title(kind)} · question {current.number}/{current.total}",
        description="\n".join(lines),
        colour=COLOUR_QUESTION,
    )
    topic = bank.topics.get(q.topic, q.topic)
    embed.set_footer(text=f"{bank.title} · {topic} · {score.correct}/{score.answered} right so far")
    return limits.fit_embed(embed)


def _lettered(current: CurrentQuestion) -> bool:
    """Tell whether options are shown with letters (true/false needs none)."""
    return bool(current.options) and current.question.kind is not QuestionKind.TRUE_FALSE


def question_view(user_id: int, session_id: str, current: CurrentQuestion) -> discord.ui.View:
    """Return the answer buttons: one per option, or Type answer; then Skip and End."""
    view = discord.ui.View(timeout=None)
    n = current.number
    opts = current.options
    primary = discord.ButtonStyle.primary
    if opts:
        for i, text in enumerate(opts[:10]):
            label = f"{option_label(i)} · {text}" if _lettered(current) else text
            view.add_item(LearnButton(user_id, session_id, n, f"c{i}", label, primary, row=i // 5))
    else:
        view.add_item(LearnButton(user_id, session_id, n, "type", "Type answer", primary, row=0))
    view.add_item(LearnButton(user_id, session_id, n, "skip", "Skip", row=2))
    danger = discord.ButtonStyle.danger
    view.add_item(LearnButton(user_id, session_id, n, "end", "End", danger, row=2))
    return view


def _given(outcome: PracticeOutcome, typed: str | None) -> str | None:
    if outcome.match.how == "skipped":
        return None
    if outcome.choice_index is not None:
        opts = outcome.question.choices or ("True", "False")
        if 0 <= outcome.choice_index < len(opts):
            return opts[outcome.choice_index]
    return typed


def outcome_embed(
    kind: str,
    outcome: PracticeOutcome,
    bank: Bank,
    *,
    typed: str | None = None,
    next_review: datetime | None = None,
    number: int = 1,
    total: int = 1,
) -> discord.Embed:
    """Return the verdict on one answer with the right answer, the explanation and the source."""
    skipped = outcome.match.how == "skipped"
    if skipped:
        title, colour = "⏭️ Skipped", COLOUR_WRONG
    elif outcome.correct:
        title, colour = "✅ Right!", COLOUR_RIGHT
    else:
        title, colour = "❌ Not quite", COLOUR_WRONG
    q = outcome.question
    lines = [f"*{limits.cut(q.prompt, 500)}*", ""]
    given = _given(outcome, typed)
    if given is not None:
        lines.append(f"Your answer: **{limits.quoted(given, 200)}**")
    lines.append(f"Answer: **{limits.escape(limits.cut(outcome.expected, 300))}**")
    if outcome.correct and not outcome.match.exact:
        lines.append("Accepted with a small difference; the exact answer is shown above.")
    if outcome.explanation:
        lines += ["", outcome.explanation]
    embed = discord.Embed(
        title=f"{title} · {number}/{total}", description="\n".join(lines), colour=colour
    )
    embed.add_field(name="Source", value=f"Paragraph {outcome.paragraph} · {bank.title}")
    if next_review is not None:
        embed.add_field(name="Next review", value=f"<t:{int(next_review.timestamp())}:R>")
    embed.set_footer(text=f"{kind_title(kind)} session")
    return limits.fit_embed(embed)


def outcome_view(user_id: int, session_id: str, number: int, *, last: bool) -> discord.ui.View:
    """Return Next (or See results) and End, for the answered question `number`."""
    view = discord.ui.View(timeout=None)
    label = "See results" if last else "Next"
    primary, danger = discord.ButtonStyle.primary, discord.ButtonStyle.danger
    view.add_item(LearnButton(user_id, session_id, number, "next", label, primary))
    if not last:
        view.add_item(LearnButton(user_id, session_id, number, "end", "End", danger))
    return view


def summary_embed(
    kind: str,
    summary: PracticeSummary,
    bank: Bank,
    *,
    next_review: datetime | None = None,
    ended_early: bool = False,
) -> discord.Embed:
    """Return the end-of-session score, per topic, and when the next review is due."""
    share = f" ({summary.share_correct:.0%})" if summary.answered else ""
    lines = [f"You got **{summary.correct}** of **{summary.answered}** right{share}."]
    if ended_early and summary.answered < summary.total:
        lines.append(f"Ended after {summary.answered} of {summary.total} questions.")
    if summary.topics:
        lines.append("")
        lines += [
            f"• {bank.topics.get(t.topic, t.topic)}: {t.correct}/{t.answered}"
            for t in summary.topics
        ]
    if next_review is not None:
        lines += ["", f"Your next review is due <t:{int(next_review.timestamp())}:R>: `/review`."]
    embed = discord.Embed(
        title=f"{kind_title(kind)} finished",
        description=limits.lines_within(lines, limits.EMBED_DESCRIPTION),
        colour=COLOUR_DONE,
    )
    embed.set_footer(text=bank.title)
    return limits.fit_embed(embed)


def expired_embed(kind: str, idle_minutes: int) -> discord.Embed:
    """Return the message a session shows once it idled out."""
    return discord.Embed(
        title=f"{kind_title(kind)} ended",
        description=(
            f"This session ended after {idle_minutes} minutes without an answer. "
            "Start again with `/practice` or `/review`."
        ),
        colour=COLOUR_DONE,
    )


def caught_up_text(next_review: datetime | None) -> str:
    """Return the reply when a review has nothing to ask."""
    if next_review is None:
        return "You're all caught up: there is nothing to review here yet."
    return f"You're all caught up; next review <t:{int(next_review.timestamp())}:R>."
