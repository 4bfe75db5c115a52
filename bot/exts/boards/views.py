"""The ◀ ▶ page buttons of a leaderboard, and turning its pages.

Page buttons are `DynamicItem`s that carry the whole query in their custom_id
(`quiz:lb:<owner>:<page>:<period>:<rank_by>:<topic>:<bank>`), so paging keeps working after a
restart and needs no timer; only the player who asked may turn the pages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

import discord

from bot.client import QuizBot, quiz_bot
from bot.exts.boards import embeds as ui
from bot.kit import limits, pictures
from bot.kit.refs import match_ref, short_ref
from bot.kit.replies import apologise
from bot.pictures import leaderboard_png
from bot.services.boards import PERIODS, RANK_BY, BoardPage, BoardQuery

log = logging.getLogger(__name__)

PAGE_TEMPLATE = (
    r"quiz:lb:(?P<owner>[0-9]{1,20}):(?P<page>[0-9]{1,5}):(?P<period>all|week)"
    r":(?P<rank_by>points|facts):(?P<topic>[^:]*):(?P<bank>[^:]*)(?::(?P<picture>p))?"
)
NOT_YOURS = "Only the person who asked can turn these pages. Use `/leaderboard` for your own."
BOARD_FILE = "leaderboard.png"


def page_custom_id(query: BoardQuery, page: int) -> str:
    """Return the custom_id of a button that shows `page` of the query's board."""
    parts: list[object] = [
        "quiz", "lb", query.owner_id, page, query.period, query.rank_by,
        short_ref(query.topic), short_ref(query.bank),
    ]  # fmt: skip
    if query.picture:
        parts.append("p")
    return limits.custom_id(*parts)


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PAGE_TEMPLATE):
    """◀ or ▶ of a leaderboard; the custom_id holds the query and the page to show."""

    def __init__(
        self, query: BoardQuery, label: str = "▶", disabled: bool = False, custom_id: str = ""
    ) -> None:
        self.query = query
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label,
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id or page_custom_id(query, query.page),
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
    ) -> PageButton:
        """Rebuild the query from a click; hashed topic or bank names are looked up again."""
        banks = await quiz_bot(interaction).catalog.ready(interaction.guild_id)
        topics = {t for b in banks.values() for t in b.topic_names()}
        # The template admits only these values; looked up so the query stays typed.
        period = next(p for p in PERIODS if p == match["period"])
        rank_by = next(r for r in RANK_BY if r == match["rank_by"])
        query = BoardQuery(
            owner_id=int(match["owner"]),
            period=period,
            rank_by=rank_by,
            topic=match_ref(match["topic"], topics),
            bank=match_ref(match["bank"], banks),
            page=int(match["page"]),
            picture=bool(match["picture"]),
        )
        return cls(query, getattr(item, "label", None) or "▶", custom_id=match.group(0))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Let only the player who asked turn the pages."""
        if interaction.user.id == self.query.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the page this button points to."""
        try:
            await show_page(quiz_bot(interaction), interaction, self.query)
        except Exception:
            log.exception("leaderboard page %s failed", self.query.page)
            await apologise(interaction)


def board_view(page: BoardPage) -> discord.ui.View | None:
    """Return ◀ ▶ for a board longer than one page (None otherwise)."""
    if page.pages <= 1:
        return None
    query, current, last = page.query, page.query.page, page.pages - 1
    previous = replace(query, page=max(0, current - 1))
    following = replace(query, page=min(last, current + 1))
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(previous, "◀", disabled=current == 0))
    view.add_item(PageButton(following, "▶", disabled=current >= last))
    return view


async def show_page(bot: QuizBot, interaction: discord.Interaction, query: BoardQuery) -> None:
    """Show another page of a board in the same message (as a picture when it was one)."""
    if query.picture:
        await interaction.response.defer()  # drawing takes a moment: answer Discord first
    page = await bot.boards.page(interaction.guild_id or 0, query)
    scope = ui.scope_label(bot.catalog.banks_for(interaction.guild_id), page.query)
    if page.empty:
        text = ui.empty_board_text(page.query, scope)
        if query.picture:
            await interaction.edit_original_response(
                content=text, embed=None, view=None, attachments=[]
            )
        else:
            await interaction.response.edit_message(content=text, embed=None, view=None)
        return
    embed, file = await board_message(page, scope)
    if query.picture:
        await interaction.edit_original_response(
            embed=embed, view=board_view(page), attachments=[file] if file else []
        )
    else:
        await interaction.response.edit_message(embed=embed, view=board_view(page))


async def board_message(page: BoardPage, scope: str) -> tuple[discord.Embed, discord.File | None]:
    """Return a board page's embed and, when asked for, its picture (the embed shows it)."""
    embed = ui.board_embed(page, scope)
    if not page.query.picture or page.query.rank_by != "points":
        return embed, None
    png = await pictures.draw(leaderboard_png, ui.board_card(page, scope))
    if png is None:
        return embed, None
    embed.set_image(url=f"attachment://{BOARD_FILE}")
    return embed, pictures.png_file(png, BOARD_FILE)
