"""`quizbot run`: read the settings, log in to Discord and run until stopped."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import aiohttp
import discord

from bot.cli.settings import (
    ENV_MESSAGE_CONTENT,
    ENV_TOKEN,
    Settings,
    ShardsError,
    load_settings,
    parse_shards,
)
from bot.store import MigrationError, database_errors, describe, is_postgres_url

log = logging.getLogger(__name__)

NO_TOKEN = f"""\
quizbot run needs a Discord bot token, and {ENV_TOKEN} is not set.

To get one: open the Discord Developer Portal (https://discord.com/developers/applications),
pick your application (or create one), go to Bot and press Reset Token. Then either
  export {ENV_TOKEN}=<the token>
or put the line {ENV_TOKEN}=<the token> in a .env file in this directory.
Enable "Message Content Intent" on the same Bot page if you want classic (typed) games.

Without a token you can still play offline in the terminal: quizbot play
"""

INTENTS_MISSING = """\
Discord refused the connection for a privileged intent even without Message Content. In the
Developer Portal, open your application → Bot → Privileged Gateway Intents, check which
intents are on and which the bot may use, then start again."""

BAD_TOKEN = f"""\
Discord rejected the token. Reset it in the Developer Portal (application → Bot → Reset Token)
and update {ENV_TOKEN}."""


NO_NETWORK = """\
Cannot reach Discord ({reason}).
Check the network connection (and any proxy or firewall in the way), then start again.
Without a network you can still play offline in the terminal: quizbot play"""


class _QuietVoice(logging.Filter):
    """Drop discord.py's notes about voice support: the bot never joins a voice channel."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def _path_problem(settings: Settings) -> str | None:
    """Say what is wrong with the database or questions path before the bot starts."""
    questions = Path(settings.questions_dir)
    if not questions.is_dir():
        state = "is not a directory" if questions.exists() else "does not exist"
        return (
            f"The questions directory {questions.resolve()} {state}.\n"
            "Point at a directory of banks (<dir>/<bank>/bank.yaml) with --questions DIR, "
            "or set QUIZBOT_QUESTIONS=DIR."
        )
    if not is_postgres_url(settings.db_path) and Path(settings.db_path).is_dir():
        return f"Cannot use the database {settings.db_path}: it is a directory; give a file."
    return None


def settings_for(args: argparse.Namespace) -> Settings:
    """Return the settings with command-line options taking precedence."""
    settings = load_settings()
    db = getattr(args, "db", None) or settings.db_path
    questions = getattr(args, "questions", None) or settings.questions_dir
    shard_ids = getattr(args, "shards", None) or settings.shard_ids
    shard_count = getattr(args, "shard_count", None) or settings.shard_count
    return replace(
        settings, db_path=db, questions_dir=questions, shard_ids=shard_ids,
        shard_count=shard_count,
    )  # fmt: skip


def run_bot(args: argparse.Namespace) -> int:
    """Run the Discord bot; return 2 without a token, 1 when Discord refuses to connect."""
    settings = settings_for(args)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr, end="")
        return 2
    problem = _path_problem(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    try:
        shards = parse_shards(settings.shard_ids, settings.shard_count)
    except ShardsError as exc:
        print(f"quizbot run: {exc}", file=sys.stderr)
        return 2
    level = getattr(logging, settings.log_level, logging.INFO)
    # discord.py's handler and format for every logger (replacing the CLI's plain one, so lines
    # are not printed twice); the token is never passed to a log.
    logging.getLogger().handlers.clear()
    discord.utils.setup_logging(level=level, root=True)
    logging.getLogger("discord.client").addFilter(_QuietVoice())
    log.info("starting with %r", settings)
    from bot.client import build_bot

    sync = bool(getattr(args, "sync", False))
    guild = getattr(args, "guild", None)
    if guild is not None and not sync:
        log.warning("--guild only applies with --sync; ignoring it")

    def make_bot(message_content: bool) -> discord.Client:
        return build_bot(
            settings.db_path,
            settings.questions_dir,
            force_sync=sync,
            sync_guild=guild if sync else None,
            message_content=message_content,
            web_url=settings.web_url,
            shard_ids=shards[0] if shards else None,
            shard_count=shards[1] if shards else None,
        )

    try:
        asyncio.run(run_with_intent_fallback(make_bot, settings.token, settings.message_content))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print(INTENTS_MISSING, file=sys.stderr)
        return 1
    except (aiohttp.ClientConnectionError, discord.GatewayNotFound, TimeoutError, OSError) as exc:
        print(NO_NETWORK.format(reason=_reason(exc)), file=sys.stderr)
        return 1
    except discord.DiscordServerError as exc:
        print(NO_NETWORK.format(reason=f"Discord answered {exc.status}"), file=sys.stderr)
        return 1
    except (MigrationError, *database_errors()) as exc:
        print(f"Cannot use the database {describe(settings.db_path)}: {exc}", file=sys.stderr)
        return 1
    return 0


def _reason(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"{exc.host}:{exc.port}: {exc.os_error.strerror or exc.os_error}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


INTENT_REFUSED = (
    "Discord refused the Message Content intent (it is not enabled in the Developer Portal): "
    "running without it, so classic (typed) games are refused. Enable the intent, or set "
    f"{ENV_MESSAGE_CONTENT}=off to stop asking for it."
)


async def run_with_intent_fallback(
    make_bot: Callable[[bool], discord.Client], token: str, message_content: bool
) -> None:
    """Run a bot; when Discord refuses Message Content (close 4014), warn once and run without.

    The refused bot has closed itself (its store too), so a fresh one is built.
    """
    try:
        await _run(make_bot(message_content), token)
    except discord.PrivilegedIntentsRequired:
        if not message_content:
            raise
        log.warning(INTENT_REFUSED)
        await _run(make_bot(False), token)


async def _run(bot: discord.Client, token: str) -> None:
    """Start the bot and close it cleanly on the way out."""
    async with bot:
        await bot.start(token)
