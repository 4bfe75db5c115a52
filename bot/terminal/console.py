"""Terminal adapter: `quizbot play` and `quizbot leaderboard` on the same engine and store."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import hashlib
import random
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from bot.core.bank import load_banks
from bot.core.clock import Clock, RealClock
from bot.core.game import Game
from bot.core.models import Bank, BankError, Question
from bot.core.scoring import AnswerStatus, RoundResult, option_label
from bot.core.selection import GameError, GameMode, GameSettings, pick_questions, read_option
from bot.services.learning import LearningService
from bot.services.recording import answer_records
from bot.store import Store

TERMINAL_GUILD = 0
TERMINAL_SECONDS = 60
MAX_TRIES = 3
MAX_NAME_CHARS = 32


def terminal_user_id(name: str) -> int:
    """Return a stable player id for a terminal name (terminal games live in guild 0)."""
    digest = hashlib.sha256(f"terminal:{name.casefold()}".encode()).digest()
    return int.from_bytes(digest[:6], "big") + 1


class LineReader:
    """Read stdin lines on a daemon thread so a blocked read never holds up exit."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:
            try:
                for line in _stdin_lines():
                    loop.call_soon_threadsafe(self._queue.put_nowait, line.rstrip("\r\n"))
            finally:
                # Whatever stops the reading, the game sees the end of input instead of waiting.
                loop.call_soon_threadsafe(self._queue.put_nowait, None)

        threading.Thread(target=pump, name="stdin", daemon=True).start()

    async def read(self, prompt: str) -> str | None:
        """Print a prompt and return the next line, or None at the end of input."""
        print(prompt, end="", flush=True)
        return await self._queue.get()


@dataclass
class Terminal:
    """One terminal game: its engine, its store rows and its player."""

    game: Game
    store: Store
    bank: Bank
    game_id: int
    user_id: int
    name: str
    learning: LearningService
    out: Callable[[str], None] = print
    clock: Clock = field(default_factory=RealClock)

    async def play(self, reader: LineReader) -> bool:
        """Play every round; return False when input ended early."""
        while not self.game.is_over:
            question = self.game.open()
            index = self.game.index
            await self.store.games.ask(
                self.game_id, index, question.id, question.fact_id, question.topic
            )
            self._show(question)
            ended = await self._answer(reader, question)
            if ended:
                return False
            result = (
                self.game.last_result
                if self.game.last_result and (self.game.last_result.index == index)
                else self.game.close(index)
            )
            await self._record(result)
            # Terminal answers train the same review cards as answers in Discord.
            await self.learning.record_round(
                TERMINAL_GUILD, self.bank.slug, result, self.game.settings.seconds
            )
            self._reveal(result)
        return True

    def _show(self, q: Question) -> None:
        topic = self.bank.topics.get(q.topic, q.topic)
        self.out(f"\nQuestion {self.game.index + 1}/{self.game.total} · {topic}")
        self.out(q.prompt)
        for i, option in enumerate(self.game.options):
            self.out(f"  {option_label(i)}) {option}")

    async def _answer(self, reader: LineReader, q: Question) -> bool:
        options = self.game.options
        for attempt in range(1, MAX_TRIES + 1):
            hint = f"[{'/'.join(option_label(i) for i in range(len(options)))}] " if options else ""
            line = await reader.read(f"Your answer {hint}> ")
            if line is None:
                return True
            value = _parse(line, options)
            outcome = self.game.answer(self.user_id, value, name=self.name)
            if outcome.status is AnswerStatus.INVALID_CHOICE:
                self.out(f"Pick one of {', '.join(option_label(i) for i in range(len(options)))}.")
                continue
            if outcome.status is AnswerStatus.TOO_LONG:
                self.out("That answer is too long (200 characters at most).")
                continue
            if outcome.status is AnswerStatus.CLOSED:
                self.out(f"Too late: the {self.game.settings.seconds} s for this question ran out.")
                return False
            if outcome.status is AnswerStatus.WRONG and not line.strip():
                self.out("Type an answer.")
                continue
            if outcome.status is AnswerStatus.WRONG:
                if attempt < MAX_TRIES:
                    self.out("Not quite. Try again.")
                continue
            return False
        return False

    async def _record(self, result: RoundResult) -> None:
        records = answer_records(
            result, self.game_id, TERMINAL_GUILD, self.bank.slug, self.game.players,
            self.clock.now(),
        )  # fmt: skip
        await self.store.answers.record_many(records)

    def _reveal(self, result: RoundResult) -> None:
        mine = next((e for e in result.entries if e.player_id == self.user_id), None)
        if mine is None:
            self.out(f"No answer. The answer: {result.answer}")
        elif mine.correct:
            extra = "" if mine.exact else f" (accepted; exactly: {result.answer})"
            self.out(f"Right! +{mine.points} points{extra}")
        else:
            self.out(f"Wrong. The answer: {result.answer}")
        self.out(f"Why: {result.explanation}")
        self.out(f"Source: paragraph {result.paragraph} of the article")


def _stdin_lines() -> Iterable[str]:
    """Return stdin's lines; bytes the terminal's encoding cannot read become U+FFFD."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (tests swap stdin for text)
        return sys.stdin
    encoding = sys.stdin.encoding or "utf-8"
    return (raw.decode(encoding, errors="replace") for raw in buffer)


def _parse(line: str, options: tuple[str, ...]) -> int | str:
    """Turn a typed line into an option index (letter, number or option text) or free text."""
    text = line.strip()
    if not options:
        return text
    index = read_option(text, options)
    return -1 if index is None else index


def _questions_for(bank: Bank, mode: str) -> list[Question]:
    if mode == "choice":
        return [q for q in bank.questions if q.kind.has_choices]
    return list(bank.questions)


def player_name(given: str | None) -> str:
    """Return the terminal player's name: the one given, else the login, else "player"."""
    name = (given or "").strip()
    if not name:
        try:
            name = getpass.getuser().strip()
        except (OSError, KeyError):  # no login name in the environment or the user database
            name = ""
    # Undecodable bytes in argv arrive as lone surrogates, which the database cannot store.
    name = name.encode("utf-8", errors="replace").decode("utf-8")
    return name[:MAX_NAME_CHARS] or "player"


async def _open_store(path: str) -> Store | None:
    """Open the store at `path`, or explain on stderr why it cannot be used."""
    try:
        # The bot may be running on the same file: its live games are not ours to abort.
        return await Store.open(path, abort_running=False)
    except (sqlite3.Error, OSError, ValueError) as exc:
        print(f"Cannot use the database {path}: {exc}", file=sys.stderr)
        return None


async def play(args: argparse.Namespace, out: Callable[[str], None] = print) -> int:
    """Play one terminal game; answers and scores go to the SQLite store."""
    try:
        banks = load_banks(args.questions)
    except BankError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 1
    if not banks:
        print(f"No banks under {args.questions}/: run quizbot generate.", file=sys.stderr)
        return 1
    slug = args.bank or next(iter(banks))
    if slug not in banks:
        print(f"Unknown bank {slug!r}; banks: {', '.join(banks)}", file=sys.stderr)
        return 2
    bank = banks[slug]
    name = player_name(args.name)
    user_id = terminal_user_id(name)
    mode = GameMode.CLASSIC if args.mode == "text" else GameMode.BUTTONS
    store = await _open_store(args.db)
    if store is None:
        return 1
    clock = RealClock()
    try:
        if args.review:
            from bot.terminal.review import review

            return await review(store, bank, user_id, name, args, out)
        try:
            settings = GameSettings(args.count, args.topic, TERMINAL_SECONDS, mode, bank.slug)
            seen = await store.answers.seen([user_id], bank.slug)
            rng = random.Random(args.seed)
            questions = pick_questions(
                _questions_for(bank, args.mode),
                settings.count,
                topic=settings.topic,
                seen=seen,
                mode=mode,
                rng=rng,
            )
            game = Game(questions, settings, clock=clock.monotonic, host_id=user_id)
        except GameError as exc:
            print(f"Cannot start: {exc}", file=sys.stderr)
            return 2
        await store.players.upsert(user_id, name)
        game_id = await store.games.start(
            TERMINAL_GUILD, 0, bank.slug, mode.value, settings.topic, user_id, game.total
        )
        out(f"{bank.title} — {game.total} questions. Type the letter of an option, or your answer.")
        learning = LearningService(SimpleNamespace(store=store, clock=clock))
        terminal = Terminal(game, store, bank, game_id, user_id, name, learning, out, clock)
        complete = False
        try:
            complete = await terminal.play(LineReader())
        finally:
            await learning.close()
            if not game.is_over:
                game.stop()
            with contextlib.suppress(Exception):
                await store.games.finish(game_id, "finished" if complete else "stopped")
        row = next((r for r in game.standings().rows if r.player_id == user_id), None)
        score = row.points if row else 0
        right = row.correct if row else 0
        played = sum(1 for r in game.results if not r.skipped)
        headline = "Game over" if complete else "Game stopped"
        out(f"\n{headline}: {right}/{played} right, {score} points.")
        out(f"Saved to {args.db}. See `quizbot leaderboard --db {args.db}`.")
        return 0
    finally:
        await store.close()


async def leaderboard(args: argparse.Namespace, out: Callable[[str], None] = print) -> int:
    """Print a guild's leaderboard (guild 0 holds terminal games)."""
    store = await _open_store(args.db)
    if store is None:
        return 1
    try:
        board = await store.boards.leaderboard(
            args.guild,
            period="week" if args.week else "all",
            topic=args.topic,
            bank=args.bank,
            limit=10,
        )
    finally:
        await store.close()
    out(f"Leaderboard — {board.period_label}")
    if not board.rows:
        out("No answers yet. Play with `quizbot play`.")
        return 0
    out(f"{'#':>3}  {'player':<24} {'points':>7} {'accuracy':>8} {'games':>5} {'streak':>6}")
    for r in board.rows:
        name, acc = r.name[:24], f"{r.accuracy:.0%}"
        out(f"{r.rank:>3}  {name:<24} {r.points:>7} {acc:>8} {r.games:>5} {r.best_streak:>6}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run `play` or `leaderboard`."""
    command = play if args.command == "play" else leaderboard
    try:
        return asyncio.run(command(args))
    except KeyboardInterrupt:
        print("\nStopped; your answers so far are saved.", file=sys.stderr)
        return 130
