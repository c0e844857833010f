"""The extraction pool: started once, off the caller's thread, only when asked."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import pickle
import subprocess
import sys

import pytest

from crawler import worker
from crawler.extraction_pool import ExtractionError, ExtractionPool
from storywatch.article import Analysis
from tests.conftest import REPO

SINCE = dt.date(2024, 11, 26)

PAGE = (
    b"<html><head><title>Artists leak Sora</title></head><body><article><h1>Artists leak Sora</h1>"
    + b"<p>Artists calling themselves PR Puppets leaked access to OpenAI's Sora video tool.</p>" * 8
    + b"</article></body></html>"
)


def test_pool_starts_on_first_use_and_runs_the_extractor() -> None:
    pool = ExtractionPool(1)
    assert not pool.started
    pool.close()  # never started: nothing to stop
    try:
        busy_while_running: list[bool] = []

        async def run_one() -> Analysis | None:
            job = asyncio.ensure_future(pool.run(worker.analyse, PAGE, "https://verge.test/a", "utf-8", "sora AND leak", SINCE))
            await asyncio.sleep(0)
            busy_while_running.append(pool.busy)  # the writer lingers for its batch only then
            return await job

        analysis = asyncio.run(run_one())
        assert busy_while_running == [True] and not pool.busy
        assert pool.started
        assert analysis is not None and analysis.relevance.relevant
        assert analysis.content.title == "Artists leak Sora"
        pool.start()  # idempotent
    finally:
        pool.close()


def test_a_pool_that_cannot_start_fails_its_pages_instead_of_hanging() -> None:
    pool = ExtractionPool(0)
    with pytest.raises(ValueError):
        asyncio.run(asyncio.wait_for(pool.run(worker.analyse, PAGE, "https://verge.test/a", None, "*", SINCE), 30))
    pool.close()  # reports, does not raise


def test_workers_whose_preload_fails_fail_their_pages_with_the_reason() -> None:
    pool = ExtractionPool(2, preload=("crawler.no_such_module",))
    with pytest.raises(ExtractionError, match="did not start"):
        asyncio.run(asyncio.wait_for(pool.run(worker.analyse, PAGE, "https://verge.test/a", None, "*", SINCE), 60))
    pool.close()


def _live_workers() -> set[int]:
    """This process's live extraction workers (host and forks).  Only they
    are counted: a session's database server forks and reaps autovacuum
    workers of its own at any moment."""
    found: set[int] = set()
    stack = [os.getpid()]
    while stack:
        pid = stack.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
            with open(f"/proc/{pid}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue
        if pid != os.getpid() and state != "Z" and b"crawler.extraction_host" in command:
            found.add(pid)
    return found


def test_a_dead_worker_fails_only_its_page_and_the_last_one_fails_the_rest() -> None:
    async def scenario(pool: ExtractionPool) -> None:
        pids = await asyncio.gather(*(pool.run(_slow_pid) for _ in range(4)))
        assert len(set(pids)) == 2, "both workers take pages"
        with pytest.raises(ExtractionError, match="exited"):
            await pool.run(os._exit, 3)  # the worker reading this page dies
        survivor = await pool.run(worker.analyse, PAGE, "https://verge.test/a", "utf-8", "sora", SINCE)
        assert survivor is not None and survivor.content.title == "Artists leak Sora"
        with pytest.raises(ExtractionError, match="exited"):
            await pool.run(os._exit, 3)
        with pytest.raises(ExtractionError, match="no extraction worker is left"):
            await asyncio.wait_for(pool.run(worker.analyse, PAGE, "https://verge.test/a", None, "*", SINCE), 10)

    before = _live_workers()
    pool = ExtractionPool(2, preload=())
    try:
        asyncio.run(scenario(pool))
    finally:
        pool.close()
    assert not (_live_workers() - before), "no worker outlives the pool"


def test_closing_the_pool_stops_every_worker() -> None:
    before = _live_workers()
    pool = ExtractionPool(2)
    asyncio.run(pool.run(worker.analyse, PAGE, "https://verge.test/a", "utf-8", "sora", SINCE))
    assert len(_live_workers() - before) == 2  # the first worker and the one it forked
    pool.close()
    assert not (_live_workers() - before)


def _slow_pid() -> int:
    import time

    time.sleep(0.3)  # long enough that four pages need both workers
    return os.getpid()


CRAWL_SIDE = """
import pickle, sys
import crawler.run, crawler.spider, crawler.pipelines, crawler.settings, schedules.crawljob
result = pickle.loads(sys.stdin.buffer.read())
assert result.content.title == "Artists leak Sora"
print(sorted(m for m in ("trafilatura", "htmldate", "justext", "dateparser") if m in sys.modules))
"""


def test_the_crawl_process_never_loads_the_extractor() -> None:
    """Workers extract; the crawl process, unpickling what they send back,
    must not import trafilatura and its helpers (tens of MB)."""
    from crawler.analyse import analyse_page

    analysis = analyse_page(PAGE, "https://verge.test/a", "utf-8", "sora", SINCE)
    crawl_side = subprocess.run(
        [sys.executable, "-c", CRAWL_SIDE],
        input=pickle.dumps(analysis),
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert crawl_side.stdout.decode().strip() == "[]"
