"""What the web view reads: a few indexed queries per page, no writes.

Every function takes an open session and returns plain dataclasses; the
pages (web/pages.py) and the JSON API (web/api.py) render the same values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Integer, Select, and_, column, exists, func, select, text
from sqlalchemy.orm import Session

from storage.models import Article, ArticleVersion, CrawlRun, DigestRun, Outlet
from storage.queries import relevant_unindexed
from storywatch.content import left_out

PAGE_SIZE = 50
TIMELINE_DAYS = 60
Sort = Literal["first_seen", "-first_seen", "published", "-published", "title"]
SORTS: tuple[str, ...] = ("-first_seen", "first_seen", "-published", "published", "title")
States = Literal["changed", "removed", "paywalled"]
STATES: tuple[str, ...] = ("changed", "removed", "paywalled")


class BadSearch(ValueError):
    """A search the database cannot run (shown to the user, not a crash)."""


@dataclasses.dataclass(frozen=True, slots=True)
class OutletInfo:
    id: int
    key: str
    name: str


def outlets(session: Session) -> list[OutletInfo]:
    return [OutletInfo(o.id, o.key, o.name) for o in session.scalars(select(Outlet).order_by(Outlet.name))]


# -- the article list --------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleFilter:
    outlet: str | None = None
    day: dt.date | None = None  # first seen that local day
    state: str | None = None  # one of STATES
    search: str | None = None
    sort: str = "-first_seen"
    page: int = 1


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleSummary:
    id: int
    outlet: str
    outlet_name: str
    url: str
    title: str | None
    published_at: dt.datetime | None
    first_seen_at: dt.datetime
    first_seen_day: dt.date
    versions: int
    removed_at: dt.datetime | None
    is_partial: bool
    syndicated_from: str | None
    check_state: str


@dataclasses.dataclass(frozen=True, slots=True)
class ArticlePage:
    filter: ArticleFilter
    total: int
    articles: list[ArticleSummary]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


_FTS_TOKEN = re.compile(r'[^\s"]+')


def fts5_query(search: str) -> str:
    """A user's words as an FTS5 query: every word must appear, each quoted
    so no word is read as an operator; a trailing * keeps a prefix search."""
    terms = []
    for word in _FTS_TOKEN.findall(search):
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*")
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    if not terms:
        raise BadSearch("no words to search for")
    return " ".join(terms)


def _search_clause(session: Session, search: str) -> ColumnElement[bool]:
    """Articles with a version matching ``search`` (FTS5 or tsvector, as in SQL)."""
    if session.get_bind().dialect.name == "postgresql":
        matching = select(ArticleVersion.article_id).where(
            text("article_version.search @@ websearch_to_tsquery('english', :search)").bindparams(search=search)
        )
    else:
        fts_rows = text("SELECT rowid FROM article_version_fts WHERE article_version_fts MATCH :search").bindparams(
            search=fts5_query(search)
        ).columns(column("rowid", Integer))
        matching = select(ArticleVersion.article_id).where(ArticleVersion.id.in_(fts_rows))
    return Article.id.in_(matching)


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _filtered(session: Session, query: _Query, filt: ArticleFilter) -> _Query:
    query = query.where(Article.relevant.is_(True))
    if filt.outlet:
        query = query.where(Outlet.key == filt.outlet)
    if filt.day is not None:
        query = query.where(Article.first_seen_day == filt.day)
    if filt.state == "changed":
        query = query.where(
            exists().where(ArticleVersion.article_id == Article.id, ArticleVersion.number == 2)
        )
    elif filt.state == "removed":
        query = query.where(Article.removed_at.is_not(None))
    elif filt.state == "paywalled":
        # Through the partial index of subscriber-only versions (few).
        # (the bare column, written as the index's own predicate, so SQLite uses it).
        query = query.where(Article.id.in_(select(ArticleVersion.article_id).where(text("article_version.is_partial"))))
    if filt.search:
        query = query.where(_search_clause(session, filt.search))
    return query


def _order(sort: str) -> list[ColumnElement[object]]:
    return {
        "first_seen": [Article.first_seen_at.asc(), Article.id.asc()],
        "-first_seen": [Article.first_seen_at.desc(), Article.id.desc()],
        "published": [Article.published_at.asc(), Article.id.asc()],
        "-published": [Article.published_at.desc(), Article.id.desc()],
        "title": [Article.title.asc(), Article.id.asc()],
    }.get(sort, [Article.first_seen_at.desc(), Article.id.desc()])  # type: ignore[return-value]


def article_page(session: Session, filt: ArticleFilter) -> ArticlePage:
    """One page of relevant articles: a count, the page's rows, and their
    version counts (three queries whatever the page size)."""
    base = select(func.count()).select_from(Article).join(Outlet, Outlet.id == Article.outlet_id)
    total = int(session.scalar(_filtered(session, base, filt)) or 0)
    rows_query = (
        select(Article, Outlet.key, Outlet.name)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .order_by(*_order(filt.sort))
        .limit(PAGE_SIZE)
        .offset((max(filt.page, 1) - 1) * PAGE_SIZE)
    )
    rows = session.execute(_filtered(session, rows_query, filt)).all()
    counts = _version_counts(session, [article.id for article, _, _ in rows])
    return ArticlePage(
        filt,
        total,
        [
            ArticleSummary(
                id=article.id,
                outlet=key,
                outlet_name=name,
                url=article.url,
                title=article.title,
                published_at=article.published_at,
                first_seen_at=article.first_seen_at,
                first_seen_day=article.first_seen_day,
                versions=counts.get(article.id, (0, False))[0],
                removed_at=article.removed_at,
                is_partial=counts.get(article.id, (0, False))[1],
                syndicated_from=article.syndicated_from,
                check_state=article.check_state,
            )
            for article, key, name in rows
        ],
    )


def _version_counts(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
    """Per article: how many versions, and whether the latest is partial."""
    if not ids:
        return {}
    latest = (
        select(ArticleVersion.article_id, func.max(ArticleVersion.number).label("number"), func.count().label("versions"))
        .where(ArticleVersion.article_id.in_(ids))
        .group_by(ArticleVersion.article_id)
        .subquery()
    )
    rows = session.execute(
        select(latest.c.article_id, latest.c.versions, ArticleVersion.is_partial).join(
            ArticleVersion,
            and_(ArticleVersion.article_id == latest.c.article_id, ArticleVersion.number == latest.c.number),
        )
    )
    return {article_id: (int(versions), bool(partial)) for article_id, versions, partial in rows}


# -- one article ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class VersionInfo:
    id: int
    number: int
    fetched_at: dt.datetime
    title: str | None
    authors: list[str]
    published_at: dt.datetime | None
    change_kinds: tuple[str, ...]
    change_size: int | None
    is_minor: bool
    is_partial: bool
    partial_reason: str | None
    raw_sha256: str
    extractor_version: str


@dataclasses.dataclass(frozen=True, slots=True)
class LinkedArticle:
    id: int | None  # None: an original that storywatch does not track
    url: str
    outlet_name: str | None
    title: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleDetail:
    id: int
    outlet: str
    outlet_name: str
    url: str
    title: str | None
    published_at: dt.datetime | None
    first_seen_at: dt.datetime
    last_checked_at: dt.datetime | None
    check_state: str
    removed_at: dt.datetime | None
    relevant: bool
    match_score: float
    match_terms: list[str]
    admission: str | None
    discovered_via: str
    churn_count: int
    versions: list[VersionInfo]
    original: LinkedArticle | None
    copies: list[LinkedArticle]


def article_detail(session: Session, article_id: int) -> ArticleDetail | None:
    row = session.execute(
        select(Article, Outlet.key, Outlet.name).join(Outlet, Outlet.id == Article.outlet_id).where(Article.id == article_id)
    ).first()
    if row is None:
        return None
    article, key, name = row
    versions = [
        VersionInfo(
            id=v.id, number=v.number, fetched_at=v.fetched_at, title=v.title, authors=list(v.authors or []),
            published_at=v.published_at, change_kinds=tuple(k for k in (v.change_kinds or "").split(",") if k),
            change_size=v.change_size, is_minor=v.is_minor, is_partial=v.is_partial, partial_reason=v.partial_reason,
            raw_sha256=v.raw_sha256, extractor_version=v.extractor_version,
        )
        for v in session.execute(
            select(
                ArticleVersion.id, ArticleVersion.number, ArticleVersion.fetched_at, ArticleVersion.title,
                ArticleVersion.authors, ArticleVersion.published_at, ArticleVersion.change_kinds,
                ArticleVersion.change_size, ArticleVersion.is_minor, ArticleVersion.is_partial,
                ArticleVersion.partial_reason, ArticleVersion.raw_sha256, ArticleVersion.extractor_version,
            )
            .where(ArticleVersion.article_id == article.id)
            .order_by(ArticleVersion.number)
        )
    ]
    linked = session.execute(
        select(Article.id, Article.url, Article.title, Article.syndicated_from, Outlet.name)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where((Article.syndicated_from == article.url) | (Article.url == (article.syndicated_from or "")))
        .order_by(Article.id)
    ).all()
    copies = [LinkedArticle(i, u, n, t) for i, u, t, source, n in linked if source == article.url]
    original = next((LinkedArticle(i, u, n, t) for i, u, t, _, n in linked if u == article.syndicated_from), None)
    if original is None and article.syndicated_from:
        original = LinkedArticle(None, article.syndicated_from, None, None)
    return ArticleDetail(
        id=article.id, outlet=key, outlet_name=name, url=article.url, title=article.title,
        published_at=article.published_at, first_seen_at=article.first_seen_at,
        last_checked_at=article.last_checked_at, check_state=article.check_state, removed_at=article.removed_at,
        relevant=article.relevant, match_score=article.match_score, match_terms=list(article.match_terms or []),
        admission=article.admission, discovered_via=article.discovered_via, churn_count=article.churn_count or 0,
        versions=versions, original=original, copies=copies,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class VersionText:
    text: str
    # Indices of the text's lines left out of the version's identity (the
    # page around the article: storywatch.content.left_out); empty for a
    # version written before storywatch kept them.
    chrome: frozenset[int]


def version_texts(session: Session, article_id: int, numbers: Sequence[int]) -> dict[int, VersionText]:
    """The body text of some versions of one article, by number."""
    if not numbers:
        return {}
    rows = session.execute(
        select(ArticleVersion.number, ArticleVersion.text, ArticleVersion.chrome_lines).where(
            ArticleVersion.article_id == article_id, ArticleVersion.number.in_(list(numbers))
        )
    )
    return {number: VersionText(body, frozenset(left_out(body, chrome))) for number, body, chrome in rows}


def raw_html(session: Session, article_id: int, number: int) -> tuple[bytes, str | None] | None:
    """The stored page bytes of one version (still zlib-compressed) and the
    charset its response declared."""
    row = session.execute(
        select(ArticleVersion.raw_html, ArticleVersion.http_charset)
        .where(ArticleVersion.article_id == article_id, ArticleVersion.number == number)
    ).first()
    return (row.raw_html, row.http_charset) if row is not None else None


# -- the story at a glance --------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class DayItem:
    kind: Literal["new", "changed", "removed"]
    article_id: int
    outlet_name: str
    title: str | None
    url: str
    at: dt.datetime
    detail: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class OutletHealth:
    key: str
    name: str
    last_ok: dt.datetime | None
    problems: list[str]


@dataclasses.dataclass(frozen=True, slots=True)
class Overview:
    first_day: dt.date
    last_day: dt.date
    outlets: list[OutletInfo]
    new_per_day: dict[tuple[str, dt.date], int]  # (outlet key, day) -> articles first seen
    changes_per_day: dict[tuple[str, dt.date], int]  # (outlet key, day) -> later versions
    days: dict[dt.date, list[DayItem]]  # today's and yesterday's new, changed and removed
    health: list[OutletHealth]
    last_crawl: dt.datetime | None
    last_ok_crawl: dt.datetime | None
    tracked: int


def overview(session: Session, today: dt.date, recent_runs: int = 20) -> Overview:
    first_day = today - dt.timedelta(days=TIMELINE_DAYS - 1)
    known = outlets(session)
    key_of = {o.id: o.key for o in known}
    name_of = {o.id: o.name for o in known}
    new_per_day: dict[tuple[str, dt.date], int] = {}
    tracked = int(session.scalar(select(func.count()).select_from(Article).where(Article.relevant.is_(True))) or 0)
    for outlet_id, day, count in session.execute(
        select(Article.outlet_id, Article.first_seen_day, func.count())
        .where(Article.relevant.is_(True), Article.first_seen_day >= first_day)
        .group_by(Article.outlet_id, Article.first_seen_day)
    ):
        new_per_day[(key_of[outlet_id], day)] = count
    changes_per_day: dict[tuple[str, dt.date], int] = {}
    for outlet_id, day, count in session.execute(
        select(Article.outlet_id, ArticleVersion.fetched_day, func.count())
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(ArticleVersion.fetched_day >= first_day, ArticleVersion.number > 1, relevant_unindexed())
        .group_by(Article.outlet_id, ArticleVersion.fetched_day)
    ):
        changes_per_day[(key_of[outlet_id], day)] = count
    recent = (today - dt.timedelta(days=1), today)
    days: dict[dt.date, list[DayItem]] = {day: [] for day in reversed(recent)}
    for number, fetched_day, fetched_at, title, kinds, article_id, outlet_id, url in session.execute(
        select(ArticleVersion.number, ArticleVersion.fetched_day, ArticleVersion.fetched_at, ArticleVersion.title,
               ArticleVersion.change_kinds, Article.id, Article.outlet_id, Article.url)
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(ArticleVersion.fetched_day.in_(recent), relevant_unindexed())
        .order_by(ArticleVersion.fetched_at.desc())
    ):
        kind: Literal["new", "changed"] = "new" if number == 1 else "changed"
        days[fetched_day].append(
            DayItem(kind, article_id, name_of[outlet_id], title, url, fetched_at, (kinds or "").replace(",", ", "))
        )
    for article in session.scalars(
        select(Article).where(Article.removed_day.in_(recent), relevant_unindexed())
    ):
        if article.removed_at is not None and article.removed_day is not None:
            days[article.removed_day].append(
                DayItem("removed", article.id, name_of[article.outlet_id], article.title, article.url,
                        article.removed_at, article.check_note or "")
            )
    runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.started_at.desc()).limit(recent_runs)))
    health = []
    for outlet in known:
        last_ok = None
        problems: list[str] = []
        for run in runs:
            details = run.details or {}
            if outlet.key not in (run.outlets or []) or run.status == "running":
                continue
            failed = outlet.key in details.get("failed_outlets", [])
            row = (details.get("outlets") or {}).get(outlet.key) or {}
            if not problems and failed:
                problems.append("failed in its last crawl")
            if not problems and row.get("sources_failed"):
                problems.append(f"{row['sources_failed']} feed(s) or sitemap(s) failed in its last crawl")
            if not failed:
                last_ok = run.finished_at or run.started_at
                break
        health.append(OutletHealth(outlet.key, outlet.name, last_ok, problems))
    last_crawl = runs[0].started_at if runs else None
    last_ok_crawl = next((r.finished_at for r in runs if r.status == "ok"), None)
    return Overview(first_day, today, known, new_per_day, changes_per_day, days, health, last_crawl,
                    last_ok_crawl, tracked)


# -- digests -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class DigestEntry:
    day: dt.date
    target: str
    status: str
    sent_at: dt.datetime | None
    attempts: int
    transport: str | None
    subject: str | None
    counts: tuple[int, int, int]
    last_error: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class DigestMessage:
    entry: DigestEntry
    text: str | None
    html: str | None


def _entry(run: DigestRun) -> DigestEntry:
    return DigestEntry(run.digest_date, run.target, run.status, run.sent_at, run.attempts, run.transport, run.subject,
                       (run.new_articles, run.changed_articles, run.removed_articles), run.last_error)


def digest_entries(session: Session, limit: int = 400) -> list[DigestEntry]:
    query = select(DigestRun).order_by(DigestRun.digest_date.desc(), DigestRun.target).limit(limit)
    return [_entry(run) for run in session.scalars(query)]


def digest_messages(session: Session, day: dt.date) -> list[DigestMessage]:
    """Every target's row for the day, the mail first."""
    runs = session.scalars(
        select(DigestRun).where(DigestRun.digest_date == day).order_by((DigestRun.target != "email"), DigestRun.target)
    )
    return [DigestMessage(_entry(run), run.body_text, run.body_html) for run in runs]
