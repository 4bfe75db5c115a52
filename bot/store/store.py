"""The store: one SQLite database behind typed repositories, one per concern."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.store.answers import AnswersRepo, PlayersRepo
from bot.store.boards import BoardsRepo
from bot.store.cards import CardsRepo
from bot.store.database import Database, Tuning
from bot.store.games import GamesRepo, Shards
from bot.store.guilds import GuildsRepo, MetaRepo
from bot.store.reports import ReportsRepo
from bot.store.utc import Now

log = logging.getLogger(__name__)


class Store:
    """The bot's database: one writer task with group commit, a few read connections.

    `Store(path)` is closed; `await store.start()` opens it (creating and migrating the file).
    `await Store.open(path)` does both. Everything is reached through the repositories:
    `games`, `answers`, `players`, `boards`, `cards`, `reports`, `guilds` and `meta`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Now | None = None,
        readers: int = 2,
        max_batch: int = 1000,
        batch_window: float = 0.002,
        fold_delay: float | None = 0.1,
        fold_backlog: int = 20_000,
        fold_inline: bool = True,
    ) -> None:
        """Prepare a store on `path` without opening it.

        New answers are counted in the leaderboards in the transaction that stores them
        (`fold_inline`). Answers left uncounted (a failed count, another process's writes, or
        `fold_inline=False`) are counted once the writer has been idle for `fold_delay`
        seconds (None: only when read), at once when `fold_backlog` are waiting, and in any
        case before a read of the leaderboards returns.
        """
        tuning = Tuning(readers, max_batch, batch_window, fold_delay, fold_backlog, fold_inline)
        self.db = Database(path, now=clock, tuning=tuning)
        self.games = GamesRepo(self.db)
        self.answers = AnswersRepo(self.db)
        self.players = PlayersRepo(self.db)
        self.boards = BoardsRepo(self.db)
        self.cards = CardsRepo(self.db)
        self.reports = ReportsRepo(self.db)
        self.guilds = GuildsRepo(self.db)
        self.meta = MetaRepo(self.db)
        #: Games a crash left running, closed as aborted when the store started.
        self.aborted_at_open: list[int] = []

    @property
    def path(self) -> Path:
        """Return the database file's path."""
        return self.db.path

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        clock: Now | None = None,
        readers: int = 2,
        max_batch: int = 1000,
        batch_window: float = 0.002,
        abort_running: bool = True,
        read_only: bool = False,
        fold_delay: float | None = 0.1,
        fold_backlog: int = 20_000,
        fold_inline: bool = True,
    ) -> Self:
        """Return a started store (see `__init__` and `start`)."""
        store = cls(
            path, clock=clock, readers=readers, max_batch=max_batch, batch_window=batch_window,
            fold_delay=fold_delay, fold_backlog=fold_backlog, fold_inline=fold_inline,
        )  # fmt: skip
        await store.start(abort_running=abort_running, read_only=read_only)
        return store

    async def start(
        self, *, abort_running: bool = True, read_only: bool = False, shards: Shards | None = None
    ) -> None:
        """Open the database and close games a crash left running as aborted.

        `shards` (shard ids, shard count) closes only the games of those shards' guilds: a bot
        process running some shards beside others on one database. Pass `abort_running=False`
        from a tool that opens the file beside a running bot (a leaderboard printout, say):
        that bot's games are alive, not left over from a crash.
        `read_only` opens an existing database for reading only (never created, migrated or
        written): FileNotFoundError when it is missing, MigrationError when its schema differs.
        """
        await self.db.open(read_only=read_only)
        if read_only:
            return
        try:
            if abort_running:
                self.aborted_at_open = await self.games.abort_running(shards)
        except BaseException:
            await self.close()
            raise
        if self.aborted_at_open:
            log.info("aborted %d games left running: %s", len(self.aborted_at_open),
                     self.aborted_at_open)  # fmt: skip

    async def fold(self) -> int:
        """Count every stored answer in the aggregates now; return how many were pending.

        Reads of the aggregates fold by themselves when needed, and the writer folds when idle,
        so callers rarely need this.
        """
        return await self.db.fold()

    async def close(self) -> None:
        """Commit queued writes, wait for reads in progress, and close every connection."""
        await self.db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
