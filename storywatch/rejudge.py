"""Judging the kept churn pages again (`storywatch rejudge`).

A fetch whose text changed only around the article makes no version; its
page is kept in ``churn_fetch`` so that a later, better rule can judge it
again.  This is that later judgement: each kept page and the version it was
compared with are read again by this release's extractor, under each
outlet's template as it stands, and judged by the crawl's own rule
(``storage.record.judge_page``) against the versions there were when the
page was fetched.  A page that now reads as an edit and was fetched after
the article's latest version becomes its next version; one fetched before a
later version is reported, not written: version numbers are never rewritten
(digests and users cite them), and the later version holds the edit if it
stayed on the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.extract import read_article
from crawler.selectors import outlet_selectors
from crawler.textdecode import page_html
from storage.models import Article, ArticleVersion, ChurnFetch, Outlet
from storage.queries import load_templates
from storage.record import FetchRecord, judge_page, record_rejudged_edit
from storywatch.article import Extracted
from storywatch.config import Config
from storywatch.content import decompress_html
from storywatch.templates import EMPTY as EMPTY_TEMPLATE
from storywatch.templates import TemplateSnapshot, under_template

log = logging.getLogger(__name__)

Selectors = tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class RejudgedPage:
    """One kept page judged again."""

    article_id: int
    outlet: str
    url: str
    fetched_at: dt.datetime
    versus: int | None  # the version it was compared with
    # "edit", "churn", "same_content", "partial", "truncated", or
    # "unreadable" (no text in the page for this extractor)
    verdict: str
    written: int | None = None  # the version it became
    before: int | None = None  # an edit fetched before this version: reported, not written

    def as_dict(self) -> dict[str, object]:
        record = dataclasses.asdict(self)
        record["fetched_at"] = self.fetched_at.isoformat()
        return record


def rejudge_kept_pages(sessions: sessionmaker[Session], config: Config, *, dry_run: bool = False
                       ) -> list[RejudgedPage]:
    """Judge every kept churn page again; unless ``dry_run``, write the
    edits fetched after their article's latest version as versions.  One
    transaction per article: a run killed half-way and run again writes
    nothing twice (a written page is no longer kept as churn)."""
    selectors = outlet_selectors(config.outlets)
    with sessions() as session:
        article_ids = list(session.scalars(select(ChurnFetch.article_id).distinct().order_by(ChurnFetch.article_id)))
        # One snapshot of each outlet's template for the whole run, as a crawl takes.
        templates = load_templates(session, list(session.scalars(select(Outlet.key))))
    judged: list[RejudgedPage] = []
    for article_id in article_ids:
        with sessions() if dry_run else sessions.begin() as session:
            judged += _rejudge_article(session, article_id, templates, selectors, config.schedule.zone,
                                       write=not dry_run)
    return judged


def _rejudge_article(session: Session, article_id: int, templates: dict[str, TemplateSnapshot],
                     selectors: dict[str, Selectors], zone: ZoneInfo, write: bool) -> list[RejudgedPage]:
    article = session.get(Article, article_id)
    if article is None:
        return []
    outlet_key = article.outlet.key
    template = templates.get(outlet_key, EMPTY_TEMPLATE)
    read = functools.partial(_read_stored_page, url=article.url, selectors=selectors.get(outlet_key, ()),
                             template=template)
    kept_pages = list(session.scalars(select(ChurnFetch).where(ChurnFetch.article_id == article_id)
                                      .order_by(ChurnFetch.fetched_at, ChurnFetch.id)))
    judged = []
    for kept in kept_pages:
        page = RejudgedPage(article_id, outlet_key, article.url, kept.fetched_at, None, "unreadable")
        content = read(kept.raw_html, kept.http_charset)
        if content is None:
            judged.append(page)
            continue
        record = FetchRecord(outlet_key=outlet_key, url=article.url, kind="page", fetched_at=kept.fetched_at,
                             article_id=article_id, raw_sha256=kept.raw_sha256, compressed_html=kept.raw_html,
                             http_charset=kept.http_charset, content=content, template_version=template.version)
        judgement = judge_page(session, article_id, record, content, as_of=kept.fetched_at,
                               reread=lambda version: read(version.raw_html, version.http_charset))
        versus = judgement.previous.number if judgement.previous is not None else None
        page = dataclasses.replace(page, versus=versus, verdict=judgement.verdict)
        if judgement.verdict == "edit":
            later = session.scalar(select(func.min(ArticleVersion.number))
                                   .where(ArticleVersion.article_id == article_id,
                                          ArticleVersion.fetched_at > kept.fetched_at))
            if later is not None:
                page = dataclasses.replace(page, before=later)
            elif write:
                number = record_rejudged_edit(session, article, kept, record, content, judgement, zone)
                session.flush()
                page = dataclasses.replace(page, written=number)
                log.info("article %d: the page kept as churn from %s is an edit: version %d",
                         article_id, kept.fetched_at.isoformat(), number)
        elif write and judgement.verdict in ("churn", "same_content"):
            kept.extractor_version = content.extractor_version  # judged no edit again, by this extractor
        judged.append(page)
    return judged


def _read_stored_page(raw_html: bytes, charset: str | None, url: str, selectors: Selectors,
                      template: TemplateSnapshot) -> Extracted | None:
    """A stored page as this release reads it in a crawl, decoded as its
    response declared."""
    extracted, _tree = read_article(page_html(decompress_html(raw_html), charset), url, selectors)
    return under_template(extracted, template) if extracted is not None else None
