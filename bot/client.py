"""The Discord client: QuizBot and its typed services, the command tree, and command sync.

`QuizBot` is the host every feature reaches: `store`, `clock`, `catalog` (banks), `games`
(the game loop), `cards` and `sessions` (learning), `boards`, `asker` and `importer`. A
feature's slash commands get it as `interaction.client` (typed `Interaction[QuizBot]`); a
button or modal callback gets it with `quiz_bot(interaction)`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.clock import Clock, RealClock
from bot.kit.confirm import cancel_timers
from bot.kit.errors import SERVER_ONLY, UserError
from bot.kit.replies import SOMETHING_WRONG, reply
from bot.services.ask import Asker
from bot.services.boards import Boards
from bot.services.cards import Cards
from bot.services.catalog import LOAD_WAIT, Catalog
from bot.services.games import GameService
from bot.services.imports import Importer
from bot.services.sessions import Sessions
from bot.store import Store

log = logging.getLogger(__name__)

TREE_HASH_KEY = "command_tree_sha256"
#: The features, each a package under bot/exts with an `async def setup(bot)`.
EXTENSIONS = tuple(
    f"bot.exts.{name}"
    for name in ("game", "learning", "boards", "reports", "ask", "imports", "settings")
)


class QuizTree(app_commands.CommandTree["QuizBot"]):
    """A command tree that keeps tracebacks away from users and guild commands out of DMs."""

    async def interaction_check(self, interaction: discord.Interaction[QuizBot]) -> bool:
        """Refuse server-only commands in DMs; in a server, give its banks a moment to load."""
        command = interaction.command
        if interaction.guild_id is None:
            root = (
                command.root_parent or command
                if isinstance(command, app_commands.Command)
                else command
            )
            if root is not None and root.guild_only:
                await reply(interaction, SERVER_ONLY)
                return False
            return True
        catalog = interaction.client.catalog
        if interaction.type is discord.InteractionType.autocomplete:
            # Suggestions answer at once with the banks loaded so far; the read starts now.
            catalog.load(interaction.guild_id)
        else:
            # Just after start-up a server's imported banks may still be loading: give them a
            # moment, never so long that the interaction expires.
            await catalog.ensure(interaction.guild_id, wait=LOAD_WAIT)
        return True

    async def on_error(
        self, interaction: discord.Interaction[QuizBot], error: app_commands.AppCommandError
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


class QuizBot(commands.AutoShardedBot):
    """The quiz bot: the store, the clock and the services every feature uses.

    Sharded (Discord requires shards from 2,500 servers): by default it runs as many shards as
    Discord recommends; `shard_ids` and `shard_count` run some of them in this process.
    """

    def __init__(
        self,
        db_path: str | Path,
        questions_dir: str | Path = "questions",
        *,
        clock: Clock | None = None,
        force_sync: bool = False,
        sync_guild: int | None = None,
        shard_ids: list[int] | None = None,
        shard_count: int | None = None,
        message_content: bool = True,
        web_url: str | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        # Privileged (enabled in the developer portal); only classic mode needs it, to read
        # typed answers in the channel. Without it the bot runs and refuses classic games.
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            help_command=None,
            tree_cls=QuizTree,
            shard_count=shard_count,
        )
        # Set after the base class, which takes "every shard" only from a missing argument.
        self.shard_ids = shard_ids
        if shard_ids is not None and shard_count is None:
            raise ValueError("running only some shards needs the total shard count")
        self.force_sync = force_sync
        self.sync_guild = sync_guild
        #: Where the leaderboard web pages are served (`quizbot web`), for the links it gives.
        self.web_url = web_url.rstrip("/") if web_url else None
        self.clock: Clock = clock or RealClock()
        #: The database; opened in `setup_hook`.
        self.store = Store(db_path, clock=self.clock.now)
        self.catalog = Catalog(questions_dir, self.store)
        self.cards = Cards(self.store, self.clock)
        self.games = GameService(self.store, self.clock, cards=self.cards)
        self.sessions = Sessions(self.store, self.clock, self.cards, hidden=self.games.open_facts)
        self.boards = Boards(self.store, self.clock)
        self.asker = Asker()
        self.importer = Importer(self.store, self.catalog)
        #: Whether the last start synced the command tree (for logs and tests).
        self.synced = False

    @property
    def aborted_on_start(self) -> list[int]:
        """Return the ids of the games a crash left running, closed as aborted at start-up."""
        return self.store.aborted_at_open

    async def on_message(self, message: discord.Message, /) -> None:
        """Take no prefix commands (there are none): a mention of the bot is just a message."""

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Read the banks a guild imported as soon as it is known (at start or after an outage)."""
        self.catalog.load(guild.id)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Read the banks of a guild the bot joins (again)."""
        self.catalog.load(guild.id)

    async def setup_hook(self) -> None:
        """Open the store (closing crashed games), load banks and features, then sync."""
        # Running some shards beside other processes: close only this process's games.
        shards = None
        if self.shard_ids is not None and self.shard_count is not None:
            shards = (list(self.shard_ids), self.shard_count)
        await self.store.start(shards=shards)
        if self.aborted_on_start:
            log.warning(
                "closed games left running by a crash as aborted: %s", self.aborted_on_start
            )
        # Off the event loop: parsing every built-in bank would stall the gateway.
        await asyncio.to_thread(self.catalog.load_global)
        await self.load_features()
        try:
            self.synced = await self.sync_commands()
        except discord.HTTPException as exc:
            # The commands Discord already has keep working; the next start tries again.
            log.warning("could not sync the slash commands (%s); carrying on without", exc)

    async def load_features(self) -> list[str]:
        """Load every feature extension; a broken one is logged, not fatal."""
        loaded: list[str] = []
        for name in EXTENSIONS:
            try:
                await self.load_extension(name)
            except commands.ExtensionError:
                log.exception("could not load feature %s", name)
                continue
            loaded.append(name)
        log.info("loaded features: %s", ", ".join(n.rsplit(".", 1)[-1] for n in loaded))
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
        if self.force_sync:
            await self.store.meta.set(TREE_HASH_KEY, digest)
        elif not await self.store.meta.claim(TREE_HASH_KEY, digest):
            # Unchanged, or another process starting beside this one claimed the sync.
            log.info("command tree unchanged since the last sync; not syncing")
            return False
        try:
            synced = await self.tree.sync()
        except BaseException:
            await self.store.meta.set(TREE_HASH_KEY, "")  # the next start tries again
            raise
        log.info("synced %d global command(s)", len(synced))
        return True

    async def close(self) -> None:
        """Stop live games and bank reads, close the connection, then the store."""
        self.catalog.close()
        cancel_timers()
        try:
            await self.games.shutdown()
        except Exception:
            log.exception("stopping live games failed")
        try:
            await self.sessions.close()
            await super().close()
        finally:
            await self.store.close()


def quiz_bot(interaction: discord.Interaction) -> QuizBot:
    """Return the QuizBot behind an interaction (for button and modal callbacks)."""
    client = interaction.client
    if not isinstance(client, QuizBot):
        raise TypeError(f"expected the quiz bot, got {type(client).__name__}")
    return client


def build_bot(
    db_path: str | Path,
    questions_dir: str | Path = "questions",
    *,
    clock: Clock | None = None,
    force_sync: bool = False,
    sync_guild: int | None = None,
    shard_ids: list[int] | None = None,
    shard_count: int | None = None,
    message_content: bool = True,
    web_url: str | None = None,
) -> QuizBot:
    """Return a QuizBot ready to `start(token)`; nothing is opened before `setup_hook`.

    `shard_ids` (with `shard_count`) runs only those shards in this process;
    `message_content=False` does not ask for the privileged Message Content intent (classic,
    typed games are then refused with a message that says why); `web_url` is the public address
    of the leaderboard web pages (`quizbot web`), for the link `/quiz settings` gives.
    """
    return QuizBot(
        db_path, questions_dir, clock=clock, force_sync=force_sync, sync_guild=sync_guild,
        shard_ids=shard_ids, shard_count=shard_count, message_content=message_content,
        web_url=web_url,
    )  # fmt: skip
