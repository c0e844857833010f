"""The extraction worker processes, started off the event loop.

The workers live in one exec'd process tree (crawler.extraction_host): the
first worker loads the extractor and forks the others, so they share it.
Starting them takes about two seconds and blocks whoever starts them, so a
helper thread does it while Scrapy goes on fetching.  A crawl that finds
nothing to extract (a recheck of an unchanged site) never starts them.

Each worker has a connection and a thread here that feeds it from one
queue, so an idle worker takes the next page.  A worker that dies fails the
page it was reading and leaves the rest to the others; when none is left,
every page waiting or still to come fails at once instead of hanging.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from crawler.extraction_host import READY

log = logging.getLogger(__name__)

# What the first worker loads before it forks the others (crawler.preload:
# the extractor's lazy tables, shared by every worker).
EXTRACTOR_PRELOAD = ("crawler.preload",)

T = TypeVar("T")

_STOP = None
_START_TIMEOUT_SECONDS = 300.0  # loading the extractor takes ~2 s; a wedged host must not hang the crawl
_STOP_TIMEOUT_SECONDS = 30.0


class ExtractionError(RuntimeError):
    """The page could not be handed to a worker, or its worker died."""


class _Task:
    __slots__ = ("function", "args", "future")

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.function = function
        self.args = args
        self.future: concurrent.futures.Future[Any] = concurrent.futures.Future()


class _Workers:
    """The started host process, its connections and their feeding threads."""

    def __init__(self, host: subprocess.Popen[bytes], connections: list[Connection]) -> None:
        self.host = host
        self.tasks: queue.Queue[_Task | None] = queue.Queue()
        self.lock = threading.Lock()
        self.alive = len(connections)
        self.broken: str | None = None
        self.threads = [
            threading.Thread(target=self._feed, args=(c,), name=f"storywatch-extract-{i}", daemon=True)
            for i, c in enumerate(connections)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, task: _Task) -> None:
        with self.lock:
            if self.broken is not None:
                raise ExtractionError(self.broken)
            self.tasks.put(task)

    def _feed(self, connection: Connection) -> None:
        lost: str | None = None
        while lost is None:
            task = self.tasks.get()
            if task is _STOP:
                _send_quietly(connection, _STOP)
                break
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                connection.send((task.function, task.args))
                outcome, value = connection.recv()
            except (EOFError, OSError) as exc:
                lost = f"an extraction worker exited ({type(exc).__name__})"
                task.future.set_exception(ExtractionError(lost))
                break
            except Exception as exc:  # noqa: BLE001 -- e.g. unpicklable arguments: this task's failure
                task.future.set_exception(exc)
                continue
            if outcome == "ok":
                task.future.set_result(value)
            else:
                task.future.set_exception(value)
        connection.close()
        if lost is not None:
            self._lose_one(lost)

    def _lose_one(self, reason: str) -> None:
        with self.lock:
            self.alive -= 1
            log.error("%s; %d left", reason, self.alive)
            if self.alive > 0:
                return
            self.broken = f"{reason}, and no extraction worker is left"
            for task in self._drain():
                if task.future.set_running_or_notify_cancel():
                    task.future.set_exception(ExtractionError(self.broken))

    def _drain(self) -> list[_Task]:
        """Take every waiting task off the queue (the caller holds the lock)."""
        tasks: list[_Task] = []
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                return tasks
            if task is not _STOP:
                tasks.append(task)

    def stop(self) -> None:
        with self.lock:
            for task in self._drain():  # nothing should be waiting now; whatever is, is cancelled
                task.future.cancel()
            for _ in self.threads:
                self.tasks.put(_STOP)
        for thread in self.threads:
            thread.join(_STOP_TIMEOUT_SECONDS)
        try:
            self.host.wait(_STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("extraction workers did not stop; killing them")
            self.host.kill()
            self.host.wait()


def _send_quietly(connection: Connection, message: object) -> None:
    try:
        connection.send(message)
    except OSError:
        pass  # that worker has gone already


def _start_workers(count: int, preload: tuple[str, ...]) -> _Workers:
    if count < 1:
        raise ValueError(f"extraction needs at least one worker, not {count}")
    pairs = [socket.socketpair() for _ in range(count)]
    theirs = [b.fileno() for _, b in pairs]
    command = [sys.executable, "-m", "crawler.extraction_host"]
    command += [f"--preload={module}" for module in preload]
    command += [f"--fd={fd}" for fd in theirs]
    # The workers import what this process can (as multiprocessing's own
    # fork server does, it passes its import path on).
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        host = subprocess.Popen(command, pass_fds=theirs, stdin=subprocess.DEVNULL, env=environment)
    finally:
        for _, b in pairs:
            b.close()
    connections = [Connection(a.detach()) for a, _ in pairs]
    try:
        for connection in connections:
            if not connection.poll(_START_TIMEOUT_SECONDS):
                raise ExtractionError(f"extraction workers did not start within {_START_TIMEOUT_SECONDS:.0f} s")
            kind, _pid = connection.recv()
            if kind != READY:
                raise ExtractionError(f"extraction worker said {kind!r} instead of ready")
    except (EOFError, OSError, ExtractionError) as exc:
        for connection in connections:
            connection.close()
        if host.poll() is None:
            host.kill()
        code = host.wait()
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError(f"extraction workers did not start (exit status {code})") from exc
    return _Workers(host, connections)


class ExtractionPool:
    def __init__(self, workers: int, preload: tuple[str, ...] = EXTRACTOR_PRELOAD) -> None:
        self.workers = workers
        self.preload = preload
        self._ready: concurrent.futures.Future[_Workers] | None = None
        self._in_flight = 0  # changed on the event loop only; read from any thread

    @property
    def started(self) -> bool:
        return self._ready is not None

    @property
    def busy(self) -> bool:
        """Whether a page is waiting for a worker or being read by one."""
        return self._in_flight > 0

    def start(self) -> None:
        """Begin starting the workers, once; returns at once."""
        if self._ready is not None:
            return
        self._ready = concurrent.futures.Future()
        threading.Thread(target=self._start, args=(self._ready,), name="storywatch-pool-start", daemon=True).start()

    def _start(self, ready: concurrent.futures.Future[_Workers]) -> None:
        try:
            workers = _start_workers(self.workers, self.preload)
        except Exception as exc:  # noqa: BLE001 -- whatever it is, the awaiting pages must hear of it
            ready.set_exception(exc)
            return
        ready.set_result(workers)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker; ``function`` and its arguments
        travel by pickle, so the function must be importable there."""
        self.start()
        assert self._ready is not None
        self._in_flight += 1
        try:
            workers = await asyncio.wrap_future(self._ready)
            task = _Task(function, args)
            workers.submit(task)
            result: T = await asyncio.wrap_future(task.future)
        finally:
            self._in_flight -= 1
        return result

    def close(self) -> None:
        if self._ready is None:
            return
        try:
            workers = self._ready.result()
        except Exception as exc:  # noqa: BLE001 -- the start's own failure, already reported to the pages
            log.error("extraction workers did not start: %s", exc)
            return
        workers.stop()
