"""Queries shared by the crawler, the CLI, the daemon and the digest."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Article, ArticleAlias, ArticleText, ArticleVersion, Outlet, TemplateBlock
from storywatch.content import decompress_text
from storywatch.templates import TemplateSnapshot, pages_needed, snapshot


@dataclasses.dataclass(frozen=True, slots=True)
class KnownArticle:
    """What a crawl needs to know about an article it may meet again."""

    id: int
    outlet_key: str
    url: str
    relevant: bool
    last_checked_at: dt.datetime | None
    etag: str | None
    last_modified: str | None
    raw_sha256: str | None
    latest_extractor_version: str | None
    due: bool
    first_seen_at: dt.datetime
    published_at: dt.datetime | None
    newest_version_at: dt.datetime | None
    removed: bool
    discovered_via: str = "unknown"
    # The template snapshot its latest version's identity was made under.
    latest_template_version: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CrawlPlan:
    known: dict[str, KnownArticle]  # by URL and by every alias
    due: tuple[KnownArticle, ...]
    # Links inside admitted articles not yet known: (outlet key, URL, the
    # article they are in).  Candidates again until fetched, so a crawl
    # killed after an article and before its links loses nothing.
    follow_ups: tuple[tuple[str, str, str], ...] = ()
    # Each outlet's template as this crawl judges every page (one snapshot
    # per crawl: storywatch/templates.py).
    templates: dict[str, TemplateSnapshot] = dataclasses.field(default_factory=dict)


def due_clause(now: dt.datetime) -> ColumnElement[bool]:
    """The one due rule: its time has come, or a signal (sitemap lastmod,
    feed updated) says the page changed after the last fetch -- even when
    retired (``next_check_at`` NULL).  Never fetched counts from first seen."""
    return or_(
        Article.next_check_at <= now,
        Article.signal_at > func.coalesce(Article.last_checked_at, Article.first_seen_at),
    )


def load_crawl_plan(
    session: Session, outlet_keys: Sequence[str], now: dt.datetime, recheck: bool = False
) -> CrawlPlan:
    """Known articles of these outlets, and which are due for a revisit.

    With ``recheck`` every tracked article is due: all relevant ones (retired
    included) and the non-matching ones still in their re-check window."""
    latest_extractor, latest_template = (
        select(column)
        .where(ArticleVersion.article_id == Article.id)
        .order_by(ArticleVersion.number.desc())
        .limit(1)
        .scalar_subquery()
        for column in (ArticleVersion.extractor_version, ArticleVersion.template_version)
    )
    newest_version = (
        select(func.max(ArticleVersion.fetched_at)).where(ArticleVersion.article_id == Article.id).scalar_subquery()
    )
    # Columns, not ORM entities: a recheck loads every known article, and
    # building (and identity-mapping) an Article per row took twice as long.
    rows = session.execute(
        select(
            Article.id,
            Outlet.key,
            Article.url,
            Article.relevant,
            Article.next_check_at,
            Article.last_checked_at,
            Article.http_etag,
            Article.http_last_modified,
            Article.raw_sha256,
            Article.first_seen_at,
            Article.published_at,
            Article.removed_at,
            Article.discovered_via,
            Article.body_links,
            latest_extractor.label("latest_extractor_version"),
            latest_template.label("latest_template_version"),
            newest_version.label("newest_version_at"),
            due_clause(now).label("due"),
        )
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(Outlet.key.in_(list(outlet_keys)))
    ).all()
    known: dict[str, KnownArticle] = {}
    due: list[KnownArticle] = []
    by_id: dict[int, KnownArticle] = {}
    for row in rows:
        tracked = row.relevant or row.next_check_at is not None
        item = KnownArticle(
            id=row.id,
            outlet_key=row.key,
            url=row.url,
            relevant=row.relevant,
            last_checked_at=row.last_checked_at,
            etag=row.http_etag,
            last_modified=row.http_last_modified,
            raw_sha256=row.raw_sha256,
            latest_extractor_version=row.latest_extractor_version,
            due=(recheck and tracked) or bool(row.due),
            first_seen_at=row.first_seen_at,
            published_at=row.published_at,
            newest_version_at=_aware(row.newest_version_at),
            removed=row.removed_at is not None,
            discovered_via=row.discovered_via,
            latest_template_version=row.latest_template_version,
        )
        known[row.url] = item
        by_id[row.id] = item
        if item.due:
            due.append(item)
    if by_id:
        aliases = session.execute(
            select(ArticleAlias.url, ArticleAlias.article_id).where(ArticleAlias.article_id.in_(list(by_id)))
        )
        for alias_url, article_id in aliases:
            known.setdefault(alias_url, by_id[article_id])
    due.sort(key=lambda a: a.last_checked_at or now)
    follow_ups = {
        link: (row.key, link, row.url)
        for row in rows
        # While the article is tracked: a dead link is not asked for forever.
        if row.relevant and row.body_links and row.next_check_at is not None
        for link in row.body_links
        if link not in known
    }
    return CrawlPlan(known=known, due=tuple(due), follow_ups=tuple(follow_ups.values()),
                     templates=load_templates(session, outlet_keys))


def load_templates(session: Session, outlet_keys: Sequence[str]) -> dict[str, TemplateSnapshot]:
    """Each outlet's template as it stands: the snapshot one crawl judges by."""
    outlets = session.execute(select(Outlet.id, Outlet.key, Outlet.template_pages)
                              .where(Outlet.key.in_(list(outlet_keys)))).all()
    templates: dict[str, TemplateSnapshot] = {}
    for outlet_id, key, pages in outlets:
        counts = session.execute(select(TemplateBlock.fingerprint, TemplateBlock.pages)
                                 .where(TemplateBlock.outlet_id == outlet_id,
                                        TemplateBlock.pages >= pages_needed(pages or 0))).all()
        templates[key] = snapshot([(fingerprint, count) for fingerprint, count in counts], pages or 0)
    return templates


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """A UTC datetime from an aggregate (SQLite returns text, naive)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def note_signals(session: Session, signals: dict[int, dt.datetime]) -> None:
    """Remember change signals (sitemap lastmod, feed updated) per article."""
    for article_id, when in signals.items():
        session.execute(
            update(Article)
            .where(Article.id == article_id)
            .where(or_(Article.signal_at.is_(None), Article.signal_at < when))
            .values(signal_at=when)
        )


def count_due(session: Session, now: dt.datetime) -> int:
    return session.scalar(select(func.count()).select_from(Article).where(due_clause(now))) or 0


# -- article listings --------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    outlet: str
    url: str
    title: str | None
    authors: list[str]
    published_at: dt.datetime | None
    first_seen_at: dt.datetime
    first_seen_day: dt.date
    versions: int
    relevant: bool
    match_terms: list[str]
    syndicated_from: str | None
    removed_at: dt.datetime | None
    check_state: str
    admission: str | None = None
    churn_count: int = 0

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def article_rows(
    session: Session,
    *,
    since: dt.date | None = None,
    outlet: str | None = None,
    changed: bool = False,
    include_irrelevant: bool = False,
) -> list[ArticleRow]:
    version_count = (
        select(func.count()).where(ArticleVersion.article_id == Article.id).correlate(Article).scalar_subquery()
    )
    latest_authors = (
        select(ArticleVersion.authors)
        .where(ArticleVersion.article_id == Article.id)
        .order_by(ArticleVersion.number.desc())
        .limit(1)
        .correlate(Article)
        .scalar_subquery()
    )
    query = (
        select(Article, Outlet.key, version_count, latest_authors)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .order_by(Article.first_seen_at, Article.id)
    )
    if not include_irrelevant:
        query = query.where(Article.relevant.is_(True))
    if since is not None:
        query = query.where(Article.first_seen_day >= since)
    if outlet is not None:
        query = query.where(Outlet.key == outlet)
    if changed:
        query = query.where(version_count > 1)
    rows = []
    for article, key, versions, authors in session.execute(query):
        rows.append(
            ArticleRow(
                id=article.id,
                outlet=key,
                url=article.url,
                title=article.title,
                authors=list(authors or []),
                published_at=article.published_at,
                first_seen_at=article.first_seen_at,
                first_seen_day=article.first_seen_day,
                versions=int(versions or 0),
                relevant=article.relevant,
                match_terms=list(article.match_terms or []),
                syndicated_from=article.syndicated_from,
                removed_at=article.removed_at,
                check_state=article.check_state,
                admission=article.admission,
                churn_count=article.churn_count or 0,
            )
        )
    return rows


@dataclasses.dataclass(frozen=True, slots=True)
class StoredText:
    """What the store holds of an article's latest text: its latest version,
    or, for an article never admitted, the text kept from its latest fetch."""

    title: str | None
    description: str | None
    text: str
    published_at: dt.datetime | None
    modified_at: dt.datetime | None
    in_versions: bool
    # The text's chrome and template lines, as its crawl judged them (None:
    # written before they were kept; then every line is the article's).
    chrome: Sequence[int] | None = None


def stored_texts(session: Session, outlet: str | None = None) -> Iterator[tuple[Article, StoredText | None]]:
    """Every article (of one outlet, if given) with its latest stored text;
    None for an article fetched before texts were kept that has no version."""
    latest = (
        select(ArticleVersion.article_id, func.max(ArticleVersion.number).label("number"))
        .group_by(ArticleVersion.article_id)
        .subquery()
    )
    query = (
        select(Article, ArticleVersion, ArticleText)
        .outerjoin(latest, latest.c.article_id == Article.id)
        .outerjoin(
            ArticleVersion,
            (ArticleVersion.article_id == Article.id) & (ArticleVersion.number == latest.c.number),
        )
        .outerjoin(ArticleText, ArticleText.article_id == Article.id)
        .order_by(Article.id)
    )
    if outlet is not None:
        query = query.join(Outlet, Outlet.id == Article.outlet_id).where(Outlet.key == outlet)
    for article, version, kept in session.execute(query):
        if version is not None:
            yield article, StoredText(
                version.title, version.description, version.text, version.published_at, version.modified_at, True,
                version.chrome_lines,
            )
        elif kept is not None:
            yield article, StoredText(
                kept.title, kept.description, decompress_text(kept.text_z), kept.published_at, kept.modified_at, False,
                kept.chrome_lines,
            )
        else:
            yield article, None


# -- changes (the web view's feed and API, the daemon's change notices) ------


def relevant_unindexed() -> ColumnElement[bool]:
    """``Article.relevant``, written so SQLite (no statistics on a read-only
    file) does not start from the relevance index, which holds every
    article, but from the narrower one beside it (a version's day or time,
    an article's removed day)."""
    return func.coalesce(Article.relevant, False).is_(True)


@dataclasses.dataclass(frozen=True, slots=True)
class ChangeRow:
    """A version of a relevant article: its first ("new") or a later one."""

    article_id: int
    version_id: int
    number: int
    outlet: str  # the outlet's key
    outlet_name: str
    url: str
    title: str | None
    fetched_at: dt.datetime
    change_kinds: tuple[str, ...]
    is_minor: bool
    is_partial: bool
    syndicated_from: str | None

    @property
    def is_new(self) -> bool:
        return self.number == 1


def changes_between(
    session: Session,
    since: dt.datetime,
    until: dt.datetime | None = None,
    *,
    new: bool = True,
    limit: int | None = None,
) -> list[ChangeRow]:
    """Versions of relevant articles fetched in [since, until), newest first
    (one indexed range on ``article_version.fetched_at``); ``new=False``
    leaves out first versions (new articles), keeping edits only."""
    query = (
        # Columns, not the entity: a version row also holds its text and page bytes.
        select(ArticleVersion.id, ArticleVersion.article_id, ArticleVersion.number, ArticleVersion.title,
               ArticleVersion.fetched_at, ArticleVersion.change_kinds, ArticleVersion.is_minor,
               ArticleVersion.is_partial, Article.url, Article.syndicated_from, Outlet.key, Outlet.name)
        .join(Article, Article.id == ArticleVersion.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(ArticleVersion.fetched_at >= since, relevant_unindexed())
        .order_by(ArticleVersion.fetched_at.desc(), ArticleVersion.id.desc())
    )
    if until is not None:
        query = query.where(ArticleVersion.fetched_at < until)
    if not new:
        query = query.where(ArticleVersion.number > 1)
    if limit is not None:
        query = query.limit(limit)
    return [
        ChangeRow(
            article_id=row.article_id,
            version_id=row.id,
            number=row.number,
            outlet=row.key,
            outlet_name=row.name,
            url=row.url,
            title=row.title,
            fetched_at=row.fetched_at,
            change_kinds=tuple(k for k in (row.change_kinds or "").split(",") if k),
            is_minor=row.is_minor,
            is_partial=row.is_partial,
            syndicated_from=row.syndicated_from,
        )
        for row in session.execute(query)
    ]
