"""The Discord presenter of the game loop: posts and edits a game's messages in its channel."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.core.selection import GameMode
from bot.exts.game import embeds as ui
from bot.exts.game.views import question_view, reveal_view
from bot.kit import limits, pictures
from bot.kit.names import plain_bank_title, plain_topic_name
from bot.pictures import Podium, PodiumPlace, podium_png
from bot.services.live import ChannelLostError

if TYPE_CHECKING:
    from bot.core.models import Question
    from bot.core.scoring import RoundResult, Standings
    from bot.services.live import LiveGame

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
PODIUM_FILE = "podium.png"
PODIUM_PLACES = 3


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the open question message shows, to redraw it closed."""

    question: Question
    options: tuple[str, ...]
    deadline_at: datetime


class ChannelPresenter:
    """Show games in their Discord channels (a `bot.services.live.Presenter`)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._shown: dict[int, _Shown] = {}

    def _channel(self, live: LiveGame) -> discord.PartialMessageable:
        # A partial channel needs no cache: the game only posts and edits by id.
        return self.client.get_partial_messageable(live.channel_id, guild_id=live.guild_id)

    async def _send(
        self,
        live: LiveGame,
        *,
        content: str | None = None,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
        reference: discord.MessageReference | None = None,
        file: discord.File | None = None,
    ) -> discord.Message:
        channel = self._channel(live)
        text = limits.content(content) if content is not None else None
        fitted = limits.fit_embed(embed) if embed is not None else discord.utils.MISSING
        shown = view or discord.utils.MISSING
        attached = file or discord.utils.MISSING
        try:
            if reference is not None:
                return await channel.send(
                    content=text, embed=fitted, view=shown, reference=reference
                )
            return await channel.send(content=text, embed=fitted, view=shown, file=attached)
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChannelLostError(f"cannot post in the channel any more ({exc.status})") from exc

    def _question_embed(self, live: LiveGame, shown: _Shown, *, closed: bool) -> discord.Embed:
        engine = live.engine
        return ui.question_embed(
            bank=live.bank,
            index=engine.index,
            total=engine.total,
            topic=shown.question.topic,
            prompt=shown.question.prompt,
            options=shown.options,
            deadline_at=shown.deadline_at,
            classic=engine.mode is GameMode.CLASSIC,
            closed=closed,
        )

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int:
        """Post the question with its countdown and answer buttons."""
        shown = _Shown(question, options, deadline_at)
        self._shown[live.game_id] = shown
        embed = self._question_embed(live, shown, closed=False)
        if options:
            view = question_view(live.game_id, live.engine.index, options)
            message = await self._send(live, embed=embed, view=view)
        else:
            message = await self._send(live, embed=embed)
        return message.id

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        """Redraw the open question's countdown from the deadline the game really keeps."""
        shown = self._shown.get(live.game_id)
        if shown is None or live.question_message_id is None:
            return
        shown = self._shown[live.game_id] = _Shown(shown.question, shown.options, deadline_at)
        message = discord.PartialMessage(channel=self._channel(live), id=live.question_message_id)
        await message.edit(
            embed=self._question_embed(live, shown, closed=False), allowed_mentions=NO_MENTIONS
        )

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        """Post a hint line."""
        await self._send(live, content=ui.hint_text(hint, number))

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        """Redraw the question as closed with its buttons disabled."""
        shown = self._shown.pop(live.game_id, None)
        if shown is None or message_id is None:
            return
        embed = self._question_embed(live, shown, closed=True)
        view = None
        if shown.options:
            view = question_view(live.game_id, live.engine.index, shown.options, disabled=True)
        message = discord.PartialMessage(channel=self._channel(live), id=message_id)
        try:
            # Edits carry allowed_mentions too: discord.py adds the Bot's only when content is
            # sent.
            await message.edit(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        except discord.NotFound:
            log.info("question message %s of game %s was deleted", message_id, live.game_id)

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: Standings) -> None:
        """Post the reveal; a classic-mode win is a reply to the winning message."""
        classic = live.engine.mode is GameMode.CLASSIC
        embed = ui.reveal_embed(result, live.bank, classic=classic)
        view = reveal_view(live.bank_slug, result.question.id)
        winner = live.winner
        if winner is None or winner.outcome.match is None:
            await self._send(live, embed=embed, view=view)
            return
        text = ui.winner_text(winner.name, winner.text, result.answer, winner.outcome.match.exact)
        ref = discord.MessageReference(
            message_id=winner.message_id,
            channel_id=live.channel_id,
            guild_id=live.guild_id,
            fail_if_not_exists=False,
        )
        try:
            await self._send(live, content=text, embed=embed, reference=ref, view=view)
        except discord.HTTPException as exc:
            # Replying needs Read Message History; without it, post the same reveal plainly.
            log.info("could not reply to the winning guess (%s); posting without a reply", exc)
            await self._send(live, content=text, embed=embed, view=view)

    async def show_end(self, live: LiveGame, standings: Standings) -> None:
        """Post the final standings, with a picture of the podium (text stays for readers)."""
        stopped_by = live.stopped_by[1] if live.stopped_by else None
        embed = ui.end_embed(standings, stopped_by=stopped_by)
        png = await pictures.draw(podium_png, await self._podium(live, standings))
        if png is None:
            await self._send(live, embed=embed)
            return
        pictured = embed.copy()
        pictured.set_image(url=f"attachment://{PODIUM_FILE}")
        try:
            await self._send(live, embed=pictured, file=pictures.png_file(png, PODIUM_FILE))
        except ChannelLostError as exc:
            # Without Attach Files the standings go out as text alone (and if the channel is
            # really lost, that post says so in turn).
            log.info("could not attach the podium of game %s (%s)", live.game_id, exc)
            await self._send(live, embed=embed)

    async def _podium(self, live: LiveGame, standings: Standings) -> Podium:
        """Return what the podium shows: the top three who scored, the bank and the topic."""
        top = [r for r in standings.rows if r.rank <= PODIUM_PLACES and r.points > 0]
        avatars = await asyncio.gather(
            *(pictures.avatar(self.client.get_user(r.player_id)) for r in top[:PODIUM_PLACES])
        )
        topic = live.engine.settings.topic
        return Podium(
            title=plain_bank_title(live.bank, 120),
            places=[
                PodiumPlace(r.rank, r.name, r.points, face)
                for r, face in zip(top[:PODIUM_PLACES], avatars, strict=True)
            ],
            topic=plain_topic_name(live.bank, topic, 80) if topic else None,
            players=len(standings.rows),
        )

    async def game_aborted(self, live: LiveGame) -> None:
        """Say that the game ended because of an error."""
        self._shown.pop(live.game_id, None)
        await self._send(live, content=ui.ABORTED_TEXT)
