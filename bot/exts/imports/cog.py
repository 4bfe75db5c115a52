"""`/quiz import` and `/quiz banks`: a server's own question banks, imported from YAML files."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.client import QuizBot
from bot.exts.imports import embeds as ui
from bot.kit import limits
from bot.kit.attachments import TooLargeError, read_capped
from bot.kit.checks import is_manager
from bot.kit.confirm import ConfirmView
from bot.kit.errors import UserError
from bot.kit.groups import add_quiz_commands
from bot.kit.replies import reply
from bot.services import imports as service
from bot.services.imports import BankInfo, Refused

log = logging.getLogger(__name__)

NOT_MANAGER = "You need the Manage Server permission to import or remove question banks."


@app_commands.command(name="import", description="Import a question bank (facts or bank YAML)")
@app_commands.describe(
    file=f"A facts.yaml or bank.yaml, at most {service.MAX_UPLOAD_BYTES // 1024} KB, UTF-8"
)
@app_commands.default_permissions(manage_guild=True)
async def quiz_import(interaction: discord.Interaction[QuizBot], file: discord.Attachment) -> None:
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
        data = await read_capped(file, service.MAX_UPLOAD_BYTES)
    except TooLargeError:
        # Larger than its announced size said: refused like any file over the limit.
        await reply(interaction, embed=ui.refused_embed(service.oversize_refusal()))
        return
    except discord.DiscordException as exc:
        log.warning("could not download attachment %s: %s", file.id, exc)
        raise UserError("I could not download the file. Please upload it again.") from exc
    result = await interaction.client.importer.import_file(
        interaction.guild_id or 0, data, file.filename, added_by=interaction.user.id
    )
    if isinstance(result, Refused):
        await reply(interaction, embed=ui.refused_embed(result))
        return
    await reply(interaction, embed=ui.imported_embed(result))


async def _imported_autocomplete(
    interaction: discord.Interaction[QuizBot], current: str
) -> list[app_commands.Choice[str]]:
    rows = await interaction.client.store.guilds.banks(interaction.guild_id or 0)
    needle = current.strip().casefold()
    return [
        app_commands.Choice(name=limits.choice_name(f"{r.title} ({r.slug})"), value=r.slug)
        for r in rows
        if needle in r.slug.casefold() or needle in r.title.casefold()
    ][: limits.AUTOCOMPLETE_CHOICES]


@app_commands.command(name="banks", description="List the question banks of this server")
@app_commands.describe(remove="Remove one of this server's imported banks (Manage Server)")
@app_commands.autocomplete(remove=_imported_autocomplete)
async def quiz_banks(interaction: discord.Interaction[QuizBot], remove: str | None = None) -> None:
    """List built-in and imported banks; with `remove`, ask to delete an imported one."""
    bot = interaction.client
    guild_id = interaction.guild_id or 0
    infos = await bot.importer.infos(guild_id)
    if remove is None:
        embed = ui.banks_embed(infos, can_remove=is_manager(interaction))
        await reply(interaction, embed=embed)
        return
    if not is_manager(interaction):
        raise UserError(NOT_MANAGER)
    slug = remove.strip()
    if slug in bot.catalog.banks:
        raise UserError(f"`{limits.cut(slug, 64)}` is a built-in bank; it cannot be removed.")
    info = next((i for i in infos if i.imported and i.slug == slug), None)
    if info is None:
        raise UserError(
            f"This server has no imported bank named `{limits.cut(slug, 64)}`. "
            "`/quiz banks` lists them."
        )
    await _ask_removal(interaction, guild_id, info)


async def _ask_removal(
    interaction: discord.Interaction[QuizBot], guild_id: int, info: BankInfo
) -> None:
    """Ask the invoker to confirm; remove from the store and the bot on yes; expire on the clock."""
    bot = interaction.client

    async def on_choice(click: discord.Interaction, yes: bool) -> None:
        if not yes:
            embed = ui.status_embed("Kept", "Nothing was removed.")
            await click.response.edit_message(embed=embed, view=view)
            return
        removed = await bot.importer.remove(guild_id, info.slug)
        embed = ui.removal_done_embed(info.title, info.slug, removed)
        await click.response.edit_message(embed=embed, view=view)

    view = ConfirmView(interaction.user.id, on_choice, confirm_label="Remove")

    async def show_expired() -> None:
        embed = ui.status_embed("Timed out", "Nothing was removed.")
        await interaction.edit_original_response(embed=embed, view=view)

    # The timer starts before the prompt is sent, so it is counted from when the user asked.
    timer = view.expire_after(bot.clock, ui.CONFIRM_SECONDS, show_expired)
    try:
        await interaction.response.send_message(
            embed=ui.confirm_remove_embed(info), view=view, ephemeral=True
        )
    except BaseException:
        timer.cancel()
        raise


async def setup(bot: QuizBot) -> None:
    """Add `/quiz import` and `/quiz banks` to the shared /quiz group."""
    add_quiz_commands(bot, quiz_import, quiz_banks)
