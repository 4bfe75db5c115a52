"""`/quiz settings`: a server's game defaults, allowed channels and leaderboard reset."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Literal

import discord
from discord import app_commands

from bot.client import QuizBot
from bot.exts.settings.embeds import settings_embed
from bot.kit import limits
from bot.kit.checks import is_manager
from bot.kit.confirm import ConfirmView
from bot.kit.errors import UserError
from bot.kit.groups import add_quiz_commands
from bot.kit.replies import reply
from bot.services.boards import page_path

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 60.0
#: Where a game can be allowed: text channels, threads, forums (their posts) and voice chats.
GameChannel = discord.TextChannel | discord.Thread | discord.ForumChannel | discord.VoiceChannel
MAX_ALLOWED_CHANNELS = 25
NO_MENTIONS = discord.AllowedMentions.none()


@app_commands.command(name="settings", description="Show or change this server's quiz defaults")
@app_commands.describe(
    seconds="Default seconds per question (5-120)",
    questions="Default questions per game (1-50)",
    mode="Default answer mode",
    allow_channel=(
        "Allow games in this channel, thread, forum or voice channel's chat "
        "(once any is allowed, only those are)"
    ),
    disallow_channel="Stop allowing games in this channel",
    reset_leaderboard="Delete this server's scores (asks for confirmation)",
    web_page="Show this server's leaderboards on a public web page (display names only)",
)
@app_commands.default_permissions(manage_guild=True)
async def quiz_settings(  # noqa: PLR0917  (slash options are positional)
    interaction: discord.Interaction[QuizBot],
    seconds: app_commands.Range[int, 5, 120] | None = None,
    questions: app_commands.Range[int, 1, 50] | None = None,
    mode: Literal["buttons", "classic"] | None = None,
    allow_channel: GameChannel | None = None,
    disallow_channel: GameChannel | None = None,
    reset_leaderboard: bool = False,
    web_page: bool | None = None,
) -> None:
    """Show the defaults; change the ones given; offer a confirmed leaderboard reset."""
    # Discord ignores default_permissions on subcommands, so the runtime check is the guard.
    if not is_manager(interaction):
        raise UserError("You need the Manage Server permission to change quiz settings.")
    bot = interaction.client
    guild_id = interaction.guild_id or 0
    saved = await bot.store.guilds.settings(guild_id)
    current = dataclasses.replace(saved, guild_id=guild_id)
    changed: list[str] = []
    if seconds is not None:
        current = dataclasses.replace(current, seconds=seconds)
        changed.append(f"seconds → {seconds}")
    if questions is not None:
        current = dataclasses.replace(current, questions=questions)
        changed.append(f"questions → {questions}")
    if mode is not None:
        current = dataclasses.replace(current, mode=mode)
        changed.append(f"mode → {mode}")
    channels = list(current.allowed_channel_ids)
    if allow_channel is not None and allow_channel.id not in channels:
        if len(channels) >= MAX_ALLOWED_CHANNELS:
            raise UserError(f"At most {MAX_ALLOWED_CHANNELS} channels can be allowed.")
        channels.append(allow_channel.id)
        changed.append(f"allowed <#{allow_channel.id}>")
    if disallow_channel is not None and disallow_channel.id in channels:
        channels.remove(disallow_channel.id)
        changed.append(f"no longer allowed <#{disallow_channel.id}>")
    current = dataclasses.replace(current, allowed_channel_ids=tuple(channels))
    if web_page is not None and web_page != current.web_page:
        current = dataclasses.replace(current, web_page=web_page)
        changed.append("web page on" if web_page else "web page off")
    if current != saved:
        await bot.store.guilds.save_settings(current)
    link = bot.web_url + page_path(guild_id) if bot.web_url else None
    await reply(interaction, embed=settings_embed(current, changed, web_link=link))
    if reset_leaderboard:
        await _ask_reset(interaction, bot, guild_id)


async def _ask_reset(interaction: discord.Interaction, bot: QuizBot, guild_id: int) -> None:
    """Post a confirmation that only the invoker can press; it expires on the bot's clock."""

    async def on_choice(click: discord.Interaction, yes: bool) -> None:
        if not yes:
            await click.response.edit_message(
                content="Leaderboard reset cancelled. Nothing changed.", view=view,
                allowed_mentions=NO_MENTIONS,
            )  # fmt: skip
            return
        # Deleting a big server's scores takes a while: answer the click first (3-second rule).
        await click.response.edit_message(
            content="🧹 Resetting the leaderboard…", view=view, allowed_mentions=NO_MENTIONS
        )
        try:
            deleted = await bot.store.boards.reset_guild(guild_id)
        except Exception:
            await click.edit_original_response(
                content="The leaderboard reset failed; nothing changed.", view=view,
                allowed_mentions=NO_MENTIONS,
            )  # fmt: skip
            raise  # the confirmation view apologises and logs it
        who = limits.name(click.user.display_name)
        await click.edit_original_response(
            content=f"🧹 Leaderboard reset by {who} ({deleted} answers deleted).",
            allowed_mentions=NO_MENTIONS,
        )

    view = ConfirmView(interaction.user.id, on_choice, confirm_label="Reset leaderboard")
    text = (
        "⚠️ Reset this server's leaderboard? Every score and answer of this server is deleted. "
        f"This expires in {int(CONFIRM_SECONDS)} s."
    )
    sent: asyncio.Future[discord.WebhookMessage] = asyncio.get_running_loop().create_future()

    async def show_expired() -> None:
        message = await sent
        await message.edit(
            content="Leaderboard reset timed out. Nothing changed.",
            view=view,
            allowed_mentions=NO_MENTIONS,
        )

    # The timer starts before the prompt is sent, so the deadline never depends on the network.
    task = view.expire_after(bot.clock, CONFIRM_SECONDS, show_expired)
    try:
        # Private, like the settings reply it follows.
        sent.set_result(await interaction.followup.send(text, view=view, wait=True, ephemeral=True))
    except BaseException:
        task.cancel()
        raise


async def setup(bot: QuizBot) -> None:
    """Add `/quiz settings` to the shared /quiz group."""
    add_quiz_commands(bot, quiz_settings)
