"""The `quizbot` command line: run, play, check, generate, leaderboard, extract, web."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

DEFAULT_DB = "quizbot.db"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizbot", description="A quiz and learning bot for Discord."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    run.add_argument("--db", default=None, help=f"SQLite file (default {DEFAULT_DB})")
    run.add_argument("--questions", default=None, help="directory of banks (default questions)")
    run.add_argument("--sync", action="store_true", help="sync slash commands now")
    run.add_argument("--guild", type=int, default=None, help="with --sync: sync to this guild only")

    play = sub.add_parser("play", help="play a quiz in the terminal")
    play.add_argument("--bank", default=None, help="bank slug (default: the first bank)")
    play.add_argument("--topic", default=None)
    play.add_argument("--count", type=int, default=10, help="number of questions (1-50)")
    play.add_argument("--mode", choices=("choice", "text", "mixed"), default="mixed")
    play.add_argument("--seed", type=int, default=None)
    play.add_argument("--db", default=DEFAULT_DB)
    play.add_argument("--name", default=None, help="your player name (default: your login)")
    play.add_argument("--review", action="store_true", help="spaced review of what you missed")
    play.add_argument("--questions", default="questions")

    check = sub.add_parser("check", help="validate banks and facts files")
    check.add_argument(
        "paths", nargs="*", help="bank dirs, facts.yaml or bank.yaml (default questions/)"
    )
    check.add_argument("--stats", action="store_true", help="list questions that look broken")
    check.add_argument("--db", default=DEFAULT_DB, help="with --stats: the SQLite file")

    gen = sub.add_parser("generate", help="generate bank.yaml from facts.yaml")
    gen.add_argument("facts", nargs="*", help="facts files or bank dirs (default questions/*/)")
    gen.add_argument(
        "--include-drafts", action="store_true", help="also use facts not yet marked reviewed"
    )

    board = sub.add_parser("leaderboard", help="print a leaderboard")
    board.add_argument("--guild", type=int, default=0, help="guild id (0: terminal games)")
    board.add_argument("--week", action="store_true", help="this ISO week only (UTC)")
    board.add_argument("--topic", default=None)
    board.add_argument("--bank", default=None)
    board.add_argument("--db", default=DEFAULT_DB)

    from bot.cli.extract import add_extract_arguments

    extract = sub.add_parser("extract", help="draft facts.yaml from a plain-text article")
    add_extract_arguments(extract)
    from bot.cli.web import add_web_arguments

    add_web_arguments(sub.add_parser("web", help="serve the leaderboard web page"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "generate":
            from bot.cli.bank import run_generate

            return run_generate(args)
        if args.command == "check":
            from bot.cli.bank import run_check

            return run_check(args)
        if args.command in ("play", "leaderboard"):
            from bot import terminal as console

            return console.run(args)
        if args.command == "extract":
            from bot.cli.extract import run_extract

            return run_extract(args)
        if args.command == "web":
            from bot.cli.web import run_web

            return run_web(args)
        from bot.cli.run import run_bot

        return run_bot(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
