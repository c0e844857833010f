"""Scrapy settings built from the storywatch config."""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import default_settings

from crawler.fetchmodes import api_base
from crawler.inputs import CrawlInputs, OutletTarget, PipelineSettings, SpiderSettings
from crawler.selectors import outlet_selectors
from crawler.urls import HostPolicy, host_of
from storage.queries import CrawlPlan
from storywatch.config import Config, OutletConfig
from storywatch.revisit import RevisitPolicy


def _without(components: dict[str, int], *class_names: str) -> dict[str, int]:
    return {path: order for path, order in components.items() if path.rsplit(".", 1)[-1] not in class_names}


def outlet_policy(outlet: OutletConfig, allow_private: bool) -> HostPolicy:
    # A fetch mode's own host (MSN's content API) is the outlet's, unlisted.
    mode_hosts = [host_of(api_base(outlet))] if outlet.fetch == "msn" else []
    return HostPolicy.for_urls(
        [outlet.home, *outlet.feeds, *outlet.sitemaps, *outlet.sections],
        extra_hosts=[*outlet.extra_hosts, *mode_hosts],
        allow_private=allow_private,
    )


def spider_settings(
    config: Config, outlets: list[OutletConfig], policies: dict[str, HostPolicy], discovery: bool
) -> SpiderSettings:
    return SpiderSettings(
        outlets=tuple(
            OutletTarget(
                key=o.key,
                home=o.home,
                feeds=tuple(o.feeds),
                sitemaps=tuple(o.sitemaps),
                sections=tuple(o.sections),
                article_patterns=tuple(o.article_patterns),
                policy=policies[o.key],
                fetch=o.fetch,
                api_base=api_base(o) if o.fetch == "msn" else None,
            )
            for o in outlets
        ),
        seeds=tuple(config.story.seeds),
        since=config.story.since,
        discovery=discovery,
        max_pages_per_outlet=config.crawl.max_pages_per_outlet,
        max_sitemaps_per_outlet=config.crawl.max_sitemaps_per_outlet,
        max_feed_bytes=config.crawl.max_feed_bytes,
    )


def crawl_inputs(config: Config, outlets: list[OutletConfig], plan: CrawlPlan, discovery: bool) -> CrawlInputs:
    """What one crawl works on, as plain values: the spider's arguments
    (``process.crawl(StorySpider, inputs=...)``); the pipeline and the host
    guard read them from the spider."""
    allow_private = config.crawl.allow_private_addresses
    policies = {o.key: outlet_policy(o, allow_private) for o in config.outlets}
    return CrawlInputs(
        spider=spider_settings(config, outlets, policies, discovery),
        plan=plan,
        storage=PipelineSettings(
            database_url=config.database.url,
            query=config.story.query,
            since=config.story.since,
            outlets=tuple((o.key, o.name, o.home) for o in config.outlets),
            outlet_policies=policies,
            policy=RevisitPolicy(
                ladder=config.schedule.revisit_ladder(),
                irrelevant_days=config.schedule.recheck_irrelevant_days,
                since=config.story.since,
            ),
            zone=config.schedule.zone,
            extract_workers=config.crawl.extract_workers or os.cpu_count() or 1,
            preload_extractor=config.crawl.preload_extractor,
            outlet_selectors=outlet_selectors(config.outlets),
        ),
        host_policy=HostPolicy(frozenset(h for p in policies.values() for h in p.hosts), allow_private),
    )


def scrapy_settings(config: Config, progress: bool) -> dict[str, Any]:
    """Scrapy's settings: scalars only (the crawl's inputs are spider arguments)."""
    crawl = config.crawl
    delay = crawl.per_host_delay
    # Scrapy renamed two settings after 2.13; use whichever this Scrapy knows.
    renamed: dict[str, Any] = {}
    if hasattr(default_settings, "TWISTED_DNS_RESOLVER"):
        renamed["TWISTED_DNS_RESOLVER"] = "crawler.resolver.PublicOnlyResolver"
    else:
        renamed["DNS_RESOLVER"] = "crawler.resolver.PublicOnlyResolver"
    if not hasattr(default_settings, "DOWNLOAD_DELAY_JITTER"):
        renamed["RANDOMIZE_DOWNLOAD_DELAY"] = delay > 0
    return renamed | {
        "BOT_NAME": "storywatch",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": True,  # Scrapy's default is False
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_host_concurrency,
        "DOWNLOAD_DELAY": delay,
        # AutoThrottle starts at 5 s unless told; start it at our delay.
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle and delay > 0,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay * 10),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.per_host_concurrency),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DNS_TIMEOUT": min(crawl.timeout, 20),
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,  # Scrapy's default is 1 GiB
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 5,
        "RETRY_ENABLED": False,  # replaced by BackoffRetryMiddleware
        "COOKIES_ENABLED": False,
        # Scrapy 2.19's remote control: a code-running HTTP endpoint on
        # localhost in every crawl, its token left in a file under
        # ~/.local/state, and aiohttp loaded (24 MB).  Neither a daemon nor
        # its users want that; the CLI's status command is the window in.
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "STATS_DUMP": False,
        "LOGSTATS_INTERVAL": 0,  # one line per crawl: the summary (storywatch.logs)
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        # Backpressure: at Scrapy's 5 MB a recheck's 304s, waiting for the
        # writer, piled up in memory; 1 MB still holds ten pages waiting for
        # extraction (figures: CHANGELOG.md, throughput rounds).
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 1_000_000,
        # Tasks per response to process its output: an article yields one
        # item and a discovery page a few requests, so more is overhead.
        "CONCURRENT_ITEMS": 1,
        # A developer's warning that re-parses callbacks' source; the
        # spider's tests are the place for that check.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "STATS_CLASS": "crawler.stats.CrawlStats",
        "SPIDER_MIDDLEWARES_BASE": _without(
            default_settings.SPIDER_MIDDLEWARES_BASE,
            # Discovery is bounded by its own limits (pages and sitemaps per
            # outlet), not by link depth; the middleware only counted depths,
            # 6% of the crawl process's time on a recheck.
            "DepthMiddleware",
            # A developer's warning about a spider copying response.meta;
            # ours never does (its requests carry cb_kwargs).
            "MetaCopyDetectionMiddleware",
        ),
        # Replaced or unused components are dropped from the base lists, not
        # set to None: Scrapy imports every key it is given to normalise it
        # (the cookie middleware alone pulls in tldextract and requests).
        "DOWNLOADER_MIDDLEWARES_BASE": _without(
            default_settings.DOWNLOADER_MIDDLEWARES_BASE,
            "OffsiteMiddleware",  # HostGuardMiddleware decides, redirects included
            "RetryMiddleware",  # BackoffRetryMiddleware honours Retry-After
            "MetaRefreshMiddleware",  # LazyMetaRefreshMiddleware decodes only when needed
            "CookiesMiddleware",  # cookies are off: articles are read anonymously
        ),
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.HostGuardMiddleware": 10,
            "crawler.middlewares.BackoffRetryMiddleware": 550,
            "crawler.middlewares.LazyMetaRefreshMiddleware": 580,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 300},
        "EXTENSIONS_BASE": _without(default_settings.EXTENSIONS_BASE, "RemoteControl"),
        "EXTENSIONS": {"crawler.progress.ProgressExtension": 500} if progress else {},
        "STORYWATCH_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
        "STORYWATCH_RETRIES": crawl.retries,
        "STORYWATCH_MAX_RETRY_AFTER": crawl.max_retry_after.total_seconds(),
        "STORYWATCH_RETRY_BASE_DELAY": max(0.05, min(2.0, delay * 2 or 0.5)),
    }
