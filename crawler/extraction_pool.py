"""The extraction worker processes, started off the event loop.

Starting them takes about two seconds (the fork server loads the extractor
and its tables, see crawler.preload) and blocks whoever starts them, so a
helper thread does it while Scrapy goes on fetching.  A crawl that finds
nothing to extract (a recheck of an unchanged site) never starts them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from crawler import worker

log = logging.getLogger(__name__)

T = TypeVar("T")


class ExtractionPool:
    def __init__(self, workers: int, preload: tuple[str, ...] = ("crawler.preload",)) -> None:
        self.workers = workers
        self.preload = preload
        self._ready: concurrent.futures.Future[concurrent.futures.ProcessPoolExecutor] | None = None

    @property
    def started(self) -> bool:
        return self._ready is not None

    def start(self) -> None:
        """Begin starting the workers, once; returns at once."""
        if self._ready is not None:
            return
        self._ready = concurrent.futures.Future()
        threading.Thread(target=self._start, args=(self._ready,), name="storywatch-pool-start", daemon=True).start()

    def _start(self, ready: concurrent.futures.Future[concurrent.futures.ProcessPoolExecutor]) -> None:
        try:
            # forkserver: workers inherit neither the reactor, sockets nor threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(self.preload))
            pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context)
            # Fork every worker now; each submit waits for its fork.
            warm = [pool.submit(worker.warm_up) for _ in range(self.workers)]
            concurrent.futures.wait(warm)
        except Exception as exc:  # noqa: BLE001 -- whatever it is, the awaiting pages must hear of it
            ready.set_exception(exc)
            return
        ready.set_result(pool)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        self.start()
        assert self._ready is not None
        pool = await asyncio.wrap_future(self._ready)
        return await asyncio.get_running_loop().run_in_executor(pool, function, *args)

    def close(self) -> None:
        if self._ready is None:
            return
        try:
            pool = self._ready.result()
        except Exception as exc:  # noqa: BLE001 -- the start's own failure, already reported to the pages
            log.error("extraction workers did not start: %s", exc)
            return
        pool.shutdown(wait=True, cancel_futures=True)
