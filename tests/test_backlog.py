"""The spider keeps article fetches in its own backlog and hands them to
Scrapy a chunk at a time, revisits first (crawler.spider.StorySpider.feed)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from crawler.discovery import Candidate
from crawler.inputs import CrawlInputs, OutletTarget, PipelineSettings, SpiderSettings
from crawler.spider import FEED_CHUNK, StorySpider
from crawler.urls import HostPolicy
from storage.queries import CrawlPlan, KnownArticle
from storywatch.revisit import RevisitPolicy

HOME = "https://news.example/"


class RecordingEngine:
    """Stands in for Scrapy's engine: the one call the feed makes."""

    def __init__(self) -> None:
        self.crawled: list[Request] = []

    def crawl(self, request: Request) -> None:
        self.crawled.append(request)


def known(article_id: int) -> KnownArticle:
    now = dt.datetime(2024, 11, 27, tzinfo=dt.UTC)
    return KnownArticle(
        id=article_id, outlet_key="news", url=f"{HOME}old/{article_id}", relevant=True, last_checked_at=now,
        etag=f'"e{article_id}"', last_modified=None, raw_sha256=None, latest_extractor_version=None, due=True,
        first_seen_at=now, published_at=None, newest_version_at=None, removed=False,
    )


@pytest.fixture
def spider_and_engine() -> tuple[StorySpider, RecordingEngine]:
    outlet = OutletTarget("news", HOME, (), (), (), (), HostPolicy.for_urls([HOME]))
    settings = SpiderSettings((outlet,), (), dt.date(2024, 11, 1), True, 1000, 10, 1_000_000)
    due = tuple(known(i) for i in range(3))
    plan = CrawlPlan(known={k.url: k for k in due}, due=due)
    crawler = get_crawler()
    spider = StorySpider.from_crawler(crawler, inputs=inputs_for(settings, plan))
    engine = RecordingEngine()
    crawler.engine = engine  # type: ignore[assignment]
    return spider, engine


def collect(requests: AsyncIterator[Request]) -> list[Request]:
    async def gather() -> list[Request]:
        return [r async for r in requests]

    return asyncio.run(gather())


def test_discovered_pages_wait_in_the_backlog_until_scrapy_runs_dry(
    spider_and_engine: tuple[StorySpider, RecordingEngine],
) -> None:
    spider, engine = spider_and_engine
    assert collect(spider.start())  # the outlet's sources, yielded at once
    candidates = [Candidate(f"{HOME}2024/11/26/story-{i}") for i in range(FEED_CHUNK * 2 + 5)]
    spider._candidates(spider.outlets["news"], candidates, via="sitemap", source=f"{HOME}sitemap.xml")
    assert engine.crawled == []  # nothing became a Request yet
    assert len(spider.pending_revisits) == 3 and len(spider.pending_pages) == FEED_CHUNK * 2 + 5

    assert spider.feed() == FEED_CHUNK  # Scrapy's scheduler ran dry: one chunk
    first = engine.crawled[:3]
    assert [r.cb_kwargs["article_id"] for r in first] == [0, 1, 2]  # revisits first, with validators
    assert first[0].headers.get("If-None-Match") == b'"e0"'
    page = engine.crawled[3]
    assert page.url == f"{HOME}2024/11/26/story-0"
    assert page.cb_kwargs == {"outlet_key": "news", "via": "sitemap", "source": f"{HOME}sitemap.xml", "article_id": None,
                              "asked_url": page.url}

    spider.feed()
    with pytest.raises(DontCloseSpider):  # idle with a backlog left: fed, and the crawl goes on
        spider.idle()
    assert len(engine.crawled) == 3 + FEED_CHUNK * 2 + 5
    assert len({r.url for r in engine.crawled}) == len(engine.crawled)
    spider.idle()  # nothing left: Scrapy may close the spider


def test_the_plan_reaches_the_spider_as_an_argument_not_a_setting() -> None:
    # Scrapy deep-copies its settings for each crawler; the plan holds every
    # known article, so it travels as the spider's argument, shared.
    outlet = OutletTarget("news", HOME, (), (), (), (), HostPolicy.for_urls([HOME]))
    plan = CrawlPlan(known={known(1).url: known(1)}, due=(known(1),))
    inputs = inputs_for(SpiderSettings((outlet,), (), dt.date(2024, 11, 1), True, 1000, 10, 1_000_000), plan)
    crawler = get_crawler()
    spider = StorySpider.from_crawler(crawler, inputs=inputs)
    assert spider.plan is plan and spider.inputs is inputs
    assert not [key for key in crawler.settings.attributes if key in ("STORYWATCH_PLAN", "STORYWATCH_CONFIG")]


def inputs_for(settings: SpiderSettings, plan: CrawlPlan) -> CrawlInputs:
    storage = PipelineSettings("sqlite://", "sora", dt.date(2024, 11, 1), (("news", "News", HOME),), {"news": HostPolicy.for_urls([HOME])},
                               RevisitPolicy(since=dt.date(2024, 11, 1)), ZoneInfo("Europe/London"), 1,
                               preload_extractor=False)
    return CrawlInputs(settings, plan, storage, HostPolicy.for_urls([HOME]))
