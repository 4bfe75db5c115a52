"""The game service without Discord: a recording presenter, a real store and a ManualClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from support.quizharness import TEST_BANK

from bot.core.bank import load_bank_text
from bot.core.clock import ManualClock
from bot.core.models import Bank, Question
from bot.core.scoring import RoundResult, Standings
from bot.core.selection import GameError
from bot.services import games as games_module
from bot.services.cards import Cards
from bot.services.games import GameService
from bot.services.live import ChannelBusyError, ClickStatus, LiveGame, StartRequest
from bot.store import CardRow, ReviewRecord, Store

BANK_YAML = TEST_BANK


@dataclass
class Recorder:
    """A presenter that writes down what the channel would see."""

    events: list[tuple[str, Any]] = field(default_factory=list)
    ids: int = 100

    async def show_question(
        self, live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int:
        self.ids += 1
        self.events.append(("question", question.id))
        return self.ids

    async def show_deadline(self, live: LiveGame, deadline_at: datetime) -> None:
        self.events.append(("deadline", deadline_at))

    async def show_hint(self, live: LiveGame, hint: str, number: int) -> None:
        self.events.append(("hint", hint))

    async def close_question(self, live: LiveGame, message_id: int | None) -> None:
        self.events.append(("closed", message_id))

    async def show_reveal(self, live: LiveGame, result: RoundResult, standings: Standings) -> None:
        self.events.append(("reveal", result.skipped))

    async def show_end(self, live: LiveGame, standings: Standings) -> None:
        self.events.append(("end", live.stopped_by))

    async def game_aborted(self, live: LiveGame) -> None:
        self.events.append(("aborted", None))


@dataclass
class Host:
    store: Store
    clock: ManualClock
    cards: Cards
    games: GameService


@pytest_asyncio.fixture
async def host(tmp_path: Path) -> AsyncIterator[Host]:
    clock = ManualClock()
    store = await Store.open(tmp_path / "quiz.db", clock=clock.now)
    cards = Cards(store, clock)
    h = Host(store, clock, cards, GameService(store, clock, cards=cards, presenter=Recorder()))
    h.games.reveal_pause = 5
    yield h
    await h.games.shutdown()
    await store.close()


def _bank() -> Bank:
    return load_bank_text(BANK_YAML)


async def _settle(live: LiveGame) -> None:
    """Wait until the game waits on the clock (store writes run in a thread, so poll)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + 5
    while not (live.waiting or (live.task is not None and live.task.done())):
        if loop.time() > end:
            raise AssertionError("the game did not settle")
        await asyncio.sleep(0.001)


def _request(count: int = 2, mode: str = "buttons", topic: str | None = "places") -> StartRequest:
    return StartRequest(1, 10, 42, "alice", count=count, seconds=20, mode=mode, topic=topic)


async def test_stop_during_the_pause_ends_the_game_as_stopped(host: Host) -> None:
    games = host.games
    live = await games.create(_request(), _bank())
    with pytest.raises(ChannelBusyError):
        await games.create(_request(), _bank())
    games.launch(live)
    await _settle(live)
    right = live.engine.question.correct_index  # type: ignore[union-attr]
    assert games.click(live.game_id, 0, right, 42, "alice").status is ClickStatus.LOCKED
    assert games.click(live.game_id, 0, 9, 43, "bob").status is ClickStatus.INVALID
    assert games.click(live.game_id, 1, 0, 43, "bob").status is ClickStatus.CLOSED
    assert games.click(999, 0, 0, 43, "bob").status is ClickStatus.ENDED
    await host.clock.advance(20)
    await _settle(live)
    games.request_stop(live, 7, "boss")
    assert live.task is not None
    await asyncio.wait_for(live.task, 5)
    recorder = games.presenter
    assert isinstance(recorder, Recorder)
    kinds = [k for k, _ in recorder.events]
    assert kinds == ["question", "closed", "reveal", "end"]
    assert recorder.events[-1] == ("end", (7, "boss"))
    game = await host.store.games.get(live.game_id)
    assert game is not None and game.status == "stopped"
    rows = await host.store.answers.for_game(live.game_id)
    assert [(r.user_id, r.correct, r.points) for r in rows] == [(42, True, 1000)]
    assert games.in_channel(10) is None and len(games) == 0


async def test_skipped_round_records_nothing(host: Host) -> None:
    games = host.games
    live = await games.create(_request(count=1), _bank())
    games.launch(live)
    await _settle(live)
    games.click(live.game_id, 0, 0, 42, "alice")
    assert games.request_skip(live)
    assert live.task is not None
    await asyncio.wait_for(live.task, 5)
    assert await host.store.answers.for_game(live.game_id) == []
    game = await host.store.games.get(live.game_id)
    assert game is not None and game.status == "finished"
    assert not games.request_skip(live)


async def test_learning_hook_failure_never_breaks_the_game(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, str, str]] = []

    def broken(card_json: str | None, review: ReviewRecord) -> CardRow:
        calls.append((review.guild_id, review.bank, review.source))
        raise RuntimeError("cards are broken")

    monkeypatch.setattr(games_module, "reschedule", broken)
    games = host.games
    live = await games.create(_request(count=1, mode="classic", topic="leaders"), _bank())
    games.launch(live)
    await _settle(live)
    answer = live.engine.question.answer  # type: ignore[union-attr]
    outcome = games.guess(10, 42, "alice", answer, 555)
    assert outcome is not None and outcome.correct
    assert live.task is not None
    await asyncio.wait_for(live.task, 5)
    assert calls == [(1, "test-bank", "game")]
    game = await host.store.games.get(live.game_id)
    assert game is not None and game.status == "finished"
    # The failed review was undone alone: no card, no review, the answer and its score kept.
    assert await host.store.cards.for_user(42) == []
    rows = await host.store.answers.for_game(live.game_id)
    assert [(r.user_id, r.answer, r.correct) for r in rows] == [(42, answer, True)]


async def test_guesses_outside_an_open_classic_round_are_ignored(host: Host) -> None:
    games = host.games
    assert games.guess(10, 42, "alice", "anything", 1) is None
    live = await games.create(_request(count=1), _bank())  # a buttons game
    games.launch(live)
    await _settle(live)
    assert games.guess(10, 42, "alice", "Belgrade", 1) is None


async def test_a_game_created_but_not_launched_is_aborted_by_shutdown(host: Host) -> None:
    games = host.games
    live = await games.create(_request(), _bank())
    await games.shutdown()  # while the start is still being announced
    games.launch(live)
    assert live.task is None
    assert games.in_channel(10) is None and len(games) == 0
    game = await host.store.games.get(live.game_id)
    assert game is not None and game.status == "aborted"


async def test_a_start_racing_shutdown_is_refused_and_aborted(host: Host) -> None:
    games = host.games
    gate = asyncio.Event()

    async def hold(db: object) -> None:
        await gate.wait()  # keep the writer busy so the game's own write waits behind this

    held = asyncio.ensure_future(host.store.db.write(hold))
    creating = asyncio.ensure_future(games.create(_request(), _bank()))
    loop = asyncio.get_running_loop()
    end = loop.time() + 5
    while games.in_channel(10) is None:  # the channel is reserved just before the write
        assert loop.time() < end, "the start never reached its write"
        await asyncio.sleep(0.001)
    await games.shutdown()
    gate.set()
    with pytest.raises(GameError, match="shutting down"):
        await creating
    await held
    assert games.in_channel(10) is None and len(games) == 0
    game = await host.store.games.get(1)
    assert game is not None and game.status == "aborted"


async def test_a_click_from_another_channel_is_refused(host: Host) -> None:
    # The custom id names the game; a copy of the button elsewhere must not answer for it.
    games = host.games
    live = await games.create(_request(count=1), _bank())
    games.launch(live)
    await _settle(live)
    elsewhere = games.click(live.game_id, 0, 1, 42, "alice", channel_id=999)
    assert elsewhere.status is ClickStatus.ELSEWHERE
    assert live.engine.players == ()
    here = games.click(live.game_id, 0, 1, 42, "alice", channel_id=live.channel_id)
    assert here.status is ClickStatus.LOCKED


async def test_the_answer_window_opens_when_the_question_is_posted(host: Host) -> None:
    # A rate limit holds the question's post for 5.5 s of a 5-second round: players still get
    # the whole round from the moment they can see it, and the countdown is redrawn.
    clock = host.clock
    recorder = Recorder()
    posted_at: list[float] = []

    async def slow_post(
        live: LiveGame, question: Question, options: tuple[str, ...], deadline_at: datetime
    ) -> int:
        await clock.advance(5.5)
        posted_at.append(clock.monotonic())
        return await Recorder.show_question(recorder, live, question, options, deadline_at)

    recorder.show_question = slow_post  # type: ignore[method-assign]
    games = GameService(host.store, clock, presenter=recorder)
    request = StartRequest(1, 11, 42, "alice", count=1, seconds=5, mode="buttons", topic="places")
    live = await games.create(request, _bank())
    games.launch(live)
    await _settle(live)
    assert live.engine.deadline == posted_at[0] + 5
    assert games.click(live.game_id, 0, 0, 42, "alice").status is ClickStatus.LOCKED
    assert [kind for kind, _ in recorder.events] == ["question", "deadline"]
    await games.shutdown()
