"""The story spider: discovery per outlet, article fetches, revisits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from crawler.discovery import (
    Candidate,
    DiscoveryError,
    article_links,
    candidate_before,
    child_sitemap_reaches,
    feed_links,
    is_article_url,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from crawler.failures import failure_reason
from crawler.fetchmodes import NoFetchUrl, fetch_url, request_meta, uses_validators
from crawler.inputs import CrawlInputs, OutletTarget
from crawler.items import PageFetch
from crawler.middlewares import RefusedRequest
from crawler.msn import ContentError, read_content
from crawler.urls import canonicalize_url, host_of, path_of
from storage.queries import KnownArticle
from storywatch.clock import utcnow

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

log = logging.getLogger(__name__)

ARTICLE_STATUSES = [304, 404, 410]

# Article fetches wait in the spider's own backlog, not as Requests in
# Scrapy's scheduler: a sitemap of N articles would otherwise become N
# queued Requests (about 1.2 KB each) at once.  Scrapy gets this many more
# whenever its scheduler runs dry.
FEED_CHUNK = 32

_HTML_TYPES = (b"text/html", b"application/xhtml")


class StorySpider(scrapy.Spider):
    name = "storywatch"

    def __init__(self, inputs: CrawlInputs, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inputs = inputs
        self.conf = settings = inputs.spider
        self.plan = inputs.plan
        self.outlets = {o.key: o for o in settings.outlets}
        self.requested: set[str] = set()  # article URLs requested in this crawl
        self.sources_seen: set[str] = set()  # feeds and sitemaps requested
        self.pages_per_outlet: dict[str, int] = {}
        self.sitemaps_per_outlet: dict[str, int] = {}
        self.signals: dict[int, dt.datetime] = {}  # article id -> change signal
        # Article fetches not yet handed to Scrapy: revisits (known article,
        # via) first, then new pages (url, outlet key, via, source).
        self.pending_revisits: deque[tuple[KnownArticle, str]] = deque()
        self.pending_pages: deque[tuple[str, str, str, str | None]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> StorySpider:
        """``process.crawl(StorySpider, inputs=CrawlInputs(...))`` lands here."""
        spider = cls(*args, **kwargs)
        spider._set_crawler(crawler)
        crawler.signals.connect(spider.feed, signal=signals.scheduler_empty)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    # -- the backlog -----------------------------------------------------

    def feed(self) -> int:
        """Hand Scrapy up to FEED_CHUNK waiting article fetches; how many."""
        engine = self.crawler.engine
        assert engine is not None
        fed = 0
        while fed < FEED_CHUNK and (self.pending_revisits or self.pending_pages):
            if self.pending_revisits:
                known, via = self.pending_revisits.popleft()
                request = self._revisit_request(known, via)
            else:
                request = self._page_request(*self.pending_pages.popleft())
            if request is None:
                continue
            engine.crawl(request)
            fed += 1
        return fed

    def idle(self) -> None:
        """Scrapy found nothing to do: the backlog is what is left, if anything."""
        if self.feed():
            raise DontCloseSpider

    @property
    def stats(self) -> StatsCollector:
        stats = self.crawler.stats
        assert stats is not None
        return stats

    # -- start -----------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for known in self.plan.due:
            if known.outlet_key in self.outlets:
                self._revisit(known, via="revisit")
        if not self.conf.discovery:
            return
        for outlet in self.conf.outlets:
            self.stats.set_value(f"storywatch/outlet/{outlet.key}/sources_ok", 0)
            yield self._source(urljoin(outlet.home, "/robots.txt"), outlet, self.parse_robots, robots=True)
            for url in outlet.sitemaps:
                yield self._source(url, outlet, self.parse_sitemap)
            for url in outlet.feeds:
                yield self._source(url, outlet, self.parse_feed)
            yield self._source(outlet.home, outlet, self.parse_home)
            for url in outlet.sections:
                yield self._source(url, outlet, self.parse_section)
        for outlet_key, url, source in self.plan.follow_ups:
            if outlet_key in self.outlets:
                self.follow_body_links(outlet_key, [url], source)
        for seed in self.conf.seeds:
            seed_outlet = self._outlet_for(seed)
            if seed_outlet is None:
                self._skip("seed_offsite", seed)
                continue
            self._candidates(seed_outlet, [Candidate(seed)], via="seed", source=None, check_date=False)

    def _outlet_for(self, url: str) -> OutletTarget | None:
        host = host_of(url)
        for outlet in self.conf.outlets:
            if outlet.policy.host_allowed(host):
                return outlet
        return None

    def _source(self, url: str, outlet: OutletTarget, callback: Any, robots: bool = False) -> Request:
        self.sources_seen.add(url)
        meta: dict[str, Any] = {"download_maxsize": self.conf.max_feed_bytes, "outlet": outlet.key}
        if robots:
            meta["dont_obey_robotstxt"] = True
        return Request(
            url,
            callback=callback,
            errback=self.source_failed,
            cb_kwargs={"outlet_key": outlet.key},
            meta=meta,
            priority=20,
            dont_filter=True,
        )

    def _skip(self, reason: str, url: str, level: int = logging.DEBUG) -> None:
        self.stats.inc_value(f"storywatch/skipped/{reason}")
        log.log(level, "skipped (%s): %s", reason, url)

    def _source_ok(self, outlet_key: str) -> None:
        self.stats.inc_value(f"storywatch/outlet/{outlet_key}/sources_ok")

    def _source_bad(self, outlet_key: str, reason: str, url: str) -> None:
        self.stats.inc_value(f"storywatch/outlet/{outlet_key}/sources_failed")
        self.stats.inc_value(f"storywatch/source_errors/{reason}")
        log.warning("skipped %s (%s)", url, reason)

    # -- candidates ------------------------------------------------------

    def _candidates(
        self,
        outlet: OutletTarget,
        candidates: Iterable[Candidate],
        *,
        via: str,
        source: str | None,
        check_date: bool = True,
    ) -> None:
        """Queue the fetches these candidates call for (see feed)."""
        for candidate in candidates:
            url = canonicalize_url(candidate.url)
            if url is None:
                self._skip("bad_url", candidate.url)
                continue
            self.stats.inc_value("storywatch/discovered")
            self.stats.inc_value(f"storywatch/outlet/{outlet.key}/discovered")
            refusal = outlet.policy.refusal(url)
            if refusal is not None:
                self._skip(refusal, url)
                continue
            if check_date and candidate_before(candidate, self.conf.since):
                self._skip("before_since", url)
                continue
            known = self.plan.known.get(url)
            if known is not None:
                self._known_candidate(known, candidate)
                continue
            if url in self.requested:
                continue
            count = self.pages_per_outlet.get(outlet.key, 0)
            if count >= self.conf.max_pages_per_outlet:
                self._skip("outlet_page_cap", url)
                continue
            self.pages_per_outlet[outlet.key] = count + 1
            self.requested.add(url)
            self.pending_pages.append((url, outlet.key, via, source))

    def _fetch_url(self, outlet_key: str, url: str) -> str | None:
        """The URL that reads this article in its outlet's fetch mode
        (crawler/fetchmodes.py); None, counted and logged, when it cannot."""
        outlet = self.outlets[outlet_key]
        try:
            return fetch_url(outlet.fetch, url, outlet.api_base)
        except NoFetchUrl as exc:
            self.stats.inc_value(f"storywatch/errors/{exc}")
            self.stats.inc_value(f"storywatch/outlet/{outlet_key}/errors")
            log.warning("cannot read %s with fetch = %r (%s): skipped", url, outlet.fetch, exc)
            return None

    def _page_request(self, url: str, outlet_key: str, via: str, source: str | None) -> Request | None:
        target = self._fetch_url(outlet_key, url)
        if target is None:
            return None
        return Request(
            target,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"outlet_key": outlet_key, "via": via, "source": source, "article_id": None,
                       "asked_url": url, **({"article_url": url} if target != url else {})},
            meta={"handle_httpstatus_list": ARTICLE_STATUSES, "outlet": outlet_key,
                  **request_meta(self.outlets[outlet_key].fetch)},
            dont_filter=True,  # deduplicated above; a redirect loop must reach its limit
        )

    def _known_candidate(self, known: KnownArticle, candidate: Candidate) -> None:
        """A URL the database knows: fetched again only when due or signalled."""
        if known.due or known.url in self.requested:
            return  # the revisit is already queued
        signal = candidate.updated
        if signal is not None and (known.last_checked_at is None or signal > known.last_checked_at):
            self.signals[known.id] = signal
            self.stats.inc_value("storywatch/signalled")
            self._revisit(known, via="signal")
            return
        self.stats.inc_value("storywatch/known")

    def _revisit(self, known: KnownArticle, via: str) -> None:
        self.requested.add(known.url)
        self.stats.inc_value("storywatch/revisits")
        self.pending_revisits.append((known, via))

    def _revisit_request(self, known: KnownArticle, via: str) -> Request | None:
        target = self._fetch_url(known.outlet_key, known.url)
        if target is None:
            return None
        mode = self.outlets[known.outlet_key].fetch
        headers: dict[str, str] = {}
        if known.etag and uses_validators(mode):
            headers["If-None-Match"] = known.etag
        if known.last_modified and uses_validators(mode):
            headers["If-Modified-Since"] = known.last_modified
        return Request(
            target,
            headers=headers,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"outlet_key": known.outlet_key, "via": via, "source": None, "article_id": known.id,
                       **({"article_url": known.url} if target != known.url else {})},
            meta={"handle_httpstatus_list": ARTICLE_STATUSES, "outlet": known.outlet_key, **request_meta(mode)},
            dont_filter=True,
            priority=10,
        )

    # -- discovery callbacks ---------------------------------------------

    async def parse_robots(self, response: Response, outlet_key: str) -> AsyncIterator[Request]:
        outlet = self.outlets[outlet_key]
        if response.status != 200:
            return
        for url in robots_sitemaps(response.body, response.url):
            if url not in self.sources_seen:
                yield self._source(url, outlet, self.parse_sitemap)

    async def parse_sitemap(self, response: Response, outlet_key: str) -> AsyncIterator[Request]:
        outlet = self.outlets[outlet_key]
        try:
            sitemap = await maybe_deferred_to_future(
                deferToThread(parse_sitemap, response.body, response.url, self.conf.max_feed_bytes)
            )
        except DiscoveryError as exc:
            self._source_bad(outlet_key, "bad_sitemap", f"{response.url}: {exc}")
            return
        self._source_ok(outlet_key)
        if not sitemap.is_index:
            self._candidates(outlet, sitemap.entries, via="sitemap", source=response.url)
            return
        for child in sitemap.entries:
            if child.url in self.sources_seen:
                continue
            if not child_sitemap_reaches(child, self.conf.since):
                self._skip("sitemap_before_since", child.url)
                continue
            walked = self.sitemaps_per_outlet.get(outlet_key, 0)
            if walked >= self.conf.max_sitemaps_per_outlet:
                self._skip("sitemap_cap", child.url)
                continue
            refusal = outlet.policy.refusal(child.url)
            if refusal is not None:
                self._skip(refusal, child.url)
                continue
            self.sitemaps_per_outlet[outlet_key] = walked + 1
            yield self._source(child.url, outlet, self.parse_sitemap)

    async def parse_feed(self, response: Response, outlet_key: str) -> None:
        outlet = self.outlets[outlet_key]
        try:
            entries = await maybe_deferred_to_future(deferToThread(parse_feed, response.body, response.url,
                                                                    http_charset(response)))
        except DiscoveryError as exc:
            self._source_bad(outlet_key, "bad_feed", f"{response.url}: {exc}")
            return
        self._source_ok(outlet_key)
        self._candidates(outlet, entries, via="feed", source=response.url)

    async def parse_home(self, response: Response, outlet_key: str) -> AsyncIterator[Request]:
        outlet = self.outlets[outlet_key]
        self._links(response, outlet, via="home")
        try:
            feeds = feed_links(response.body, response.url, http_charset(response))
        except DiscoveryError:
            return
        for url in feeds:
            if url not in self.sources_seen and outlet.policy.refusal(url) is None:
                yield self._source(url, outlet, self.parse_feed)

    def parse_section(self, response: Response, outlet_key: str) -> None:
        self._links(response, self.outlets[outlet_key], via="section")

    def _links(self, response: Response, outlet: OutletTarget, via: str) -> None:
        try:
            links = article_links(response.body, response.url, outlet.article_patterns, http_charset(response))
        except DiscoveryError as exc:
            self._source_bad(outlet.key, "bad_page", f"{response.url}: {exc}")
            return
        self._source_ok(outlet.key)
        own = [u for u in links if outlet.policy.host_allowed(host_of(u))]
        for url in set(links) - set(own):
            self._skip("offsite", url)
        self._candidates(outlet, [Candidate(u) for u in own], via=via, source=response.url)

    def shaped_links(self, outlet_key: str, links: Sequence[str]) -> tuple[str, ...]:
        """The links inside an article that are follow-up candidates: the same
        outlet's, with an article's shape."""
        outlet = self.outlets.get(outlet_key)
        if outlet is None:
            return ()
        return tuple(
            u for u in links if outlet.policy.host_allowed(host_of(u)) and is_article_url(u, outlet.article_shapes)
        )

    def follow_body_links(self, outlet_key: str, links: Sequence[str], source: str) -> None:
        """Queue follow-ups found inside an admitted article (via "related";
        the caps and, after extraction, the date gate apply as to any page)."""
        outlet = self.outlets.get(outlet_key)
        if outlet is not None and links:
            self._candidates(outlet, [Candidate(u) for u in links], via="related", source=source)

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        outlet_key = request.cb_kwargs.get("outlet_key", "?")
        if failure.check(RefusedRequest):
            self._skip(failure.value.reason, request.url)
            return
        if request.url.endswith("/robots.txt"):
            return  # a missing robots.txt only means no Sitemap lines
        self._source_bad(outlet_key, failure_reason(failure), request.url)

    # -- articles --------------------------------------------------------

    def parse_article(
        self, response: Response, outlet_key: str, via: str, source: str | None, article_id: int | None,
        article_url: str | None = None, asked_url: str | None = None,
    ) -> Iterator[PageFetch]:
        """``article_url``: set when the answer came from another URL than the
        article's own (a content API): the article keeps its page's URL.
        ``asked_url``: the URL as the crawl knows it (a sitemap's or a link's,
        canonical): Scrapy asks for it percent-encoded, so a link written in
        another script ("/2024/11/29/künstler") is recorded under both forms,
        and found again, or forgotten when gone, under the one it was found by."""
        outlet = self.outlets[outlet_key]
        requested = asked_url or response.meta.get("redirect_urls", [response.url])[0]
        final_url = canonicalize_url(response.url) or response.url
        if article_url is not None:
            requested = final_url = article_url
        base = PageFetch(
            outlet_key=outlet_key,
            kind="page",
            requested_url=final_url if requested in (response.url, final_url) else canonicalize_url(requested) or requested,
            final_url=final_url,
            fetched_at=utcnow(),
            via=via,
            source=source,
            status=response.status,
            article_id=article_id,
        )
        if response.status == 304:
            self.stats.inc_value("storywatch/not_modified")
            yield dataclasses.replace(base, kind="not_modified")
            return
        if article_url is not None:
            yield from self._api_answer(response, base)
            return
        if response.status in (404, 410):
            yield dataclasses.replace(base, kind="gone", note=f"HTTP {response.status}")
            return
        if response.meta.get("redirect_urls") and path_of(response.url).rstrip("/") in outlet.index_paths | {""}:
            if article_id is None:
                self._skip("redirect_to_index", requested)
                return
            yield dataclasses.replace(base, kind="gone", note=f"redirected to {response.url}")
            return
        content_type = (response.headers.get("Content-Type") or b"text/html").lower()
        if not any(t in content_type for t in _HTML_TYPES):
            self._skip("not_html", response.url)
            return
        self.stats.inc_value("storywatch/fetched")
        self.stats.inc_value(f"storywatch/outlet/{outlet_key}/fetched")
        yield dataclasses.replace(
            base,
            body=response.body,
            http_charset=http_charset(response),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
        )

    def _api_answer(self, response: Response, base: PageFetch) -> Iterator[PageFetch]:
        """A content API's answer (fetch = "msn"): its JSON is the page's
        bytes; an error status or an unreadable answer is a per-page error
        with its reason, and the crawl goes on."""
        reason = None
        if response.status != 200:
            reason = f"msn_api_http_{response.status}"
        else:
            try:
                read_content(response.body)
            except ContentError as exc:
                reason = "msn_bad_content"
                log.warning("MSN content for %s is unusable: %s", base.final_url, exc)
        if reason is not None:
            self.stats.inc_value(f"storywatch/errors/{reason}")
            self.stats.inc_value(f"storywatch/outlet/{base.outlet_key}/errors")
            log.warning("could not read %s through its content API (%s)", base.final_url, reason)
            if base.article_id is not None:
                yield dataclasses.replace(base, kind="error", note=reason)
            return
        self.stats.inc_value("storywatch/fetched")
        self.stats.inc_value(f"storywatch/outlet/{base.outlet_key}/fetched")
        yield dataclasses.replace(
            base, body=response.body, http_charset="utf-8",
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
        )

    def article_failed(self, failure: Failure) -> Iterator[PageFetch]:
        request = failure.request  # type: ignore[attr-defined]
        kwargs = request.cb_kwargs
        if failure.check(RefusedRequest):
            self._skip(failure.value.reason, request.url)
            return
        reason = failure_reason(failure)
        if reason == "robots_disallowed":
            self._skip(reason, request.url)
            return
        self.stats.inc_value(f"storywatch/errors/{reason}")
        self.stats.inc_value(f"storywatch/outlet/{kwargs.get('outlet_key', '?')}/errors")
        log.warning("could not fetch %s (%s)", request.url, reason)
        if kwargs.get("article_id") is not None:
            page_url = kwargs.get("article_url") or request.url
            yield PageFetch(
                outlet_key=kwargs["outlet_key"],
                kind="error",
                requested_url=page_url,
                final_url=page_url,
                fetched_at=utcnow(),
                via=kwargs["via"],
                article_id=kwargs["article_id"],
                note=reason,
            )


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def http_charset(response: Response) -> str | None:
    """The charset the response's Content-Type names, if any, as a browser
    reads it (w3lib: a quoted value, ISO-8859-1 as windows-1252, a name no
    codec knows as none)."""
    content_type = response.headers.get("Content-Type")
    return http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
