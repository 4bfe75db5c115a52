"""`quizbot migrate-db`: move a SQLite database into an empty PostgreSQL database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.store import MigrationError, database_errors, describe, is_postgres_url


def add_migrate_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `migrate-db`'s options."""
    parser.add_argument("--from", dest="source", required=True, help="the SQLite file to copy")
    parser.add_argument(
        "--to", dest="target", required=True, help="an empty PostgreSQL database: postgresql://…"
    )


def run_migrate(args: argparse.Namespace) -> int:
    """Copy every table; 0 when all arrived, 2 for a wrong argument, 1 when the copy failed."""
    from bot.store.transfer import TransferError, copy_to_postgres

    if not is_postgres_url(args.target):
        print("quizbot migrate-db: --to takes a postgresql://user@host/database URL",
              file=sys.stderr)  # fmt: skip
        return 2
    if is_postgres_url(args.source):
        print("quizbot migrate-db: --from takes the SQLite file to copy", file=sys.stderr)
        return 2

    def shown(table: str, rows: int) -> None:
        print(f"  {table}: {rows:,} rows", flush=True)

    print(f"Copying {args.source} into {describe(args.target)} …", flush=True)
    try:
        copied = asyncio.run(copy_to_postgres(args.source, args.target, shown))
    except (TransferError, MigrationError, *database_errors()) as exc:
        print(f"quizbot migrate-db: {exc}", file=sys.stderr)
        return 1
    print(
        f"Done: {sum(copied.values()):,} rows in {len(copied)} tables, each counted on both "
        f"sides. Point the bot at it with QUIZBOT_DB={describe(args.target)}"
    )
    return 0
