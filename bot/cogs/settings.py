"""`/quiz settings`: a server's game defaults, allowed channels and leaderboard reset."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._common import UserError, is_manager, reply
from bot.cogs._groups import add_quiz_commands
from bot.ui import limits
from bot.ui.game import settings_embed
from bot.ui.game_views import ConfirmView

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 60.0
MAX_ALLOWED_CHANNELS = 25
NO_MENTIONS = discord.AllowedMentions.none()


class SettingsCog(commands.Cog, name="QuizSettings"):
    """Holds the confirmation timers of leaderboard resets."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.pending: set[asyncio.Task[None]] = set()

    async def cog_unload(self) -> None:
        """Cancel the confirmation timers."""
        for task in self.pending:
            task.cancel()


@app_commands.command(name="settings", description="Show or change this server's quiz defaults")
@app_commands.describe(
    seconds="Default seconds per question (5-120)",
    questions="Default questions per game (1-50)",
    mode="Default answer mode",
    allow_channel="Allow games in this channel (once any is allowed, only those are)",
    disallow_channel="Stop allowing games in this channel",
    reset_leaderboard="Delete this server's scores (asks for confirmation)",
)
@app_commands.default_permissions(manage_guild=True)
async def quiz_settings(  # noqa: PLR0917  (slash options are positional)
    interaction: discord.Interaction,
    seconds: app_commands.Range[int, 5, 120] | None = None,
    questions: app_commands.Range[int, 1, 50] | None = None,
    mode: Literal["buttons", "classic"] | None = None,
    allow_channel: discord.TextChannel | None = None,
    disallow_channel: discord.TextChannel | None = None,
    reset_leaderboard: bool = False,
) -> None:
    """Show the defaults; change the ones given; offer a confirmed leaderboard reset."""
    # Discord ignores default_permissions on subcommands, so the runtime check is the guard.
    if not is_manager(interaction):
        raise UserError("You need the Manage Server permission to change quiz settings.")
    bot: QuizBot = interaction.client  # type: ignore[assignment]
    guild_id = interaction.guild_id or 0
    current = await bot.store.guilds.settings(guild_id)
    changed: list[str] = []
    updates: dict[str, object] = {}
    if seconds is not None:
        updates["seconds"] = seconds
        changed.append(f"seconds → {seconds}")
    if questions is not None:
        updates["questions"] = questions
        changed.append(f"questions → {questions}")
    if mode is not None:
        updates["mode"] = mode
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
    if tuple(channels) != current.allowed_channel_ids:
        updates["allowed_channel_ids"] = tuple(channels)
    if updates:
        current = dataclasses.replace(current, guild_id=guild_id, **updates)  # type: ignore[arg-type]
        await bot.store.guilds.save_settings(current)
    await reply(interaction, embed=settings_embed(current, changed))
    if reset_leaderboard:
        await _ask_reset(interaction, bot, guild_id)


async def _ask_reset(interaction: discord.Interaction, bot: QuizBot, guild_id: int) -> None:
    """Post a confirmation that only the invoker can press; it expires on the bot's clock."""

    async def on_choice(click: discord.Interaction, yes: bool) -> None:
        if yes:
            deleted = await bot.store.boards.reset_guild(guild_id)
            who = limits.name(click.user.display_name)
            text = f"🧹 Leaderboard reset by {who} ({deleted} answers deleted)."
        else:
            text = "Leaderboard reset cancelled. Nothing changed."
        await click.response.edit_message(content=text, view=view, allowed_mentions=NO_MENTIONS)

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
    cog = bot.get_cog("QuizSettings")
    if isinstance(cog, SettingsCog):
        cog.pending.add(task)
        task.add_done_callback(cog.pending.discard)
    try:
        sent.set_result(await interaction.followup.send(text, view=view, wait=True))
    except BaseException:
        task.cancel()
        raise


async def setup(bot: QuizBot) -> None:
    """Add the settings cog (the command sits in the shared /quiz group)."""
    await bot.add_cog(SettingsCog(bot))
    add_quiz_commands(bot, quiz_settings)
