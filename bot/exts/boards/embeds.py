"""Leaderboard and `/stats` embeds."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.core.models import Bank
from bot.kit import limits
from bot.kit.names import bank_title, plain_topic_name, topic_name
from bot.pictures import BoardCard, BoardRow, Progress, TopicProgress, WeekReviews
from bot.services.boards import BoardLine, BoardPage, BoardQuery, PlayerOverview

COLOUR_BOARD = discord.Colour.gold()
COLOUR_STATS = discord.Colour.blurple()
MEDALS = ("🥇", "🥈", "🥉")
MASTERY_BAR = 8


def board_card(page: BoardPage, scope: str = "") -> BoardCard:
    """Return the picture of a points board page: the same lines as its text, drawn."""

    def row(line: BoardLine) -> BoardRow:
        you = line.user_id == page.query.owner_id
        return BoardRow(line.rank, line.name, line.points, line.accuracy, you=you)

    return BoardCard(
        title=f"Leaderboard · {page.period_label}",
        rows=[row(line) for line in page.lines],
        scope=scope,
        caller=row(page.caller) if page.caller is not None else None,
        page=page.query.page + 1,
        pages=page.pages,
        players=page.total_players,
    )


def progress(name: str, overview: PlayerOverview, banks: Mapping[str, Bank]) -> Progress:
    """Return what the /stats chart shows: mastery per topic, reviews per week."""
    topics = [
        TopicProgress(plain_topic_name(m.bank, t.topic, 40), t.facts, t.mastered, t.seen)
        for m in overview.mastery
        for t in m.topics
    ]
    weeks = [WeekReviews(start, count) for start, count in overview.weekly_reviews]
    return Progress(name=name, topics=topics, weeks=weeks)


def _rank(line: BoardLine) -> str:
    return MEDALS[line.rank - 1] if line.rank <= len(MEDALS) else f"`#{line.rank}`"


def board_line(line: BoardLine, rank_by: str, *, you: bool = False) -> str:
    """Return one player's line: rank, name, then points and accuracy, or facts learned."""
    # A player known only from reviews may have no stored name: a mention shows it, pinging nobody.
    unnamed = line.name == str(line.user_id)
    name = f"<@{line.user_id}>" if unnamed else f"**{limits.name(line.name, 40)}**"
    if rank_by == "facts":
        text = f"{_rank(line)} {name} — {line.facts} fact{'s' if line.facts != 1 else ''} learned"
    else:
        games = f"{line.games} game{'s' if line.games != 1 else ''}"
        text = (
            f"{_rank(line)} {name} — {line.points:,} pts · {line.accuracy:.0%} right · {games}"
            f" · best streak {line.best_streak}"
        )
    return text + (" ← you" if you else "")


def board_embed(page: BoardPage, scope: str = "") -> discord.Embed:
    """Return one page of a leaderboard, with the owner's own line under it when off the page."""
    query = page.query
    heading = "Facts learned" if query.rank_by == "facts" else "Leaderboard"
    lines = [f"*{scope}*", ""] if scope else []
    lines += [board_line(x, query.rank_by, you=x.user_id == query.owner_id) for x in page.lines]
    if page.caller is not None:
        lines += ["⋯", board_line(page.caller, query.rank_by, you=True)]
    embed = discord.Embed(
        title=f"🏆 {heading} · {page.period_label}",
        description=limits.lines_within(lines, limits.EMBED_DESCRIPTION),
        colour=COLOUR_BOARD,
    )
    players = f"{page.total_players} player{'s' if page.total_players != 1 else ''}"
    embed.set_footer(text=f"Page {query.page + 1}/{page.pages} · {players}")
    return limits.fit_embed(embed)


def empty_board_text(query: BoardQuery, scope: str = "") -> str:
    """Return the friendly reply for a board with nobody on it."""
    where = f" ({scope})" if scope else ""
    if query.rank_by == "facts":
        when = "this week" if query.period == "week" else "yet"
        return (
            f"Nobody has learned a fact {when}{where}. Play with `/quiz start` or study with "
            "`/review` to get on the board!"
        )
    when = " this week" if query.period == "week" else ""
    return f"No scores{when}{where} yet. Start a game with `/quiz start` to get on the board!"


def _bar(share: float) -> str:
    filled = round(share * MASTERY_BAR)
    return "▰" * filled + "▱" * (MASTERY_BAR - filled)


def stats_embed(name: str, overview: PlayerOverview, banks: Mapping[str, Bank]) -> discord.Embed:
    """Return a player's game results and learning progress."""
    embed = discord.Embed(title=f"📊 Stats · {limits.name(name, 80)}", colour=COLOUR_STATS)
    stats = overview.stats
    if stats is None:
        embed.description = "No games played on this server yet: `/quiz start` to play one."
    else:
        embed.add_field(name="Points", value=f"{stats.points:,}")
        embed.add_field(name="Games", value=str(stats.games))
        right = f"{stats.accuracy:.0%} ({stats.correct}/{stats.answers})"
        embed.add_field(name="Accuracy", value=right)
        embed.add_field(name="Best streak", value=str(stats.best_streak))
        topic_lines = [
            f"• {_topic_label(banks, topic)}: {t.points:,} pts"
            f" · {t.accuracy:.0%} ({t.correct}/{t.answers})"
            for topic, t in stats.by_topic.items()
        ]
        if topic_lines:
            embed.add_field(
                name="By topic",
                value=limits.lines_within(topic_lines, limits.FIELD_VALUE),
                inline=False,
            )
    for mastery in overview.mastery:
        lines = [
            f"• {topic_name(mastery.bank, t.topic, 80)}: {_bar(t.share_mastered)} "
            f"{t.share_mastered:.0%} mastered ({t.mastered}/{t.facts})"
            + (f" · {t.due} due" if t.due else "")
            for t in mastery.topics
        ]
        if lines:
            embed.add_field(
                name=f"Learning · {bank_title(mastery.bank, 200)}",
                value=limits.lines_within(lines, limits.FIELD_VALUE),
                inline=False,
            )
    days = overview.day_streak
    review = f"{overview.due} fact{'s' if overview.due != 1 else ''} due now"
    if overview.due:
        review += ": `/review`"
    elif overview.next_due is not None:
        review += f"; next <t:{int(overview.next_due.timestamp())}:R>"
    embed.add_field(name="Review", value=review, inline=False)
    streak = f"{days} day{'s' if days != 1 else ''}" + (" 🔥" if days >= 3 else "")
    embed.add_field(name="Day streak", value=streak)
    embed.set_footer(text="Mastered: answered in free text, stable for a week and not overdue.")
    return limits.fit_embed(embed)


def scope_label(banks: Mapping[str, Bank], query: BoardQuery) -> str:
    """Return the readable filters of a board ('Topic: … · Bank: …'), empty for none."""
    bank = banks.get(query.bank) if query.bank else None
    parts: list[str] = []
    if query.topic:
        parts.append(f"Topic: {_topic_label(banks, query.topic, bank)}")
    if query.bank:
        parts.append(f"Bank: {bank_title(bank) if bank else limits.name(query.bank)}")
    return " · ".join(parts)


def _topic_label(banks: Mapping[str, Bank], topic: str, first: Bank | None = None) -> str:
    """Return a topic's name from `first`, else from the first bank (by slug) that names it."""
    for bank in [*([first] if first else []), *(banks[slug] for slug in sorted(banks))]:
        if topic in bank.topics:
            return topic_name(bank, topic, 80)
    return limits.name(topic, 80)
