"""`quizbot web`: serve the leaderboard web page from the bot's database, read-only.

It runs beside the bot (or alone) on the same SQLite file: the store is opened for reading only,
so it never migrates, writes or closes the bot's games. Boards show what the bot has counted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aiohttp import web

from bot.cli.settings import load_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def _port(text: str) -> int:
    if not text.isdecimal() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def add_web_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of `quizbot web`."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--db",
        default=None,
        help="SQLite file or postgresql:// URL (default QUIZBOT_DB or quizbot.db)",
    )
    parser.add_argument("--questions", default=None, help="directory of banks (default questions)")


async def _app(db: str, questions: str) -> web.Application:
    from bot.services.catalog import Catalog
    from bot.store import Store
    from bot.web import create_app

    store = await Store.open(db, read_only=True)
    catalog = Catalog(questions, store)
    catalog.load_global()
    app = create_app(store, catalog)

    async def close(_: web.Application) -> None:
        catalog.close()
        await store.close()

    app.on_cleanup.append(close)
    return app


def run_web(args: argparse.Namespace) -> int:
    """Serve the page until Ctrl-C; 2 when the database is missing or unreadable, 1 when the
    address cannot be used."""
    from bot.store import MigrationError, database_errors, describe, is_postgres_url

    settings = load_settings()
    db = args.db or settings.db_path
    questions = args.questions or settings.questions_dir
    if not is_postgres_url(db) and not Path(db).is_file():
        print(
            f"quizbot web: no database at {db}. Start the bot (quizbot run) or play once "
            "(quizbot play) to create it, or pass --db PATH.",
            file=sys.stderr,
        )
        return 2
    print(
        f"Serving leaderboard pages on http://{args.host}:{args.port}/g/<server id> "
        f"from {describe(db)} (only servers that turned the page on). Ctrl-C stops.",
        flush=True,
    )
    try:
        # A browser's kept-alive connection must not hold Ctrl-C up for the default minute.
        web.run_app(
            _app(db, questions), host=args.host, port=args.port, print=None, shutdown_timeout=3
        )
    except (MigrationError, *database_errors()) as exc:
        print(f"quizbot web: cannot read {describe(db)}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"quizbot web: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
