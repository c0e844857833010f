"""Database writes off the event loop: one dedicated thread, batched
transactions, a bounded queue so memory stays flat."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

T = TypeVar("T")
_STOP = object()
_LOOK_AGAIN_SECONDS = 0.02

# (job, its future, the loop that awaits it)
_Job = tuple[Callable[[Session], Any], "asyncio.Future[Any]", asyncio.AbstractEventLoop]
# (result or exception, future, loop, succeeded)
_Outcome = tuple[Any, "asyncio.Future[Any]", asyncio.AbstractEventLoop, bool]


class BatchWriter:
    """Runs ``fn(session)`` jobs on one thread, many per transaction.

    A batch is what is queued when the thread wakes, plus, while
    ``more_coming()`` says jobs are on their way (pages in extraction), what
    arrives within ``linger`` seconds, up to ``batch_size`` jobs: a
    transaction per page cost more than the page's writes.  The batch runs as
    one plain transaction; only when a job in it fails is it run again job
    by job, each in a SAVEPOINT, so the bad job fails alone.  ``submit``
    awaits the job's result on the caller's loop.  Figures: bench/HISTORY.md
    and CHANGELOG.md (throughput rounds)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        batch_size: int = 64,
        max_pending: int = 256,
        linger: float = 0.2,
        more_coming: Callable[[], bool] = lambda: True,
    ) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
        self.linger = linger
        self.more_coming = more_coming
        self._queue: queue.Queue[Any] = queue.Queue()
        self._slots = asyncio.Semaphore(max_pending)
        self._thread = threading.Thread(target=self._run, name="storywatch-db-writer", daemon=True)
        self._thread.start()

    async def submit(self, job: Callable[[Session], T]) -> T:
        loop = asyncio.get_running_loop()
        async with self._slots:
            future: asyncio.Future[T] = loop.create_future()
            self._queue.put((job, future, loop))
            return await future

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._gather(first)
            try:
                outcomes = self._write(batch)
            except Exception as exc:  # noqa: BLE001 -- the thread must outlive any failure, or every caller waits forever
                # The whole transaction failed (disk full, database gone):
                # nothing of this batch was written, and every job says so.
                log.error("database write failed, batch of %d not recorded: %s", len(batch), exc)
                outcomes = [(exc, future, loop, False) for _, future, loop in batch]
            _settle(outcomes)

    def _gather(self, first: _Job) -> tuple[list[_Job], bool]:
        """The batch that starts with ``first``; True when a stop came with it."""
        batch = [first]
        deadline = time.monotonic() + self.linger
        while len(batch) < self.batch_size:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self.more_coming():
                    break
                try:
                    # Short waits, so the batch goes as soon as nothing more is coming.
                    item = self._queue.get(timeout=min(remaining, _LOOK_AGAIN_SECONDS))
                except queue.Empty:
                    continue
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _write(self, batch: list[_Job]) -> list[_Outcome]:
        try:
            with self.sessions.begin() as session:
                return [(job(session), future, loop, True) for job, future, loop in batch]
        except Exception as exc:  # noqa: BLE001 -- whatever failed is retried job by job just below
            log.debug("a batch of %d failed (%s); writing it job by job", len(batch), exc)
            return self._write_each(batch)

    def _write_each(self, batch: list[_Job]) -> list[_Outcome]:
        """Each job in its own SAVEPOINT: a bad one fails alone, one commit
        (a failure of the commit itself is the caller's to report)."""
        outcomes: list[_Outcome] = []
        with self.sessions.begin() as session:
            for job, future, loop in batch:
                try:
                    with session.begin_nested():
                        outcomes.append((job(session), future, loop, True))
                except Exception as exc:  # noqa: BLE001 -- one job's failure (a bug included) is that job's alone
                    log.error("could not record a fetch: %s", exc)
                    outcomes.append((exc, future, loop, False))
        return outcomes


def _settle(outcomes: list[_Outcome]) -> None:
    # One wake-up of each event loop per batch, not one per job.
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, bool]]] = {}
    for value, future, loop, ok in outcomes:
        by_loop.setdefault(loop, []).append((future, value, ok))
    for loop, settled in by_loop.items():
        loop.call_soon_threadsafe(_settle_all, settled)


def _settle_all(settled: list[tuple[asyncio.Future[Any], Any, bool]]) -> None:
    for future, value, ok in settled:
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
