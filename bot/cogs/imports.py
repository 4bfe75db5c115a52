"""`/quiz import` and `/quiz banks`: a server's own question banks, imported from YAML files."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._common import UserError, is_manager, quiz_bot, reply
from bot.cogs._groups import add_quiz_commands
from bot.services import imports as service
from bot.services.imports import BankInfo, Imported, Refused
from bot.ui import imports as ui
from bot.ui import limits
from bot.ui.game_views import ConfirmView

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

COG_NAME = "QuizImports"
NOT_MANAGER = "You need the Manage Server permission to import or remove question banks."


class ImportsCog(commands.Cog, name=COG_NAME):
    """Serialises each server's imports and removals, and times out removal confirmations."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        # One import or removal at a time per server, so a name is checked and taken at once.
        self.locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.pending: set[asyncio.Task[None]] = set()

    async def cog_unload(self) -> None:
        """Cancel the confirmation timers."""
        for task in self.pending:
            task.cancel()

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep a timer task alive until it ends."""
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)


def _cog(interaction: discord.Interaction) -> ImportsCog:
    cog = quiz_bot(interaction).get_cog(COG_NAME)
    assert isinstance(cog, ImportsCog)
    return cog


@app_commands.command(name="import", description="Import a question bank (facts or bank YAML)")
@app_commands.describe(
    file=f"A facts.yaml or bank.yaml, at most {service.MAX_UPLOAD_BYTES // 1024} KB, UTF-8"
)
@app_commands.default_permissions(manage_guild=True)
async def quiz_import(interaction: discord.Interaction, file: discord.Attachment) -> None:
    """Validate an uploaded file, generate a bank from facts, and keep it for this server."""
    # Discord ignores default_permissions on subcommands, so the runtime check is the guard.
    if not is_manager(interaction):
        raise UserError(NOT_MANAGER)
    # Refuse an oversized file from its announced size, before a single byte is downloaded.
    too_big = service.size_refusal(file.size)
    if too_big is not None:
        await reply(interaction, embed=ui.refused_embed(too_big))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        data = await file.read()
    except discord.HTTPException as exc:
        log.warning("could not download attachment %s: %s", file.id, exc)
        raise UserError("I could not download the file. Please upload it again.") from exc
    bot = quiz_bot(interaction)
    guild_id = interaction.guild_id or 0
    cog = _cog(interaction)
    async with cog.locks[guild_id]:
        result = await service.import_upload(
            bot.store,
            guild_id,
            data,
            file.filename,
            added_by=interaction.user.id,
            global_slugs=bot.banks,
        )
        if isinstance(result, Imported):
            bot.add_guild_bank(guild_id, result.prepared.bank)
    if isinstance(result, Refused):
        await reply(interaction, embed=ui.refused_embed(result))
        return
    log.info(
        "guild %s imported bank %s (%d questions) from %s",
        guild_id, result.row.slug, len(result.prepared.bank.questions), result.prepared.kind,
    )  # fmt: skip
    await reply(interaction, embed=ui.imported_embed(result))


async def _imported_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    bot = quiz_bot(interaction)
    rows = await bot.store.guilds.banks(interaction.guild_id or 0)
    needle = current.strip().casefold()
    return [
        app_commands.Choice(name=limits.choice_name(f"{r.title} ({r.slug})"), value=r.slug)
        for r in rows
        if needle in r.slug.casefold() or needle in r.title.casefold()
    ][: limits.AUTOCOMPLETE_CHOICES]


@app_commands.command(name="banks", description="List the question banks of this server")
@app_commands.describe(remove="Remove one of this server's imported banks (Manage Server)")
@app_commands.autocomplete(remove=_imported_autocomplete)
async def quiz_banks(interaction: discord.Interaction, remove: str | None = None) -> None:
    """List built-in and imported banks; with `remove`, ask to delete an imported one."""
    bot = quiz_bot(interaction)
    guild_id = interaction.guild_id or 0
    rows = await bot.store.guilds.banks(guild_id)
    loaded = bot.banks_for(guild_id)
    infos = service.bank_infos(bot.banks, rows, loaded)
    if remove is None:
        embed = ui.banks_embed(infos, can_remove=is_manager(interaction))
        await reply(interaction, embed=embed)
        return
    if not is_manager(interaction):
        raise UserError(NOT_MANAGER)
    slug = remove.strip()
    if slug in bot.banks:
        raise UserError(f"`{limits.cut(slug, 64)}` is a built-in bank; it cannot be removed.")
    info = next((i for i in infos if i.imported and i.slug == slug), None)
    if info is None:
        raise UserError(
            f"This server has no imported bank named `{limits.cut(slug, 64)}`. "
            "`/quiz banks` lists them."
        )
    await _ask_removal(interaction, bot, guild_id, info)


async def _ask_removal(
    interaction: discord.Interaction, bot: QuizBot, guild_id: int, info: BankInfo
) -> None:
    """Ask the invoker to confirm; remove from the store and the bot on yes; expire on the clock."""
    cog = _cog(interaction)

    async def on_choice(click: discord.Interaction, yes: bool) -> None:
        if not yes:
            embed = ui.status_embed("Kept", "Nothing was removed.")
            await click.response.edit_message(embed=embed, view=view)
            return
        async with cog.locks[guild_id]:
            removed = await bot.store.guilds.delete_bank(guild_id, info.slug)
            bot.remove_guild_bank(guild_id, info.slug)
        log.info("guild %s removed imported bank %s", guild_id, info.slug)
        embed = ui.removal_done_embed(info.title, info.slug, removed)
        await click.response.edit_message(embed=embed, view=view)

    view = ConfirmView(interaction.user.id, on_choice, confirm_label="Remove")

    async def show_expired() -> None:
        embed = ui.status_embed("Timed out", "Nothing was removed.")
        await interaction.edit_original_response(embed=embed, view=view)

    # The timer starts before the prompt is sent, so it is counted from when the user asked.
    timer = view.expire_after(bot.clock, ui.CONFIRM_SECONDS, show_expired)
    cog.track(timer)
    try:
        await interaction.response.send_message(
            embed=ui.confirm_remove_embed(info), view=view, ephemeral=True
        )
    except BaseException:
        timer.cancel()
        raise


async def setup(bot: QuizBot) -> None:
    """Add the imports cog; its commands sit in the shared /quiz group."""
    await bot.add_cog(ImportsCog(bot))
    add_quiz_commands(bot, quiz_import, quiz_banks)
