"""Embeds of personal `/practice` and `/review` sessions: question, verdict, summary, expiry."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.core.models import Bank, QuestionKind
from bot.core.practice import CurrentQuestion, PracticeOutcome, PracticeSummary
from bot.core.scoring import option_label
from bot.kit import limits
from bot.kit.names import add_background, bank_title, plain_bank_title, plain_topic_name, topic_name

COLOUR_QUESTION = discord.Colour.blurple()
COLOUR_RIGHT = discord.Colour.green()
COLOUR_WRONG = discord.Colour.red()
COLOUR_DONE = discord.Colour.gold()
ENDED = "This session has ended. Start a new one with `/practice` or `/review`."


def kind_title(kind: str) -> str:
    """Return 'Practice' or 'Review'."""
    return "Review" if kind == "review" else "Practice"


def question_embed(
    kind: str, current: CurrentQuestion, bank: Bank, score: PracticeSummary
) -> discord.Embed:
    """Return the open question of a session, its options listed under it."""
    q = current.question
    lines = [limits.bank_text(q.prompt, 1500)]
    opts = current.options
    if opts and lettered(current):
        lines.append("")
        lines += [f"**{option_label(i)}** · {limits.bank_text(o, 200)}" for i, o in enumerate(opts)]
    elif not opts:
        lines += ["", "Press **Type answer** to reply."]
    embed = discord.Embed(
        title=f"{kind_title(kind)} · question {current.number}/{current.total}",
        description="\n".join(lines),
        colour=COLOUR_QUESTION,
    )
    topic = plain_topic_name(bank, q.topic, 80)
    title = plain_bank_title(bank, 120)
    embed.set_footer(text=f"{title} · {topic} · {score.correct}/{score.answered} right so far")
    return limits.fit_embed(embed)


def lettered(current: CurrentQuestion) -> bool:
    """Tell whether options are shown with letters (true/false needs none)."""
    return bool(current.options) and current.question.kind is not QuestionKind.TRUE_FALSE


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
    lines = [f"*{limits.bank_text(q.prompt, 500)}*", ""]
    given = _given(outcome, typed)
    if given is not None:
        lines.append(f"Your answer: **{limits.quoted(given, 200)}**")
    lines.append(f"Answer: **{limits.escape(limits.cut(outcome.expected, 300))}**")
    if outcome.correct and not outcome.match.exact:
        lines.append("Accepted with a small difference; the exact answer is shown above.")
    if outcome.explanation:
        lines += ["", limits.bank_text(outcome.explanation, 2000)]
    embed = discord.Embed(
        title=f"{title} · {number}/{total}", description="\n".join(lines), colour=colour
    )
    add_background(embed, q)
    embed.add_field(name="Source", value=f"{q.source} · {bank_title(bank, 200)}")
    if next_review is not None:
        embed.add_field(name="Next review", value=f"<t:{int(next_review.timestamp())}:R>")
    embed.set_footer(text=f"{kind_title(kind)} session")
    return limits.fit_embed(embed)


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
            f"• {topic_name(bank, t.topic, 80)}: {t.correct}/{t.answered}" for t in summary.topics
        ]
    if next_review is not None:
        lines += ["", f"Your next review is due <t:{int(next_review.timestamp())}:R>: `/review`."]
    embed = discord.Embed(
        title=f"{kind_title(kind)} finished",
        description=limits.lines_within(lines, limits.EMBED_DESCRIPTION),
        colour=COLOUR_DONE,
    )
    embed.set_footer(text=plain_bank_title(bank, 200))
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
