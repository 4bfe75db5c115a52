"""The `quizbot` command line: run, play, topics, check, generate, leaderboard, extract, web,
migrate-db."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.cli.settings import (
    DEFAULT_QUESTIONS,
    ENV_QUESTIONS,
    LogLevelError,
    db_target,
    log_level,
)

DEFAULT_DB = "quizbot.db"
DB_HELP = f"SQLite file or postgresql:// URL (default: $QUIZBOT_DB, else {DEFAULT_DB})"
QUESTIONS_HELP = f"directory of banks (default: ${ENV_QUESTIONS}, else {DEFAULT_QUESTIONS})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizbot", description="A quiz and learning bot for Discord."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    run.add_argument("--db", default=None, help=DB_HELP)
    run.add_argument("--questions", default=None, help=QUESTIONS_HELP)
    run.add_argument("--sync", action="store_true", help="sync slash commands now")
    run.add_argument("--guild", type=int, default=None, help="with --sync: sync to this guild only")
    run.add_argument(
        "--shards", default=None, metavar="IDS",
        help="run only these shards in this process, e.g. 0-3 or 0,2,5 (with --shard-count; "
        "default: $QUIZBOT_SHARDS, else every shard)",
    )  # fmt: skip
    run.add_argument(
        "--shard-count", default=None, metavar="N",
        help="the bot's total number of shards across its processes (default: "
        "$QUIZBOT_SHARD_COUNT)",
    )  # fmt: skip

    play = sub.add_parser("play", help="play a quiz in the terminal")
    play.add_argument("--bank", default=None, help="bank slug or title (default: the first)")
    play.add_argument("--topic", default=None, help="topic slug or title (see quizbot topics)")
    play.add_argument("--count", type=int, default=10, help="number of questions (1-50)")
    play.add_argument("--mode", choices=("choice", "text", "mixed"), default="mixed")
    play.add_argument("--seed", type=int, default=None)
    play.add_argument("--db", default=None, help=DB_HELP)
    play.add_argument("--name", default=None, help="your player name (default: your login)")
    play.add_argument("--review", action="store_true", help="spaced review of what you missed")
    play.add_argument("--questions", default=None, help=QUESTIONS_HELP)

    topics = sub.add_parser("topics", help="list the banks and their topics, with counts")
    topics.add_argument("--questions", default=None, help=QUESTIONS_HELP)

    check = sub.add_parser("check", help="validate banks and facts files")
    check.add_argument(
        "paths",
        nargs="*",
        help=f"bank dirs, facts.yaml or bank.yaml (default: the banks in "
        f"${ENV_QUESTIONS}, else {DEFAULT_QUESTIONS}/)",
    )
    check.add_argument("--stats", action="store_true", help="list questions that look broken")
    check.add_argument("--db", default=None, help="with --stats: the database; " + DB_HELP)
    check.add_argument("--all-warnings", action="store_true", help="list every warning in full")

    gen = sub.add_parser("generate", help="generate bank.yaml from facts.yaml")
    gen.add_argument(
        "facts", nargs="*",
        help=f"facts files or bank dirs (default: the banks in ${ENV_QUESTIONS}, else "
        f"{DEFAULT_QUESTIONS}/)",
    )  # fmt: skip
    gen.add_argument(
        "--include-drafts", action="store_true", help="also use facts not yet marked reviewed"
    )
    gen.add_argument("--all-warnings", action="store_true", help="list every warning in full")

    board = sub.add_parser("leaderboard", help="print a leaderboard")
    board.add_argument("--guild", type=int, default=0, help="guild id (0: terminal games)")
    board.add_argument("--week", action="store_true", help="this ISO week only (UTC)")
    board.add_argument("--topic", default=None, help="topic slug or title")
    board.add_argument("--bank", default=None, help="bank slug or title")
    board.add_argument("--db", default=None, help="read only; " + DB_HELP)
    board.add_argument("--questions", default=None, help=QUESTIONS_HELP + ", to name topics")

    from bot.cli.extract import add_extract_arguments

    extract = sub.add_parser("extract", help="draft facts.yaml from a plain-text article")
    add_extract_arguments(extract)
    from bot.cli.web import add_web_arguments

    add_web_arguments(sub.add_parser("web", help="serve the leaderboard web page"))
    from bot.cli.migrate import add_migrate_arguments

    add_migrate_arguments(
        sub.add_parser("migrate-db", help="copy a SQLite database into an empty PostgreSQL one")
    )
    return parser


def _guard_stdio() -> None:
    """Make the standard streams safe to use whatever the shell gave us.

    A closed descriptor (`<&-`) is reopened on /dev/null so no file the program opens takes its
    number; characters the terminal's encoding cannot show become "?" instead of an error.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "generate":
        from bot.cli.bank import run_generate

        return run_generate(args)
    if args.command == "check":
        from bot.cli.bank import run_check

        return run_check(args)
    if args.command in ("play", "leaderboard", "topics"):
        from bot import terminal as console

        return console.run(args)
    if args.command == "extract":
        from bot.cli.extract import run_extract

        return run_extract(args)
    if args.command == "web":
        from bot.cli.web import run_web

        return run_web(args)
    if args.command == "migrate-db":
        from bot.cli.migrate import run_migrate

        return run_migrate(args)
    from bot.cli.run import run_bot

    return run_bot(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    _guard_stdio()
    args = _parser().parse_args(argv)
    try:
        level = log_level(os.environ, default="WARNING")
    except LogLevelError as exc:
        print(f"quizbot: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "questions", None):
        # check and generate take paths, and look in the same place when given none.
        args.questions = os.environ.get(ENV_QUESTIONS) or DEFAULT_QUESTIONS
    if hasattr(args, "db"):
        args.db = db_target(args.db)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        # The last guard: a user sees one located sentence; the traceback goes to the debug log.
        logging.getLogger("bot.cli").debug("unexpected error", exc_info=True)
        print(
            f"quizbot {args.command}: unexpected error: {type(exc).__name__}: {exc}\n"
            "Run again with QUIZBOT_LOG_LEVEL=DEBUG to see where it happened.",
            file=sys.stderr,
        )
        return 1
