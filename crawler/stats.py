"""The crawl's stats collector."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class CrawlStats(MemoryStatsCollector):
    """Scrapy's in-memory stats collector, read without Scrapy 2.19's shim.

    2.19 routes every attribute read of a stats collector through a
    Python-level ``__getattribute__`` that wraps its methods to warn about a
    deprecated ``spider`` argument (which nothing in a storywatch crawl
    passes).  Scrapy's own components touch the stats several times per
    response: the shim was 5% of the crawl process's time on a recheck.
    """

    __getattribute__ = object.__getattribute__
