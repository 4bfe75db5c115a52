"""The single write connection: queued writes committed together (group commit)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.store.conn import Conn, is_transient

log = logging.getLogger(__name__)

#: How many times a transaction that lost a deadlock to another process runs, at most.
TRANSIENT_TRIES = 8

WriteFn = Callable[[Conn], Awaitable[Any]]
BatchFn = Callable[[Conn, list[Any]], Awaitable[list[Any]]]


class StoreClosedError(RuntimeError):
    """A write was submitted to a store that is closing or closed."""


class Failed:
    """The outcome of one write that raised; the others in its transaction still commit."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


@dataclass(frozen=True, slots=True)
class Upkeep:
    """Work the writer does on its own, in a transaction of its own, between callers' writes.

    It runs when `wanted()` and the queue stayed empty for `delay` seconds (never if None),
    right after a batch when `urgent()`, and once more when the writer closes. After it fails it
    waits for the next committed write before trying again.
    """

    run: WriteFn
    wanted: Callable[[], bool]
    urgent: Callable[[], bool]
    delay: float | None


@dataclass(slots=True)
class _Op:
    future: asyncio.Future[Any]
    fn: WriteFn | None = None
    batch: BatchFn | None = None
    payload: Any = None


async def in_savepoint(db: Conn, fn: WriteFn) -> Any:
    """Run one write inside a savepoint; on error undo just that write and return `Failed`.

    A deadlock with another process (PostgreSQL picks one transaction to fail) is the
    exception: it is raised, so the writer runs the whole transaction again, since the locks
    the cycle involves may have been taken by the transaction's earlier writes.
    """
    await db.execute("SAVEPOINT op")
    try:
        value = await fn(db)
    except Exception as exc:
        await db.execute("ROLLBACK TO op")
        await db.execute("RELEASE op")
        if is_transient(exc):
            raise
        return Failed(exc)
    await db.execute("RELEASE op")
    return value


class Writer:
    """Own the write connection; commit queued writes in batches, one transaction each.

    Every write waits in a queue. Under load the writer takes what arrived within `window`
    seconds (at most `max_batch` writes), runs them in one `BEGIN IMMEDIATE … COMMIT`, each
    inside its own savepoint so a failing write is undone alone, and only then resolves the
    callers' futures.
    Consecutive writes submitted with the same batch function are handed to it together, which
    lets it use `executemany`; that function must keep the one-failure-undoes-one-write promise.
    An `Upkeep` is work the writer schedules itself (folding new answers into the leaderboards),
    so callers' writes never wait for it unless it is overdue.
    """

    def __init__(
        self,
        db: Conn,
        *,
        max_batch: int = 1000,
        window: float = 0.002,
        on_rollback: Callable[[], None] | None = None,
        on_commit: Callable[[], None] | None = None,
        upkeep: Upkeep | None = None,
    ) -> None:
        self.db = db
        self.max_batch = max_batch
        self.window = window
        self._on_rollback = on_rollback
        self._on_commit = on_commit
        self._upkeep = upkeep
        self._upkeep_failed_at: int | None = None
        self._pending: deque[_Op] = deque()
        self._wakeup = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self._last_size = 0
        self._open = False
        self.batches = 0
        self.committed = 0
        self.upkeep_runs = 0

    def start(self) -> None:
        """Start the writer task on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="store-writer")

    def submit(self, fn: WriteFn) -> asyncio.Future[Any]:
        """Queue a write; the future resolves with its result after the commit."""
        return self._enqueue(_Op(self._new_future(), fn=fn))

    def submit_batched(self, batch: BatchFn, payload: Any) -> asyncio.Future[Any]:
        """Queue a payload for a batch function; the future resolves after the commit."""
        return self._enqueue(_Op(self._new_future(), batch=batch, payload=payload))

    async def close(self) -> None:
        """Refuse new writes, commit everything already queued, and stop."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            # wait() rather than await: a writer that already failed has logged why.
            await asyncio.wait([self._task])

    def _new_future(self) -> asyncio.Future[Any]:
        if self._closing:
            raise StoreClosedError("the store is closed")
        return asyncio.get_running_loop().create_future()

    def _enqueue(self, op: _Op) -> asyncio.Future[Any]:
        self._pending.append(op)
        self._wakeup.set()
        return op.future

    async def _run(self) -> None:
        try:
            while True:
                if not self._pending:
                    if self._closing:
                        await self._run_upkeep(only_if_wanted=True)
                        return
                    self._wakeup.clear()
                    if not await self._wait_for_work():
                        await self._run_upkeep(only_if_wanted=True)
                    continue
                if self._should_wait():
                    # Writes are arriving together: give the others a moment to join this
                    # transaction. A lone write (after a lone write) goes straight through.
                    await asyncio.sleep(self.window)
                take = min(len(self._pending), self.max_batch)
                ops = [self._pending.popleft() for _ in range(take)]
                self._last_size = take
                await self._commit(ops)
                if self._upkeep_allowed() and self._upkeep is not None and self._upkeep.urgent():
                    await self._run_upkeep(only_if_wanted=False)
        except BaseException as exc:
            # Nothing may wait forever on a writer that has stopped.
            self._closing = True
            error = StoreClosedError("the store writer stopped")
            error.__cause__ = exc
            while self._pending:
                _fail(self._pending.popleft(), error)
            if not isinstance(exc, asyncio.CancelledError):
                log.exception("store writer stopped")
            raise

    async def _wait_for_work(self) -> bool:
        """Wait for a write; return False if upkeep is due because none came in its delay."""
        upkeep = self._upkeep
        if upkeep is None or upkeep.delay is None or not self._upkeep_allowed():
            await self._wakeup.wait()
            return True
        if not upkeep.wanted():
            await self._wakeup.wait()
            return True
        try:
            await asyncio.wait_for(self._wakeup.wait(), upkeep.delay)
        except TimeoutError:
            return False
        return True

    def _upkeep_allowed(self) -> bool:
        # After a failure, try again only once some other write has committed.
        return self._upkeep_failed_at is None or self._upkeep_failed_at != self.committed

    async def _run_upkeep(self, *, only_if_wanted: bool) -> None:
        upkeep = self._upkeep
        if upkeep is None or not self._upkeep_allowed():
            return
        if only_if_wanted and not upkeep.wanted():
            return
        op = _Op(asyncio.get_running_loop().create_future(), fn=upkeep.run)
        await self._commit([op], count=False)
        self.upkeep_runs += 1
        error = op.future.exception() if op.future.done() else None
        if error is None:
            self._upkeep_failed_at = None
        else:
            self._upkeep_failed_at = self.committed
            log.warning("store upkeep failed: %r", error)

    def _should_wait(self) -> bool:
        pending = len(self._pending)
        return (
            self.window > 0
            and not self._closing
            and pending < self.max_batch
            and (pending > 1 or self._last_size > 1)
        )

    async def _commit(self, ops: list[_Op], *, count: bool = True) -> None:
        for attempt in range(1, TRANSIENT_TRIES + 1):
            try:
                outcomes = await self._transaction(ops)
            except Exception as exc:
                await self._rollback()
                if is_transient(exc) and attempt < TRANSIENT_TRIES:
                    # Another process won a deadlock: run the whole transaction again.
                    log.info("write transaction conflicted with another process; again")
                    await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
                    continue
                for op in ops:
                    _fail(op, exc)
                log.warning("write transaction of %d operations rolled back: %r", len(ops), exc)
                return
            except BaseException as exc:
                await self._rollback()
                for op in ops:
                    _fail(op, exc)
                raise
            break
        else:  # pragma: no cover - the loop returns or breaks
            return
        if self._on_commit is not None:
            self._on_commit()
        if count:
            self.batches += 1
            self.committed += len(ops)
        for op, outcome in zip(ops, outcomes, strict=True):
            if op.future.done():
                continue
            if isinstance(outcome, Failed):
                op.future.set_exception(outcome.error)
            else:
                op.future.set_result(outcome)

    @property
    def in_transaction(self) -> bool:
        """Return whether a write transaction is open (between BEGIN and its end)."""
        return self._open

    async def _transaction(self, ops: list[_Op]) -> list[Any]:
        """Run the ops in one transaction and commit it; return each op's outcome."""
        self._open = True
        try:
            return await self._run_ops(ops)
        finally:
            self._open = False

    async def _run_ops(self, ops: list[_Op]) -> list[Any]:
        db = self.db
        outcomes: list[Any] = []
        await db.execute("BEGIN IMMEDIATE")
        for group in _groups(ops):
            first = group[0]
            if first.batch is not None:
                results = await first.batch(db, [op.payload for op in group])
                if len(results) != len(group):
                    raise RuntimeError("batch function returned the wrong number of results")
                outcomes.extend(results)
            else:
                assert first.fn is not None
                outcomes.append(await in_savepoint(db, first.fn))
        await db.execute("COMMIT")
        return outcomes

    async def _rollback(self) -> None:
        if self._on_rollback is not None:
            self._on_rollback()
        try:
            if self.db.in_transaction:
                await self.db.execute("ROLLBACK")
        except Exception:
            log.exception("rollback failed")


def _groups(ops: list[_Op]) -> list[list[_Op]]:
    """Split ops into runs: consecutive ops of one batch function together, others alone."""
    groups: list[list[_Op]] = []
    for op in ops:
        # Bound methods are new objects on each access, so compare with ==, not `is`.
        if op.batch is not None and groups and groups[-1][0].batch == op.batch:
            groups[-1].append(op)
        else:
            groups.append([op])
    return groups


def _fail(op: _Op, exc: BaseException) -> None:
    if op.future.done():
        return
    if isinstance(exc, asyncio.CancelledError):
        exc = StoreClosedError("the store writer was cancelled")
    op.future.set_exception(exc)
