"""One crawl, in this process: plan from the database, Scrapy, then the
run's outcome written to ``crawl_run``.  Call once per process: Twisted's
reactor cannot be restarted."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from scrapy.crawler import CrawlerProcess

from crawler.browser import AUTO, find_chromium, playwright_settings
from crawler.settings import crawl_inputs, scrapy_settings
from crawler.spider import StorySpider
from crawler.summary import CrawlSummary, summarise
from storage.engine import make_engine, make_sessionmaker
from storage.queries import load_crawl_plan, note_signals
from storage.record import ensure_outlets
from storage.runs import claim_crawl_run, finish_crawl_run
from storywatch.clock import utcnow
from storywatch.config import Config, OutletConfig
from storywatch.logs import quiet_libraries

log = logging.getLogger(__name__)


def route_twisted_critical_events() -> None:
    """Twisted prints its critical events ("Unhandled error in Deferred")
    raw to stderr until someone begins its logging; begin it with no
    observer of its own, so they reach Python logging only (through Scrapy's
    bridge) and come out one per line in the configured format."""
    from twisted.logger import globalLogBeginner

    globalLogBeginner.beginLoggingTo([], redirectStandardIO=False)


def browser_for(config: Config, outlets: Sequence[OutletConfig]) -> str | None:
    """Chromium's path when some outlet needs it, "" when none does, None
    when one does and it is not there."""
    if not any(o.fetch == "browser" for o in outlets):
        return ""
    return find_chromium(config.crawl.browser)


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
    browser = browser_for(config, outlets)
    # No Chromium: the outlets that need it fail with one line; the others crawl.
    without_browser = [o.key for o in outlets if o.fetch == "browser"] if browser is None else []
    wanted = " or ".join(AUTO) if config.crawl.browser == "auto" else repr(config.crawl.browser)
    for key in without_browser:
        log.error('outlet %s: fetch = "browser" needs Chromium, and %s was not found (install Debian\'s '
                  'chromium-headless-shell or chromium, or set [crawl] browser to its path); the other outlets '
                  'crawl', key, wanted)
    outlets = [o for o in outlets if o.key not in without_browser]
    engine = make_engine(config.database.url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        claim_crawl_run(session, run_id, os.getpid())
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
    settings = scrapy_settings(config, progress=progress)
    settings["LOG_INSTALL_ROOT_HANDLER"] = False  # storywatch.logs' handler stays
    inputs = crawl_inputs(config, outlets, plan, discovery)
    if browser:
        # Only a crawl with a browser outlet pays for the browser.
        settings |= playwright_settings(browser, config.crawl.browser_timeout.total_seconds(),
                                        inputs.host_policy.hosts, config.crawl.allow_private_addresses)
    process = CrawlerProcess(settings=settings)
    route_twisted_critical_events()
    # Scrapy's logging setup resets levels: its banners and per-request lines stay at DEBUG.
    quiet_libraries(logging.getLogger().getEffectiveLevel())
    # It logs a traceback per unreachable host; our errbacks report each once.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(StorySpider)
    process.crawl(crawler, inputs=inputs)
    process.start()
    if getattr(crawler, "_spider", None) is None and not crawler.crawling and crawler.engine is None:
        raise RuntimeError("Scrapy could not start the crawl (see the log above)")
    assert crawler.stats is not None
    stats = dict(crawler.stats.get_stats())
    for key in without_browser:  # failed, with its reason, whatever kind of crawl this was
        stats[f"storywatch/outlet/{key}/errors"] = 1
        stats["storywatch/errors/no_chromium"] = stats.get("storywatch/errors/no_chromium", 0) + 1
    summary = summarise(stats, keys, discovery)
    spider = crawler.spider
    with sessions.begin() as session:
        if isinstance(spider, StorySpider) and spider.signals:
            note_signals(session, spider.signals)
        counts = summary.counts
        message = None
        if summary.failed_outlets:
            message = "outlets that failed: " + ", ".join(summary.failed_outlets)
        finish_crawl_run(
            session,
            run_id,
            status=summary.status,
            counts=counts,
            skipped=sum(summary.skipped.values()),
            errors=sum(summary.errors.values()),
            details=summary.details(),
            message=message,
            now=utcnow(),
        )
    engine.dispose()
    return summary
