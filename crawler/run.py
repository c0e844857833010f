"""One crawl, in this process: plan from the database, Scrapy, then the
run's outcome written to ``crawl_run``.  Call once per process: Twisted's
reactor cannot be restarted."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence

from scrapy.crawler import CrawlerProcess
from sqlalchemy import update

from crawler.settings import scrapy_settings
from crawler.spider import StorySpider
from crawler.summary import CrawlSummary, summarise
from storage.engine import make_engine, make_sessionmaker
from storage.models import CrawlRun
from storage.queries import load_crawl_plan, note_signals
from storage.record import ensure_outlets
from storywatch.clock import utcnow
from storywatch.config import Config
from storywatch.logs import quiet_libraries

log = logging.getLogger(__name__)


def run_crawl(
    config: Config,
    *,
    run_id: int,
    outlet_keys: Sequence[str] = (),
    recheck: bool = False,
    discovery: bool = True,
    progress: bool = False,
) -> CrawlSummary:
    outlets = [o for o in config.outlets if not outlet_keys or o.key in outlet_keys]
    keys = [o.key for o in outlets]
    engine = make_engine(config.database.url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        # The run belongs to this process now: if it dies, its pid tells.
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(pid=os.getpid()))
        ensure_outlets(session, [(o.key, o.name, o.home) for o in config.outlets])
        plan = load_crawl_plan(session, keys, utcnow(), recheck=recheck)
    log.debug(
        "crawl %d: %d outlets, %d known articles, %d due for a revisit%s",
        run_id,
        len(outlets),
        len({a.id for a in plan.known.values()}),
        len(plan.due),
        "" if discovery else " (revisits only)",
    )
    settings = scrapy_settings(config, outlets, plan, discovery=discovery, progress=progress)
    settings["LOG_INSTALL_ROOT_HANDLER"] = False  # storywatch.logs' handler stays
    process = CrawlerProcess(settings=settings)
    # Scrapy's logging setup resets levels: its banners and per-request lines stay at DEBUG.
    quiet_libraries(logging.getLogger().getEffectiveLevel())
    # It logs a traceback per unreachable host; our errbacks report each once.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(StorySpider)
    process.crawl(crawler)
    process.start()
    if getattr(crawler, "_spider", None) is None and not crawler.crawling and crawler.engine is None:
        raise RuntimeError("Scrapy could not start the crawl (see the log above)")
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    summary = summarise(stats, keys, discovery)
    spider = crawler.spider
    with sessions.begin() as session:
        if isinstance(spider, StorySpider) and spider.signals:
            note_signals(session, spider.signals)
        counts = summary.counts
        message = None
        if summary.failed_outlets:
            message = "outlets that failed: " + ", ".join(summary.failed_outlets)
        session.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(
                status=summary.status,
                finished_at=utcnow(),
                discovered=counts["discovered"],
                fetched=counts["fetched"],
                relevant=counts["relevant"],
                new_articles=counts["new_articles"],
                new_versions=counts["new_versions"],
                not_modified=counts["not_modified"],
                skipped=sum(summary.skipped.values()),
                errors=sum(summary.errors.values()),
                details=json.dumps(summary.details(), sort_keys=True),
                message=message,
            )
        )
    engine.dispose()
    return summary
