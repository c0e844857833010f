"""What one crawl works on, as plain values handed to Scrapy as the spider's
arguments: the outlets and limits (the spider's), the crawl plan (known
articles, due revisits), the storage side's parameters (the pipeline's) and
the host guard's policy.  Scrapy's settings carry scalars only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

from crawler.urls import HostPolicy, compile_patterns, path_of
from storage.queries import CrawlPlan
from storywatch.revisit import RevisitPolicy


@dataclasses.dataclass(frozen=True, slots=True)
class OutletTarget:
    key: str
    home: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    sections: tuple[str, ...]
    article_patterns: tuple[str, ...]
    policy: HostPolicy
    fetch: str = "http"  # how article pages are read: "http" or "msn" (crawler/fetchmodes.py)
    api_base: str | None = None

    @property
    def article_shapes(self) -> list[re.Pattern[str]]:
        """The outlet's article URL patterns, or the common shapes (the re
        module caches the compiled forms)."""
        return compile_patterns(self.article_patterns)

    @property
    def index_paths(self) -> frozenset[str]:
        """Paths of pages that are not articles: home and section pages."""
        return frozenset({"/", path_of(self.home)} | {path_of(s).rstrip("/") or "/" for s in self.sections})


@dataclasses.dataclass(frozen=True, slots=True)
class SpiderSettings:
    outlets: tuple[OutletTarget, ...]
    seeds: tuple[str, ...]
    since: dt.date
    discovery: bool
    max_pages_per_outlet: int
    max_sitemaps_per_outlet: int
    max_feed_bytes: int


@dataclasses.dataclass(frozen=True, slots=True)
class PipelineSettings:
    database_url: str
    query: str
    since: dt.date
    outlets: tuple[tuple[str, str, str], ...]  # key, name, home
    outlet_policies: dict[str, HostPolicy]
    policy: RevisitPolicy
    zone: ZoneInfo
    extract_workers: int
    preload_extractor: bool
    # Per outlet key: (field, CSS or XPath) pinned before the general extraction.
    outlet_selectors: dict[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class CrawlInputs:
    spider: SpiderSettings
    plan: CrawlPlan
    storage: PipelineSettings
    host_policy: HostPolicy
