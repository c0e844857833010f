"""The extraction pool: started once, off the caller's thread, only when asked."""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys

import pytest

from crawler import worker
from crawler.extraction_pool import ExtractionPool
from tests.conftest import REPO

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
        analysis = asyncio.run(pool.run(worker.analyse, PAGE, "https://verge.test/a", "utf-8", "sora AND leak"))
        assert pool.started
        assert analysis is not None and analysis.relevance.relevant
        assert analysis.content.title == "Artists leak Sora"
        pool.start()  # idempotent
    finally:
        pool.close()


def test_a_pool_that_cannot_start_fails_its_pages_instead_of_hanging() -> None:
    pool = ExtractionPool(0)  # ProcessPoolExecutor refuses zero workers
    with pytest.raises(ValueError):
        asyncio.run(asyncio.wait_for(pool.run(worker.analyse, PAGE, "https://verge.test/a", None, "*"), 30))
    pool.close()  # reports, does not raise


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

    analysis = analyse_page(PAGE, "https://verge.test/a", "utf-8", "sora")
    crawl_side = subprocess.run(
        [sys.executable, "-c", CRAWL_SIDE],
        input=pickle.dumps(analysis),
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert crawl_side.stdout.decode().strip() == "[]"
