"""The one game loop: start, run round by round on the injected clock, take answers, stop.

Channel games on Discord and games in the terminal both run here. The service owns the timing
and the store writes; the engine (`bot.core.game.Game`) owns the rules and the scores; a
presenter (`bot.services.live.Presenter`) owns what players see. Nothing here imports discord.

What a player was told ("Locked in") is stored whatever the presenter does afterwards: a closed
round's answers are written before anything is shown about it, and a presenter that fails to
redraw a question or to post a hint is logged, not allowed to end the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Iterator
from datetime import timedelta

from bot.core.clock import Clock
from bot.core.game import Game, GameState
from bot.core.models import Bank
from bot.core.scoring import AnswerOutcome, AnswerStatus, RoundResult
from bot.core.selection import GameError, GameMode, GameSettings, pick_questions
from bot.services.cards import Cards, reschedule
from bot.services.cooldown import Cooldown
from bot.services.live import (
    ChannelBusyError,
    ChannelLostError,
    Click,
    ClickStatus,
    LiveGame,
    Presenter,
    StartRequest,
    Winner,
)
from bot.services.recording import answer_records
from bot.store import Store

log = logging.getLogger(__name__)

REVEAL_PAUSE = 6.0
#: A question posted this many seconds late has its countdown redrawn from the real deadline.
LATE_POST = 1.0
#: One game start per player per this many seconds.
START_COOLDOWN = 30.0


class GameService:
    """Every live game, one per channel, each run by its own task."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        cards: Cards | None = None,
        presenter: Presenter | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        #: Where rounds train the players' review cards (None: they do not).
        self.cards = cards
        self.presenter = presenter
        self.rng = random.Random()
        self.reveal_pause = REVEAL_PAUSE
        self.close_early = True
        self.start_cooldown = Cooldown(clock, START_COOLDOWN)
        self._by_channel: dict[int, LiveGame] = {}
        self._by_id: dict[int, LiveGame] = {}
        self._closing = False

    # -- registry -------------------------------------------------------------------------
    def in_channel(self, channel_id: int) -> LiveGame | None:
        """Return the live game in a channel, if any."""
        return self._by_channel.get(channel_id)

    def by_id(self, game_id: int) -> LiveGame | None:
        """Return a live game by its id, if it is still running."""
        return self._by_id.get(game_id)

    def open_facts(self) -> set[tuple[str, str]]:
        """Return (bank, fact id) of every question a live game is asking right now.

        `/ask`, `/practice` and `/review` keep these to themselves until the round closes, so
        nobody can look up the answer to the open question.
        """
        return {
            (live.bank_slug, question.fact_id)
            for live in self._by_id.values()
            if live.engine.state is GameState.OPEN and (question := live.engine.question)
        }

    def __iter__(self) -> Iterator[LiveGame]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    # -- starting -------------------------------------------------------------------------
    async def create(self, req: StartRequest, bank: Bank) -> LiveGame:
        """Pick the questions, record the game and reserve the channel; `launch` then runs it."""
        self._check_can_start(req.channel_id)
        mode = GameMode(req.mode)
        settings = GameSettings(req.count, req.topic, req.seconds, mode, bank.slug, req.tries)
        seen = await self.store.answers.seen([req.user_id], bank.slug)
        # Another start may have taken the channel, or a shutdown begun, during the await.
        self._check_can_start(req.channel_id)
        questions = pick_questions(
            bank, settings.count, topic=settings.topic, seen=seen, mode=mode, rng=self.rng
        )
        engine = Game(questions, settings, clock=self.clock.monotonic, host_id=req.user_id)
        live = LiveGame(0, req.guild_id, req.channel_id, bank, engine, req.user_id, req.user_name)
        if req.solo:
            # The only player is known before the first question, so it may close early too.
            engine.join(req.user_id, req.user_name)
            live.roster_fixed = True
        # Reserve the channel before the first await of the write, so two starts cannot both win.
        self._by_channel[req.channel_id] = live
        try:
            live.game_id = await self.store.games.start(
                req.guild_id, req.channel_id, bank.slug, mode.value, settings.topic,
                req.user_id, engine.total,
            )  # fmt: skip
        except BaseException:
            self._by_channel.pop(req.channel_id, None)
            raise
        self._by_id[live.game_id] = live
        if self._closing:  # `shutdown` ran during the write and would never see this game
            await self._end(live, "aborted")
            raise GameError("the bot is shutting down")
        return live

    def _check_can_start(self, channel_id: int) -> None:
        """Refuse a start while shutting down or while the channel has a game."""
        if self._closing:
            raise GameError("the bot is shutting down")
        if channel_id in self._by_channel:
            raise ChannelBusyError("A game is already running here. Use `/quiz stop` to end it.")

    def launch(self, live: LiveGame) -> None:
        """Start running a created game in the background (not one `shutdown` already ended)."""
        if self._by_id.get(live.game_id) is live:
            live.task = asyncio.create_task(self._run(live), name=f"quiz-game-{live.game_id}")

    # -- commands from players ------------------------------------------------------------
    def request_stop(self, live: LiveGame, by_id: int, by_name: str) -> None:
        """Ask the game to stop at once; it reports the final standings itself."""
        live.stopped_by = (by_id, by_name)
        live.wake.set()

    def request_skip(self, live: LiveGame) -> bool:
        """Ask the game to close the open question unscored; return False if none is open."""
        if live.engine.state is not GameState.OPEN:
            return False
        live.skip_index = live.engine.index
        live.wake.set()
        return True

    def click(  # noqa: PLR0917 - the parts of a button's id, then who pressed it and where
        self,
        game_id: int,
        index: int,
        option: int,
        user_id: int,
        user_name: str,
        channel_id: int | None = None,
    ) -> Click:
        """Take an option pick and return what to tell the player (never raises).

        `channel_id` is where the click came from: a button is only good in its game's channel.
        """
        return self._lock(game_id, index, option, user_id, user_name, channel_id)

    def type_answer(
        self, game_id: int, index: int, text: str, user_id: int, user_name: str
    ) -> Click:
        """Take a typed answer to a question without options (mixed mode); never raises."""
        return self._lock(game_id, index, text, user_id, user_name, None)

    def _lock(  # noqa: PLR0917 - private; everything one answer carries
        self,
        game_id: int,
        index: int,
        value: int | str,
        user_id: int,
        user_name: str,
        channel_id: int | None,
    ) -> Click:
        live = self._by_id.get(game_id)
        if live is None or live.engine.is_over or live.stopped_by is not None:
            return Click(ClickStatus.ENDED)
        if channel_id is not None and channel_id != live.channel_id:
            return Click(ClickStatus.ELSEWHERE)
        engine = live.engine
        # A click names its question, whose message exists only once it was posted.
        if index != engine.index or engine.state is not GameState.OPEN:
            return Click(ClickStatus.CLOSED)
        deadline = engine.deadline
        if deadline is not None and self.clock.monotonic() >= deadline:
            # The round is due to close; the loop will close it on its next step.
            return Click(ClickStatus.CLOSED)
        outcome = engine.answer(user_id, value, name=user_name)
        if outcome.status is AnswerStatus.ACCEPTED:
            live.answered_at.setdefault(index, {})[user_id] = self.clock.now()
            self._maybe_close_early(live)
            return Click(ClickStatus.LOCKED, outcome.option_label or "")
        if outcome.status is AnswerStatus.WRONG:
            return Click(ClickStatus.RETRY, tries_left=outcome.tries_left or 0)
        if outcome.status is AnswerStatus.DUPLICATE:
            return Click(ClickStatus.DUPLICATE, outcome.option_label or "")
        if outcome.status is AnswerStatus.INVALID_CHOICE:
            return Click(ClickStatus.INVALID)
        if outcome.status is AnswerStatus.TOO_LONG:
            return Click(ClickStatus.TOO_LONG)
        return Click(ClickStatus.CLOSED)

    def guess(
        self, channel_id: int, user_id: int, user_name: str, text: str, message_id: int
    ) -> AnswerOutcome | None:
        """Take a chat message as a classic-mode guess; return the outcome, None if not one."""
        live = self._by_channel.get(channel_id)
        if live is None or live.engine.mode is not GameMode.CLASSIC or live.stopped_by:
            return None
        engine = live.engine
        if engine.state is not GameState.OPEN or live.game_id == 0 or not live.shown:
            return None
        deadline = engine.deadline
        if deadline is not None and self.clock.monotonic() >= deadline:
            return None
        index = engine.index
        outcome = engine.answer(user_id, text, name=user_name)
        if outcome.status in (AnswerStatus.ACCEPTED, AnswerStatus.WRONG) and text.strip():
            live.answered_at.setdefault(index, {})[user_id] = self.clock.now()
            live.last_guess[user_id] = text
        if outcome.status is AnswerStatus.ACCEPTED:
            live.winner = Winner(user_id, user_name, text, message_id, outcome)
            live.wake.set()
        else:
            self._maybe_close_early(live)
        return outcome

    def _maybe_close_early(self, live: LiveGame) -> None:
        """Wake the loop when everyone playing is done with the open question."""
        engine = live.engine
        known = live.roster_fixed or engine.index > 0  # round 1 still gathers its players
        if self.close_early and known and engine.all_answered:
            live.wake.set()

    # -- the game loop --------------------------------------------------------------------
    async def _run(self, live: LiveGame) -> None:
        """Play every round, then report; a crash closes the game as aborted."""
        status = "aborted"  # unless `_play` returns (a cancel or a crash is an abort)
        try:
            status = await self._play(live)
        except ChannelLostError as exc:
            log.warning("game %s in channel %s ended: %s", live.game_id, live.channel_id, exc)
            with contextlib.suppress(Exception):
                await self._presenter.game_aborted(live)
        except Exception:
            log.exception("game %s in channel %s crashed", live.game_id, live.channel_id)
            with contextlib.suppress(Exception):
                await self._presenter.game_aborted(live)
        finally:
            await self._end(live, status)

    async def _play(self, live: LiveGame) -> str:
        """Run the rounds; return the final status ('finished' or 'stopped')."""
        engine = live.engine
        presenter = self._presenter
        while not engine.is_over and live.stopped_by is None:
            question = engine.open()
            live.winner = None
            live.last_guess = {}
            live.shown = False
            await self.store.games.ask(
                live.game_id, engine.index, question.id, question.fact_id, question.topic,
                self.clock.now(),
            )  # fmt: skip
            seconds = timedelta(seconds=engine.settings.seconds)
            asked = self.clock.monotonic()
            live.question_message_id = await presenter.show_question(
                live, question, engine.options, self.clock.now() + seconds
            )
            # The answer window opens once players can see the question, however long the
            # post took (a rate limit can hold it for seconds).
            engine.restart_clock()
            live.shown = True
            if self.clock.monotonic() - asked > LATE_POST:
                await self._cosmetic(
                    presenter.show_deadline(live, self.clock.now() + seconds), live, "countdown"
                )
            result = await self._round(live)
            if result is not None:
                # Stored first: a failed redraw or reveal must not lose what players gave.
                await self._record(live, result)
            await self._cosmetic(
                presenter.close_question(live, live.question_message_id), live, "redraw"
            )
            if result is None:  # stopped while the question was open
                break
            await presenter.show_reveal(live, result, engine.standings())
            if not engine.is_over:
                await self._pause(live, self.reveal_pause)
        # A stop that comes after the last round changes nothing: the game is complete.
        stopped = live.stopped_by is not None and engine.state is not GameState.FINISHED
        if stopped and not engine.is_over:
            engine.stop()
        if not stopped:
            live.stopped_by = None
        await presenter.show_end(live, engine.standings())
        return "stopped" if stopped else "finished"

    async def _round(self, live: LiveGame) -> RoundResult | None:
        """Wait out the open question (hints, skip, early close); return its result.

        A stop while the question is open closes it with the answers already given (they were
        locked in and are kept) and returns None: the game then ends without a reveal.
        """
        engine = live.engine
        clock = self.clock
        index = engine.index
        while engine.state is GameState.OPEN:
            if live.stopped_by is not None:
                await self._record(live, engine.close(index))
                return None
            if live.skip_index == index:
                return engine.skip(index)
            deadline = engine.deadline or 0.0
            now = clock.monotonic()
            if now >= deadline:
                break
            if self.close_early and (live.roster_fixed or index > 0) and engine.all_answered:
                break
            hint_at = engine.next_hint_at
            if hint_at is not None and now >= hint_at:
                hint = engine.hint()
                await self._cosmetic(
                    self._presenter.show_hint(live, hint, len(engine.hints)), live, "hint"
                )
                continue
            live.wake.clear()
            await self._sleep_or_wake(live, min(deadline, hint_at or deadline) - now)
        if engine.state is GameState.OPEN:
            return engine.close(index)
        # A right guess closed the round inside `guess` (classic mode).
        return engine.last_result

    async def _record(self, live: LiveGame, result: RoundResult) -> None:
        """Store a closed round's answers exactly once each, then update the review cards."""
        engine = live.engine
        records = answer_records(
            result, live.game_id, live.guild_id, live.bank_slug, engine.players,
            self.clock.now(), live.answered_at.get(result.index, {}), live.last_guess,
        )  # fmt: skip
        cards = self.cards
        # One write for the whole round: its answers, the leaderboard aggregates and (when
        # rounds train cards) every player's card and review share one transaction.
        if cards is not None and not result.skipped and result.entries:
            reviews = cards.round_reviews(
                live.guild_id, live.bank_slug, result, float(engine.settings.seconds)
            )
            by_player = {r.user_id: r for r in reviews}
            stored, _ = await self.store.answers.record_round(
                records, [by_player.get(r.user_id) for r in records], reschedule
            )
        else:
            stored = await self.store.answers.record_many(records)
        for record, ok in zip(records, stored, strict=True):
            if not ok:
                # The UNIQUE constraint caught a second answer; the first one stands.
                log.warning(
                    "game %s round %s: duplicate answer by %s ignored",
                    record.game_id, record.question_index + 1, record.user_id,
                )  # fmt: skip

    async def _cosmetic(self, step: Awaitable[None], live: LiveGame, what: str) -> None:
        """Run a presenter step the game can do without; log its failure and go on."""
        try:
            await step
        except Exception as exc:
            log.warning("game %s: could not show the %s (%r); going on",
                        live.game_id, what, exc)  # fmt: skip

    async def _pause(self, live: LiveGame, seconds: float) -> None:
        """Wait between rounds, cut short by a stop."""
        end = self.clock.monotonic() + seconds
        while live.stopped_by is None:
            left = end - self.clock.monotonic()
            if left <= 0:
                return
            live.wake.clear()
            await self._sleep_or_wake(live, left)

    async def _sleep_or_wake(self, live: LiveGame, seconds: float) -> None:
        """Sleep on the clock until `seconds` pass or something wakes the game."""
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        waker = asyncio.ensure_future(live.wake.wait())

        def busy(_: object) -> None:
            live.waiting = False

        # Cleared as soon as either side fires, before this task even resumes.
        sleeper.add_done_callback(busy)
        waker.add_done_callback(busy)
        try:
            # Let the sleeper register with the clock first: only then is the game truly
            # waiting, and a clock advanced from now on is sure to wake it.
            await asyncio.sleep(0)
            live.waiting = not (sleeper.done() or waker.done())
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            live.waiting = False
            for task in (sleeper, waker):
                task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)

    @property
    def _presenter(self) -> Presenter:
        if self.presenter is None:
            raise RuntimeError("no presenter: nothing shows the games")
        return self.presenter

    def _forget(self, live: LiveGame) -> None:
        """Free the channel and the id of a game that ended."""
        if self._by_channel.get(live.channel_id) is live:
            del self._by_channel[live.channel_id]
        if self._by_id.get(live.game_id) is live:
            del self._by_id[live.game_id]

    async def _end(self, live: LiveGame, status: str) -> None:
        """Forget a game that ended and record how (a store failure is logged, not raised)."""
        self._forget(live)
        try:
            await asyncio.shield(self.store.games.finish(live.game_id, status))
        except Exception:
            log.exception("could not record the end of game %s", live.game_id)

    async def shutdown(self) -> None:
        """Cancel every live game (they are closed as aborted) and refuse new ones."""
        self._closing = True
        for live in [live for live in self._by_id.values() if live.task is None]:
            await self._end(live, "aborted")  # created, but its start was not announced yet
        tasks = [live.task for live in self._by_id.values() if live.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
