"""The storage pipeline: extraction in worker processes, writes in the
writer thread, nothing heavy on Scrapy's event loop."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import select

from crawler import worker
from crawler.extraction_pool import EXTRACTOR_PRELOAD, ExtractionError, ExtractionPool
from crawler.inputs import PipelineSettings
from crawler.items import PageFetch
from crawler.spider import StorySpider
from crawler.urls import canonicalize_url, host_of, path_of
from crawler.version import EXTRACTOR_VERSION
from crawler.writer import BatchWriter
from storage.engine import make_engine, make_sessionmaker
from storage.models import ArticleVersion
from storage.queries import CrawlPlan, KnownArticle
from storage.record import FetchRecord, RecordResult, ensure_outlets, forget_body_link, record_fetch
from storywatch.article import Extracted
from storywatch.content import decompress_html, raw_sha256
from storywatch.templates import EMPTY as EMPTY_TEMPLATE
from storywatch.templates import TemplateSnapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from sqlalchemy.orm import Session

    from storywatch.article import Analysis

log = logging.getLogger(__name__)

T = TypeVar("T")


class LinkHandler(Protocol):
    def shaped_links(self, outlet_key: str, links: Sequence[str]) -> tuple[str, ...]: ...

    def follow_body_links(self, outlet_key: str, links: Sequence[str], source: str) -> None: ...


class StoragePipeline:
    def __init__(
        self,
        settings: PipelineSettings,
        plan: CrawlPlan,
        stats: StatsCollector,
        links: LinkHandler | None = None,
    ) -> None:
        self.settings = settings
        self.plan = plan
        self.stats = stats
        # Judges the links inside an article and queues the follow-ups:
        # the spider's, which knows the outlets and what it has requested.
        self.links = links
        self.pool: ExtractionPool | None = None
        self.writer: BatchWriter | None = None
        self.outlet_ids: dict[str, int] = {}
        self.selectors_reported: set[tuple[str, str]] = set()  # (outlet, field): logged once per crawl

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        # The crawl's inputs are the spider's arguments (crawler.settings
        # carries scalars only); Scrapy creates the spider before its pipelines.
        spider = crawler.spider
        if not isinstance(spider, StorySpider):
            raise TypeError("StoragePipeline works with StorySpider's crawl inputs")
        assert crawler.stats is not None
        return cls(spider.inputs.storage, spider.plan, crawler.stats, spider)

    def open_spider(self) -> None:
        self.pool = ExtractionPool(self.settings.extract_workers,
                                   preload=EXTRACTOR_PRELOAD if self.settings.preload_extractor else ())
        if not self.plan.known:
            # A first crawl: every page will need extraction, so the workers
            # start now, while discovery runs.  Otherwise on the first page
            # that needs them (a recheck of an unchanged site never does).
            self.pool.start()
        engine = make_engine(self.settings.database_url)
        sessions = make_sessionmaker(engine)
        with sessions.begin() as session:
            self.outlet_ids = ensure_outlets(session, self.settings.outlets)
        pool = self.pool
        # The writer gathers a batch only while pages are being extracted:
        # their writes will follow.  A recheck's writes go at once.
        self.writer = BatchWriter(sessions, max_pending=64, more_coming=lambda: pool.busy)

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.pool is not None:
            self.pool.close()

    # -- helpers ---------------------------------------------------------

    def _known(self, item: PageFetch) -> KnownArticle | None:
        for url in (item.requested_url, item.final_url):
            known = self.plan.known.get(url)
            if known is not None:
                return known
        return None

    async def _analyse(self, body: bytes, url: str, charset: str | None, outlet_key: str) -> Analysis | None:
        """The page read, judged under this crawl's snapshot of its outlet's
        template (``self.plan.templates``) and admitted, in a worker."""
        assert self.pool is not None
        self.stats.inc_value("storywatch/extracted")
        selectors = self.settings.outlet_selectors.get(outlet_key, ())
        template = self.plan.templates.get(outlet_key, EMPTY_TEMPLATE)
        analysis = await self.pool.run(worker.analyse, body, url, charset, self.settings.query, self.settings.since,
                                       selectors, template)
        if analysis is not None:
            self._report_missed_selectors(outlet_key, url, analysis.content.selectors_missed)
        return analysis

    def _report_missed_selectors(self, outlet_key: str, url: str, missed: Sequence[str]) -> None:
        """A selector matching nothing is counted every time and logged once
        per crawl and outlet: a redesign must not silently empty the text."""
        for field in missed:
            self.stats.inc_value(f"storywatch/selector_missed/{outlet_key}/{field}")
            if (outlet_key, field) not in self.selectors_reported:
                self.selectors_reported.add((outlet_key, field))
                expression = dict(self.settings.outlet_selectors.get(outlet_key, ())).get(field)
                log.warning("outlet %s: selectors.%s = %r matched nothing on %s (a redesign?); the general "
                            "extraction read it", outlet_key, field, expression, url)

    async def _baseline(self, known: KnownArticle, template: TemplateSnapshot) -> Extracted | None:
        """Re-extract the latest stored version when an older extractor made
        it, or another snapshot of the outlet's template judged it: the fetch
        is compared with it as this crawl judges pages."""
        if known.latest_extractor_version is None:
            return None
        if known.latest_extractor_version == EXTRACTOR_VERSION and (known.latest_template_version or "") == template.version:
            return None
        assert self.writer is not None
        stored = await self.writer.submit(lambda session: _latest_page(session, known.id))
        if stored is None:
            return None
        raw, charset = stored
        self.stats.inc_value("storywatch/reextracted")
        analysis = await self._analyse(raw, known.url, charset, known.outlet_key)
        return analysis.content if analysis else None

    def _identity(self, item: PageFetch, analysis: Analysis) -> tuple[str, tuple[str, ...], str | None]:
        """The article's URL, its aliases and (for a syndicated copy) the original's URL."""
        page_url = item.final_url
        aliases = tuple(u for u in dict.fromkeys((item.requested_url, item.final_url)))
        canonical = canonicalize_url(analysis.canonical_url) if analysis.canonical_url else None
        if not canonical or canonical == page_url or path_of(canonical) == "/":
            return page_url, aliases, None
        if self.settings.outlet_policies[item.outlet_key].host_allowed(host_of(canonical)):
            return canonical, aliases, None
        return page_url, aliases, canonical

    # -- the pipeline ----------------------------------------------------

    async def process_item(self, item: PageFetch) -> dict[str, Any]:
        known = self._known(item)
        if item.kind == "gone" and known is None:
            self.stats.inc_value("storywatch/skipped/gone")
            if item.via == "related":
                link = item.requested_url
                await self._write(item, lambda session: forget_body_link(session, link))
            return {"url": item.final_url, "state": "gone"}
        body_hash = raw_sha256(item.body) if item.kind == "page" else None
        same_body = known is not None and body_hash is not None and known.raw_sha256 == body_hash
        if same_body:
            self.stats.inc_value("storywatch/unchanged_body")
        if known is not None and not known.removed and (item.kind == "not_modified" or same_body):
            return await self._record_check(item, known)
        try:
            record = await self._build_record(item, known, body_hash, same_body)
        except ExtractionError as exc:
            # Its worker died (or none could start): not recorded, so the
            # next crawl fetches it again as if it were new.
            self.stats.inc_value("storywatch/errors/extraction")
            log.error("not extracted: %s (%s)", item.final_url, exc)
            return {"url": item.final_url, "state": "not_recorded"}
        result = await self._write(
            item,
            lambda session: record_fetch(session, record, self.outlet_ids, self.settings.policy, self.settings.zone),
        )
        if result is None:
            return {"url": item.final_url, "state": "not_recorded"}
        self.stats.inc_value(f"storywatch/outlet/{item.outlet_key}/stored")
        self._count(item.outlet_key, record, result)
        if record.body_links and result.relevant and self.links is not None:
            self.links.follow_body_links(item.outlet_key, record.body_links, record.url)
        return {"url": record.url, "state": result.state, "version": result.new_version}

    async def _write(self, item: PageFetch, job: Callable[[Session], T]) -> T | None:
        """Run a write on the writer thread; None when it failed (counted and
        logged: the crawl goes on)."""
        assert self.writer is not None
        try:
            return await self.writer.submit(job)
        except Exception as exc:  # noqa: BLE001 -- any write failure is counted, the crawl goes on
            self.stats.inc_value("storywatch/errors/database")
            log.error("not recorded: %s (%s)", item.final_url, exc)
            return None

    async def _build_record(
        self, item: PageFetch, known: KnownArticle | None, body_hash: str | None, same_body: bool
    ) -> FetchRecord:
        url = known.url if known else item.final_url
        base = FetchRecord(
            outlet_key=item.outlet_key,
            url=url,
            kind="error",
            fetched_at=item.fetched_at,
            status=item.status,
            article_id=known.id if known else item.article_id,
            discovered_via=item.via,
            discovered_from=item.source,
            etag=item.etag,
            last_modified=item.last_modified,
            note=item.note,
        )
        if item.kind != "page":
            return dataclasses.replace(base, kind=item.kind)
        if same_body:
            # A removed article back with the same bytes: no extraction, no
            # version, but the full record path clears its removal.
            return dataclasses.replace(base, kind="unchanged", raw_sha256=body_hash)
        extracting = f"storywatch/outlet/{item.outlet_key}/extracting"
        self.stats.inc_value(extracting)
        try:
            analysis = await self._analyse(item.body, item.final_url, item.http_charset, item.outlet_key)
        finally:
            self.stats.inc_value(extracting, -1)
        if analysis is None:
            self.stats.inc_value(f"storywatch/outlet/{item.outlet_key}/empty")
            if known is None:
                self.stats.inc_value("storywatch/skipped/no_text")
                log.debug("no readable text (empty or built by JavaScript): %s", item.final_url)
            # Recorded all the same (an article with no text, like one that
            # does not match), so the next crawl asks with its validators and
            # body hash instead of fetching and extracting it again as new.
            return dataclasses.replace(base, kind="empty", raw_sha256=body_hash, note="no readable text")
        article_url, aliases, syndicated_from = self._identity(item, analysis)
        if known is not None:
            article_url = known.url
        # One snapshot of the outlet's template for the whole crawl: the
        # worker judged the page under it.
        template = self.plan.templates.get(item.outlet_key, EMPTY_TEMPLATE)
        content = analysis.content
        self.stats.inc_value(f"storywatch/outlet/{item.outlet_key}/usable")
        if content.is_partial:
            self.stats.inc_value(f"storywatch/outlet/{item.outlet_key}/{content.partial_reason or 'partial'}")
        baseline = await self._baseline(known, template) if known is not None else None
        # One hop: the links of a page that was itself reached by a link
        # inside an article are not followed.
        via = known.discovered_via if known is not None else item.via
        links = () if via == "related" or self.links is None else self.links.shaped_links(item.outlet_key, analysis.body_links)
        return dataclasses.replace(
            base,
            url=article_url,
            kind="page",
            aliases=aliases,
            syndicated_from=syndicated_from,
            syndicated_provider=content.site_name if syndicated_from else None,
            raw_sha256=body_hash,
            compressed_html=analysis.compressed_html,
            http_charset=item.http_charset,
            content=content,
            relevance=analysis.relevance,
            baseline=baseline,
            body_links=links,
            template_version=template.version,
            template_prints=tuple(sorted({fingerprint for fingerprint in analysis.line_prints if fingerprint})),
        )

    async def _record_check(self, item: PageFetch, known: KnownArticle) -> dict[str, Any]:
        """The cheap path of a recheck: nothing changed, one UPDATE."""
        record = FetchRecord(
            outlet_key=item.outlet_key,
            url=known.url,
            kind="not_modified" if item.kind == "not_modified" else "unchanged",
            fetched_at=item.fetched_at,
            status=item.status,
            article_id=known.id,
            etag=item.etag,
            last_modified=item.last_modified,
            known=known,
        )
        result = await self._write(
            item,
            lambda session: record_fetch(session, record, self.outlet_ids, self.settings.policy, self.settings.zone),
        )
        return {"url": known.url, "state": result.state if result is not None else "not_recorded"}

    def _count(self, outlet_key: str, record: FetchRecord, result: RecordResult) -> None:
        stats = self.stats
        if result.new_article:
            stats.inc_value("storywatch/new_articles")
            stats.inc_value(f"storywatch/outlet/{outlet_key}/new_articles")
        if result.new_version is not None:
            stats.inc_value("storywatch/new_versions")
            stats.inc_value(f"storywatch/outlet/{outlet_key}/new_versions")
        if record.kind == "page" and record.relevance is not None and record.relevance.relevant:
            stats.inc_value("storywatch/relevant")
            stats.inc_value(f"storywatch/outlet/{outlet_key}/relevant")
        if record.relevance is not None and record.relevance.admission is not None:
            stats.inc_value(f"storywatch/admission/{record.relevance.admission}")
            log.debug("admitted as %s: %s", record.relevance.admission, record.url)
        if result.state == "removed":
            stats.inc_value("storywatch/removed")


def _latest_page(session: Session, article_id: int) -> tuple[bytes, str | None] | None:
    """The latest version's page and the charset its response declared."""
    row = session.execute(
        select(ArticleVersion.raw_html, ArticleVersion.http_charset)
        .where(ArticleVersion.article_id == article_id)
        .order_by(ArticleVersion.number.desc())
        .limit(1)
    ).first()
    return (decompress_html(row.raw_html), row.http_charset) if row is not None and row.raw_html else None
