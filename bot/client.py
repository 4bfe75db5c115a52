"""The Discord client: QuizBot, its command tree, cog discovery and deliberate command sync."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import cogs
from bot.cogs._common import SERVER_ONLY, SOMETHING_WRONG, UserError, reply
from bot.core.bank import load_banks
from bot.core.clock import Clock, RealClock
from bot.core.models import Bank, Problem
from bot.services.games import GameService
from bot.services.imports import load_guild_banks
from bot.store import Store

log = logging.getLogger(__name__)

TREE_HASH_KEY = "command_tree_sha256"


def load_banks_safely(directory: str | Path) -> dict[str, Bank]:
    """Load every `<dir>/<slug>/bank.yaml`; log a broken one with its problems and skip it."""
    root = Path(directory)
    if not root.is_dir():
        log.warning("question directory %s does not exist: no global banks", root)
        return {}

    def skip(path: Path, problems: list[Problem]) -> None:
        shown = "\n  ".join(str(p) for p in problems[:20])
        log.error("skipping bank %s (%d problems):\n  %s", path, len(problems), shown)

    banks = load_banks(root, on_error=skip)
    log.info("loaded %d bank(s): %s", len(banks), ", ".join(banks) or "none")
    return banks


def cog_modules() -> list[str]:
    """Return the modules under bot/cogs that may hold a cog (underscore modules are helpers)."""
    return sorted(
        f"{cogs.__name__}.{info.name}"
        for info in pkgutil.iter_modules(cogs.__path__)
        if not info.name.startswith("_")
    )


class QuizTree(app_commands.CommandTree):
    """A command tree that keeps tracebacks away from users and guild commands out of DMs."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse server-only commands in DMs; in a server, wait until its banks are loaded."""
        command = interaction.command
        if interaction.guild_id is None:
            if command is not None and getattr(command.root_parent or command, "guild_only", False):
                await reply(interaction, SERVER_ONLY)
                return False
            return True
        # A command that arrives while its server's imported banks are still being read (just
        # after start-up) must see them, as must its autocomplete.
        bot = self.client
        if isinstance(bot, QuizBot):
            await bot.ensure_guild_banks(interaction.guild_id)
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer a failed command with a clear message; log what was unexpected."""
        original = getattr(error, "original", error)
        if isinstance(error, UserError):
            text = str(error)
        elif isinstance(error, app_commands.CommandOnCooldown):
            text = f"Slow down: try again in {max(1, round(error.retry_after))} s."
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = SERVER_ONLY
        elif isinstance(error, app_commands.MissingPermissions):
            names = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
            text = f"You need the {names} permission to do that."
        elif isinstance(error, app_commands.BotMissingPermissions):
            names = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
            text = f"I need the {names} permission in this channel."
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use this command here."
        elif isinstance(original, discord.NotFound) and original.code == 10062:
            log.warning("interaction %s expired before it was answered", interaction.id)
            return
        else:
            name = interaction.command.qualified_name if interaction.command else "?"
            log.error("command %s failed", name, exc_info=original)
            text = SOMETHING_WRONG
        await reply(interaction, text)


class QuizBot(commands.Bot):
    """The quiz bot: store, clock, banks and live games, shared by every cog."""

    def __init__(
        self,
        db_path: str | Path,
        questions_dir: str | Path = "questions",
        *,
        clock: Clock | None = None,
        force_sync: bool = False,
        sync_guild: int | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        # Privileged; only classic mode needs it, to read typed answers in the channel.
        intents.message_content = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            help_command=None,
            tree_cls=QuizTree,
        )
        self.db_path = Path(db_path)
        self.questions_dir = Path(questions_dir)
        self.clock: Clock = clock or RealClock()
        self.force_sync = force_sync
        self.sync_guild = sync_guild
        self._store: Store | None = None
        #: Global banks by slug, loaded from `questions_dir` at start-up.
        self.banks: dict[str, Bank] = {}
        #: Banks imported by guilds: guild id → slug → bank.
        self.guild_banks: dict[int, dict[str, Bank]] = {}
        #: The read of each guild's imported banks, started once per guild.
        self._bank_loads: dict[int, asyncio.Task[None]] = {}
        #: The live channel games and the service that runs them.
        self.games = GameService(self)
        #: Whether the last start synced the command tree (for logs and tests).
        self.synced = False
        #: Ids of the games a crash left running, closed as aborted at start-up.
        self.aborted_on_start: list[int] = []

    @property
    def store(self) -> Store:
        """Return the open store (available once `setup_hook` ran)."""
        if self._store is None:
            raise RuntimeError("the store is not open yet (setup_hook has not run)")
        return self._store

    def banks_for(self, guild_id: int | None) -> dict[str, Bank]:
        """Return the banks a guild can play: the global ones plus its own imports."""
        if not guild_id:
            return dict(self.banks)
        return {**self.banks, **self.guild_banks.get(guild_id, {})}

    def add_guild_bank(self, guild_id: int, bank: Bank) -> None:
        """Make an imported bank playable in one guild."""
        self.guild_banks.setdefault(guild_id, {})[bank.slug] = bank

    def remove_guild_bank(self, guild_id: int, slug: str) -> None:
        """Forget a guild's imported bank."""
        self.guild_banks.get(guild_id, {}).pop(slug, None)

    async def ensure_guild_banks(self, guild_id: int) -> None:
        """Load a guild's imported banks once (later calls wait for that load); never raise."""
        # A load that failed is logged here and tried again by the next call.
        task = self._bank_loads.get(guild_id)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = asyncio.create_task(self._load_guild_banks(guild_id), name=f"banks-{guild_id}")
            self._bank_loads[guild_id] = task
        try:
            # Shielded: a caller that gives up must not cancel the load other callers wait for.
            await asyncio.shield(task)
        except Exception:
            log.exception("could not load the imported banks of guild %s", guild_id)

    def guild_bank_load(self, guild_id: int) -> asyncio.Task[None] | None:
        """Return the load of a guild's imported banks, once it was started."""
        return self._bank_loads.get(guild_id)

    async def _load_guild_banks(self, guild_id: int) -> None:
        banks = await load_guild_banks(self.store, guild_id, self.banks)
        for bank in banks.values():
            # Added one by one: a bank imported while the load ran stays.
            self.add_guild_bank(guild_id, bank)
        if banks:
            log.info("loaded %d imported bank(s) of guild %s", len(banks), guild_id)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Load the banks a guild imported as soon as it is known (at start or after an outage)."""
        await self.ensure_guild_banks(guild.id)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Load the banks of a guild the bot joins (again)."""
        await self.ensure_guild_banks(guild.id)

    async def setup_hook(self) -> None:
        """Open the store, close crashed games, load banks and cogs, then sync if needed."""
        # Opening the store also closes games a crash left running, as aborted.
        self._store = await Store.open(self.db_path, clock=self.clock.now)
        self.aborted_on_start = list(self.store.aborted_at_open)
        if self.aborted_on_start:
            log.warning(
                "closed games left running by a crash as aborted: %s", self.aborted_on_start
            )
        self.banks = load_banks_safely(self.questions_dir)
        await self.load_cogs()
        self.synced = await self.sync_commands()

    async def load_cogs(self) -> list[str]:
        """Load every cog module that defines `setup`; a broken cog is logged, not fatal."""
        loaded: list[str] = []
        for name in cog_modules():
            try:
                await self.load_extension(name)
            except commands.NoEntryPointError:
                continue  # a helper module without `setup`
            except commands.ExtensionError:
                log.exception("could not load cog %s", name)
                continue
            loaded.append(name)
        log.info("loaded cogs: %s", ", ".join(loaded) or "none")
        return loaded

    def tree_digest(self) -> str:
        """Return a hash of the global command tree as it would be sent to Discord."""
        payload: list[dict[str, Any]] = [
            cmd.to_dict(self.tree) for cmd in self.tree.get_commands(guild=None)
        ]
        payload.sort(key=lambda c: (c.get("type", 1), c["name"]))
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    async def sync_commands(self) -> bool:
        """Sync commands when forced, or when the tree changed since the last sync."""
        if self.sync_guild is not None:
            guild = discord.Object(id=self.sync_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d command(s) to guild %s", len(synced), self.sync_guild)
            return True
        digest = self.tree_digest()
        if not self.force_sync and await self.store.meta.get(TREE_HASH_KEY) == digest:
            log.info("command tree unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync()
        await self.store.meta.set(TREE_HASH_KEY, digest)
        log.info("synced %d global command(s)", len(synced))
        return True

    async def close(self) -> None:
        """Stop live games and bank loads, close the connection, then the store."""
        for task in self._bank_loads.values():
            task.cancel()
        try:
            await self.games.shutdown()
        except Exception:
            log.exception("stopping live games failed")
        try:
            await super().close()
        finally:
            if self._store is not None:
                store, self._store = self._store, None
                await store.close()


def build_bot(
    db_path: str | Path,
    questions_dir: str | Path = "questions",
    *,
    clock: Clock | None = None,
    force_sync: bool = False,
    sync_guild: int | None = None,
) -> QuizBot:
    """Return a QuizBot ready to `start(token)`; nothing is opened before `setup_hook`."""
    return QuizBot(
        db_path, questions_dir, clock=clock, force_sync=force_sync, sync_guild=sync_guild
    )
