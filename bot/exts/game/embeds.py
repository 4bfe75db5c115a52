"""Embeds and texts of channel games: start, question, hint, reveal, podium, topics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import discord

from bot.core.models import Bank
from bot.core.scoring import RoundResult, Standings, option_label
from bot.kit import limits
from bot.kit.names import add_background, bank_title, plain_bank_title, topic_name

COLOUR_QUESTION = discord.Colour.blurple()
COLOUR_RIGHT = discord.Colour.green()
COLOUR_NONE = discord.Colour.orange()
COLOUR_END = discord.Colour.gold()
BAR_WIDTH = 10
MEDALS = ("🥇", "🥈", "🥉")
STANDINGS_SHOWN = 10


def relative_time(when: datetime) -> str:
    """Return a Discord timestamp that each client shows as 'in 20 seconds'."""
    return f"<t:{int(when.timestamp())}:R>"


def topic_label(bank: Bank, topic: str | None) -> str:
    """Return a topic's readable name, escaped (its slug when the bank has none)."""
    return topic_name(bank, topic, 200)


def start_embed(
    *,
    starter: str,
    bank: Bank,
    topic: str | None,
    count: int,
    mode: str,
    seconds: int,
) -> discord.Embed:
    """Return the announcement of a new game."""
    how = (
        "Press a button to lock in your answer; you can't change it."
        if mode == "buttons"
        else "Type your answer in this channel; the first right answer wins the round."
    )
    embed = discord.Embed(
        title=f"Quiz: {bank_title(bank, 200)}",
        description=f"{how}\nFaster right answers earn more points; streaks add a bonus.",
        colour=COLOUR_QUESTION,
    )
    embed.add_field(name="Topic", value=topic_label(bank, topic))
    embed.add_field(name="Questions", value=str(count))
    embed.add_field(name="Time", value=f"{seconds} s per question")
    embed.set_footer(text=f"Started by {limits.plain_name(starter)} · /quiz stop ends it")
    return limits.fit_embed(embed)


def question_embed(
    *,
    bank: Bank,
    index: int,
    total: int,
    topic: str,
    prompt: str,
    options: Sequence[str],
    deadline_at: datetime,
    classic: bool,
    closed: bool = False,
) -> discord.Embed:
    """Return the embed of one question, with a live countdown (or 'closed')."""
    lines = [limits.bank_text(prompt, 1500)]
    if options:
        lines.append("")
        lines += [
            f"**{option_label(i)}**  {limits.bank_text(o, 200)}" for i, o in enumerate(options)
        ]
    embed = discord.Embed(
        title=f"Question {index + 1}/{total}",
        description="\n".join(lines),
        colour=discord.Colour.dark_grey() if closed else COLOUR_QUESTION,
    )
    embed.add_field(name="Topic", value=topic_label(bank, topic))
    when = "Closed" if closed else f"Closes {relative_time(deadline_at)}"
    embed.add_field(name="Time", value=when)
    how = "Type your answer in the chat" if classic else "One answer each, no changes"
    embed.set_footer(text=f"{how} · {plain_bank_title(bank, 120)}")
    return limits.fit_embed(embed)


def hint_text(hint: str, number: int, total: int = 2) -> str:
    """Return the hint message for a classic-mode question."""
    # Inline code keeps the mask's underscores from turning into markdown.
    safe = limits.cut(hint, 300).replace("`", "'")
    return f"💡 Hint {number}/{total}: `{safe}`"


def bar(share: float, width: int = BAR_WIDTH) -> str:
    """Return a bar of `width` blocks filled to `share` (0..1)."""
    filled = max(0, min(width, round(share * width)))
    return "█" * filled + "░" * (width - filled)


def distribution_lines(counts: Sequence[int], correct_index: int | None) -> list[str]:
    """Return one 'A ████░░░░ 40%' line per option; the right option is marked."""
    total = sum(counts)
    lines = []
    for i, n in enumerate(counts):
        share = n / total if total else 0.0
        mark = " ✅" if i == correct_index else ""
        lines.append(f"`{option_label(i)} {bar(share)} {round(share * 100):>3}%` ({n}){mark}")
    return lines


def winner_text(name: str, guess: str, answer: str, exact: bool) -> str:
    """Return the chat line for the first right guess, with the exact form when lenient."""
    who = limits.name(name)
    line = f"✅ {who} got it: **{limits.escape(limits.cut(answer, 200))}**"
    if not exact:
        line += f" (accepted '{limits.quoted(guess)}' as {limits.escape(limits.cut(answer, 200))})"
    return limits.content(line)


def reveal_embed(result: RoundResult, bank: Bank, *, classic: bool) -> discord.Embed:
    """Return the reveal of a closed round: answer, why, where, distribution, fastest, points."""
    q = result.question
    if result.skipped:
        lead, colour = "Skipped: no points for this one.\n\n", COLOUR_NONE
    elif result.correct_count:
        lead, colour = "", COLOUR_RIGHT
    else:
        lead, colour = "Nobody got it.\n\n", COLOUR_NONE
    embed = discord.Embed(
        title=limits.cut(f"Answer: {result.answer}", limits.EMBED_TITLE),
        description=lead + limits.bank_text(result.explanation, 2000),
        colour=colour,
    )
    add_background(embed, q)
    embed.add_field(name="Source", value=f"{q.source} of the article")
    if result.option_counts:
        lines = distribution_lines(result.option_counts, q.correct_index)
        embed.add_field(name="Answers", value="\n".join(lines), inline=False)
    elif not result.skipped:
        summary = f"{result.correct_count} right, {result.wrong_count} wrong"
        embed.add_field(name="Answers", value=summary)
    if result.fastest is not None:
        fast = result.fastest
        embed.add_field(name="Fastest", value=f"{limits.name(fast.name)} · {fast.seconds:.1f} s")
    scored = sorted((e for e in result.entries if e.points > 0), key=lambda e: -e.points)
    if scored:
        lines = [f"{limits.name(e.name)} **+{e.points}**" for e in scored]
        embed.add_field(name="Points", value=limits.lines_within(lines, 1000), inline=False)
    elif not result.skipped:
        embed.add_field(name="Points", value="No points this round", inline=False)
    mode = "classic" if classic else "buttons"
    embed.set_footer(text=f"Question {result.index + 1}/{result.total} · {mode} · {q.id}")
    return limits.fit_embed(embed)


def standings_lines(standings: Standings, limit: int = STANDINGS_SHOWN) -> list[str]:
    """Return 'rank. name — points (right/answered)' lines for the top players."""
    return [
        f"{r.rank}. {limits.name(r.name)} — **{r.points}** ({r.correct}/{r.answered} right)"
        for r in standings.rows[:limit]
    ]


def end_embed(standings: Standings, *, stopped_by: str | None = None) -> discord.Embed:
    """Return the final podium and standings."""
    title = "Game stopped" if stopped_by else "Final results"
    embed = discord.Embed(title=f"🏁 {title}", colour=COLOUR_END)
    podium = [
        f"{MEDALS[r.rank - 1]} {limits.name(r.name)} — **{r.points}**"
        for r in standings.rows
        if r.rank <= len(MEDALS) and r.points > 0
    ][:3]
    played = f"{standings.rounds_played}/{standings.total_rounds} questions played"
    if stopped_by:
        played += f" · stopped by {limits.name(stopped_by)}"
    embed.description = "\n".join([*(podium or ["Nobody scored this time."]), "", played])
    if standings.rows:
        value = limits.lines_within(standings_lines(standings), 1000)
        embed.add_field(name="Standings", value=value, inline=False)
    embed.set_footer(text="All-time scores: /leaderboard")
    return limits.fit_embed(embed)


ABORTED_TEXT = "⚠️ This game ended because of an error. Answers given so far are kept."


def topics_embed(banks: Mapping[str, Bank]) -> discord.Embed:
    """Return every bank with its topics and question counts."""
    embed = discord.Embed(title="Topics", colour=COLOUR_QUESTION)
    if not banks:
        embed.description = "No question banks are loaded."
        return embed
    for slug, bank in sorted(banks.items())[: limits.EMBED_FIELDS]:
        counts: dict[str, int] = {}
        for q in bank.questions:
            counts[q.topic] = counts.get(q.topic, 0) + 1
        lines = [f"`{t}` {topic_name(bank, t, 80)} ({counts[t]})" for t in sorted(counts)]
        name = f"{bank_title(bank, 180)} [{slug}] · {len(bank.questions)} questions"
        embed.add_field(name=name, value=limits.lines_within(lines, 1000), inline=False)
    embed.set_footer(text="Start one: /quiz start topic:<topic>")
    return limits.fit_embed(embed)
