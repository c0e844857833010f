"""The extraction pool: started once, off the caller's thread, only when asked."""

from __future__ import annotations

import asyncio

import pytest

from crawler import worker
from crawler.extraction_pool import ExtractionPool

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
