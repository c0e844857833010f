"""Database writes off the event loop: one dedicated thread, batched
transactions, a bounded queue so memory stays flat."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

T = TypeVar("T")
_STOP = object()


class BatchWriter:
    """Runs ``fn(session)`` jobs on one thread, many per transaction.

    Each job runs in a SAVEPOINT so one bad record fails alone; the batch
    commits once.  ``submit`` awaits the job's result on the caller's loop."""

    def __init__(self, sessions: sessionmaker[Session], *, batch_size: int = 64, max_pending: int = 256) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
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
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            while len(batch) < self.batch_size:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self._write(batch)
            if stop:
                return

    def _write(self, batch: list[Any]) -> None:
        results: list[tuple[Any, asyncio.Future[Any], asyncio.AbstractEventLoop, bool]] = []
        try:
            with self.sessions.begin() as session:
                for job, future, loop in batch:
                    try:
                        with session.begin_nested():
                            results.append((job(session), future, loop, True))
                    except (SQLAlchemyError, ValueError, KeyError) as exc:
                        log.error("could not record a fetch: %s", exc)
                        results.append((exc, future, loop, False))
        except SQLAlchemyError as exc:
            # The whole transaction failed (disk full, database gone):
            # nothing of this batch was written, and every job says so.
            log.error("database write failed, batch of %d not recorded: %s", len(batch), exc)
            results = [(exc, future, loop, False) for _, future, loop in batch]
        # One wake-up of each event loop per batch, not one per job.
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, bool]]] = {}
        for value, future, loop, ok in results:
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
