"""`/quiz start | stop | skip | topics` and chat answers for classic-mode games."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.game import MAX_GUESS_LENGTH
from bot.core.selection import COUNT_RANGE, SECONDS_RANGE, GameError
from bot.exts.game import embeds as ui
from bot.exts.game.presenter import ChannelPresenter
from bot.exts.game.views import AnswerButton
from bot.kit import limits
from bot.kit.checks import NOT_IN_PRIVATE_THREAD, is_manager, missing_bot_permissions
from bot.kit.choices import bank_autocomplete, pick_here, topic_autocomplete
from bot.kit.errors import UserError, sentence
from bot.kit.groups import add_quiz_commands
from bot.kit.replies import reply
from bot.services.live import LiveGame, StartRequest

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

MODES = ("buttons", "classic")
NO_CLASSIC = (
    "Classic games read typed answers in the chat, which this bot is not allowed to see (its "
    "Message Content intent is off). Start one with `mode:buttons`, or ask the bot's owner to "
    "turn the intent on."
)


class QuizCog(commands.Cog, name="Quiz"):
    """Channel games: starting, stopping, skipping, and reading chat answers."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Pass a channel message to the classic-mode game there, if one is open."""
        if message.author.bot or message.guild is None:
            return
        text = message.content
        if not text.strip() or len(text) > MAX_GUESS_LENGTH:
            return
        author = message.author
        self.bot.games.guess(message.channel.id, author.id, author.display_name, text, message.id)


async def _join_thread(thread: discord.Thread) -> None:
    """Make sure the bot may post in a thread: join it, or say how to let it in."""
    if thread.archived or thread.locked:
        raise UserError("This thread is archived or locked: games can't run in it.")
    try:
        await thread.join()
    except discord.Forbidden as exc:
        raise UserError(NOT_IN_PRIVATE_THREAD) from exc
    except discord.HTTPException as exc:
        log.warning("could not join thread %s: %s", thread.id, exc)
        raise UserError("I couldn't join this thread. Please try again.") from exc


def _controlled_game(interaction: discord.Interaction[QuizBot], action: str) -> LiveGame:
    """Return this channel's game if the user started it or may manage the server."""
    live = interaction.client.games.in_channel(interaction.channel_id or 0)
    if live is None:
        raise UserError("No game is running in this channel. Start one with `/quiz start`.")
    if interaction.user.id != live.starter_id and not is_manager(interaction):
        raise UserError(
            f"Only {limits.name(live.starter_name)}, who started this game, or someone with "
            f"Manage Server can {action}."
        )
    return live


@app_commands.command(name="start", description="Start a quiz game in this channel")
@app_commands.describe(
    topic="Only questions of this topic (default: all)",
    questions=f"How many questions ({COUNT_RANGE[0]}-{COUNT_RANGE[1]})",
    mode="buttons: pick an option; classic: type the answer in the chat",
    seconds=f"Seconds per question ({SECONDS_RANGE[0]}-{SECONDS_RANGE[1]})",
    bank="Which question bank (default: the first one)",
)
@app_commands.autocomplete(topic=topic_autocomplete, bank=bank_autocomplete)
async def quiz_start(  # noqa: PLR0917  (slash options are positional)
    interaction: discord.Interaction[QuizBot],
    topic: str | None = None,
    questions: app_commands.Range[int, 1, 50] | None = None,
    mode: Literal["buttons", "classic"] | None = None,
    seconds: app_commands.Range[int, 5, 120] | None = None,
    bank: str | None = None,
) -> None:
    """Start a game here with the guild's defaults for anything not given."""
    bot = interaction.client
    guild_id = interaction.guild_id or 0
    channel_id = interaction.channel_id or 0
    problem = missing_bot_permissions(interaction)
    if problem:
        raise UserError(problem)
    settings = await bot.store.guilds.settings(guild_id)
    allowed = settings.allowed_channel_ids
    channel = interaction.channel
    # A thread or forum post is allowed when its parent channel (or forum) is.
    parent_id = channel.parent_id if isinstance(channel, discord.Thread) else None
    if allowed and channel_id not in allowed and parent_id not in allowed:
        where = ", ".join(f"<#{c}>" for c in allowed[:10])
        raise UserError(f"Games can only be started in {where} on this server.")
    if isinstance(channel, discord.Thread):
        await _join_thread(channel)
    if bot.games.in_channel(channel_id) is not None:
        raise UserError("A game is already running here. Use `/quiz stop` to end it.")
    wait = bot.games.start_cooldown.retry_after((interaction.guild_id, interaction.user.id))
    if wait > 0:
        raise UserError(
            f"You started a game just now: you can start another in {math.ceil(wait)} s."
        )
    chosen_mode = mode or (settings.mode if settings.mode in MODES else "buttons")
    if chosen_mode == "classic" and not bot.intents.message_content:
        raise UserError(NO_CLASSIC)
    name = interaction.user.display_name
    try:
        chosen_bank, chosen_topic = pick_here(interaction, bank, topic)
        request = StartRequest(
            guild_id, channel_id, interaction.user.id, name,
            count=questions or _clamp(settings.questions, COUNT_RANGE),
            seconds=seconds or _clamp(settings.seconds, SECONDS_RANGE),
            mode=chosen_mode, topic=chosen_topic,
        )  # fmt: skip
        live = await bot.games.create(request, chosen_bank)
    except GameError as exc:
        raise UserError(sentence(str(exc))) from exc
    bot.games.start_cooldown.hit((interaction.guild_id, interaction.user.id))
    engine = live.engine
    embed = ui.start_embed(
        starter=name, bank=chosen_bank, topic=chosen_topic, count=engine.total,
        mode=chosen_mode, seconds=engine.settings.seconds,
    )  # fmt: skip
    try:
        await interaction.response.send_message(embed=embed)
    finally:
        # The game runs even if the announcement could not be sent.
        bot.games.launch(live)


@app_commands.command(name="stop", description="Stop the game in this channel")
async def quiz_stop(interaction: discord.Interaction[QuizBot]) -> None:
    """Stop the game (its starter or a server manager)."""
    live = _controlled_game(interaction, "stop it")
    interaction.client.games.request_stop(live, interaction.user.id, interaction.user.display_name)
    await reply(
        interaction, f"⏹️ {limits.name(interaction.user.display_name)} stopped the game.",
        ephemeral=False,
    )  # fmt: skip


@app_commands.command(name="skip", description="Skip the open question (no points)")
async def quiz_skip(interaction: discord.Interaction[QuizBot]) -> None:
    """Close the open question unscored (its starter or a server manager)."""
    live = _controlled_game(interaction, "skip questions")
    if not interaction.client.games.request_skip(live):
        raise UserError("No question is open right now.")
    await reply(
        interaction, f"⏭️ {limits.name(interaction.user.display_name)} skipped the question.",
        ephemeral=False,
    )  # fmt: skip


@app_commands.command(
    name="topics", description="List the topics you can play, with question counts"
)
async def quiz_topics(interaction: discord.Interaction[QuizBot]) -> None:
    """Show every bank's topics."""
    banks = interaction.client.catalog.banks_for(interaction.guild_id)
    await reply(interaction, embed=ui.topics_embed(banks))


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


async def setup(bot: QuizBot) -> None:
    """Add the quiz commands, the chat listener and the restart-proof answer buttons."""
    bot.games.presenter = ChannelPresenter(bot)
    await bot.add_cog(QuizCog(bot))
    add_quiz_commands(bot, quiz_start, quiz_stop, quiz_skip, quiz_topics)
    bot.add_dynamic_items(AnswerButton)
