"""Recording what a fetch found: the article row, its check state, and a new
version only when the normalised content changed.

Every write is idempotent: recording the same outcome twice, or again after a
crawl was killed half-way, neither duplicates nor loses a version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, Text, bindparam, delete, func, insert, literal, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Article, ArticleAlias, ArticleText, ArticleVersion, ChurnFetch, Outlet, TemplateBlock
from storage.queries import KnownArticle
from storage.types import json_text
from storywatch.article import Extracted, Relevance
from storywatch.churn import LineIdentity, extracted_identity, is_churn, line_identity
from storywatch.content import compress_html, compress_text, identity_authors, identity_text, normalise_text
from storywatch.diffing import FULL_TEXT, STANDFIRST, Change, classify_change
from storywatch.pagetext import PageSaid, stored_page_said
from storywatch.revisit import RevisitPolicy
from storywatch.templates import print_changes

log = logging.getLogger(__name__)

FetchKind = Literal["page", "not_modified", "unchanged", "gone", "empty", "error"]


@dataclasses.dataclass(frozen=True, slots=True)
class FetchRecord:
    """One fetch of one URL, ready to be recorded."""

    outlet_key: str
    url: str  # the article's identity: canonical URL
    kind: FetchKind
    fetched_at: dt.datetime
    status: int | None = None
    aliases: tuple[str, ...] = ()
    article_id: int | None = None  # known article being revisited
    discovered_via: str = "unknown"
    discovered_from: str | None = None
    syndicated_from: str | None = None
    syndicated_provider: str | None = None  # the original publisher's name, as the copy states it
    etag: str | None = None
    last_modified: str | None = None
    raw_sha256: str | None = None
    compressed_html: bytes | None = None  # the page, zlib-compressed (storywatch.content.compress_html)
    http_charset: str | None = None  # the charset its response declared
    content: Extracted | None = None
    relevance: Relevance | None = None
    # Article-shaped links of the same outlet inside the page's body, as
    # the crawl judged them (none for a page itself reached by such a link).
    body_links: tuple[str, ...] = ()
    # Re-extraction of the latest version's stored HTML by the current
    # extractor, when that version was made by an older one.
    baseline: Extracted | None = None
    note: str | None = None
    # What the crawl plan knew of a revisited article: lets a check that
    # found nothing new (304, same bytes) be recorded without reading it.
    known: KnownArticle | None = None
    # The outlet's template snapshot the content's identity was made under,
    # and the page's line fingerprints to count (storywatch/templates.py).
    template_version: str = ""
    template_prints: tuple[str, ...] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class RecordResult:
    article_id: int
    new_article: bool
    new_version: int | None  # version number, when one was written
    relevant: bool
    state: str


# A body far shorter than the last complete one is a truncated fetch (a
# metered paywall, a failed load), not an edit that removed the text.
TRUNCATED_RATIO = 0.4
TRUNCATED_MIN_CHARS = 1500


def is_truncated(previous_text: str, text: str) -> bool:
    return len(previous_text) >= TRUNCATED_MIN_CHARS and len(text) < TRUNCATED_RATIO * len(previous_text)


def held_back(complete_text: str | None, content: Extracted) -> Literal["partial", "truncated"] | None:
    """Why a fetch can never replace the article's last complete version
    (``complete_text``; None when there is none): a paywall's teaser, or a
    body cut to under 40 % of it."""
    if complete_text is None:
        return None
    if content.is_partial:
        return "partial"
    if is_truncated(complete_text, content.text):
        return "truncated"
    return None


# The hot writes (a first crawl's new pages, a recheck's unchanged ones),
# built once: constructing a statement per row costs more than running it.
# Core tables, so no ORM bookkeeping either.
_ARTICLE = cast(Table, Article.__table__)
_ALIAS = cast(Table, ArticleAlias.__table__)
# The article holding any of these URLs, as its own URL first, else as an alias.
_URL_HOLDER = (
    select(_ARTICLE.c.id, literal(0).label("rank"))
    .where(_ARTICLE.c.url.in_(bindparam("urls", expanding=True)))
    .union_all(
        select(_ALIAS.c.article_id, literal(1)).where(_ALIAS.c.url.in_(bindparam("urls", expanding=True)))
    )
    .order_by("rank")
    .limit(1)
)
_INSERT_ARTICLE = {
    name: dialect_insert(_ARTICLE).on_conflict_do_nothing(index_elements=["url"]).returning(_ARTICLE.c.id)
    for name, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
_INSERT_ALIAS = {
    name: dialect_insert(_ALIAS).on_conflict_do_nothing(index_elements=["url"])
    for name, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
_INSERT_VERSION = insert(cast(Table, ArticleVersion.__table__))
_UPDATE_CHECK = update(_ARTICLE).where(_ARTICLE.c.id == bindparam("checked_article_id"))


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def ensure_outlets(session: Session, outlets: Sequence[tuple[str, str, str]]) -> dict[str, int]:
    """Insert or update outlets (key, name, home); return key -> id."""
    existing = {o.key: o for o in session.scalars(select(Outlet))}
    for key, name, home in outlets:
        outlet = existing.get(key)
        if outlet is None:
            outlet = Outlet(key=key, name=name, home=home)
            session.add(outlet)
            existing[key] = outlet
        else:
            outlet.name, outlet.home = name, home
    session.flush()
    return {key: o.id for key, o in existing.items()}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _holder_id(session: Session, urls: Sequence[str]) -> int | None:
    """The id of the article that has one of these URLs, as its own or as an alias."""
    return session.scalar(_URL_HOLDER, {"urls": [u for u in dict.fromkeys(urls) if u]})


def find_article(session: Session, urls: Sequence[str]) -> Article | None:
    article_id = _holder_id(session, urls)
    return session.get(Article, article_id) if article_id is not None else None


def _get_or_create_article(
    session: Session, record: FetchRecord, outlet_id: int, zone: ZoneInfo
) -> tuple[Article, bool]:
    if record.article_id is not None:
        article = session.get(Article, record.article_id)
        if article is not None:
            return article, False
    article = find_article(session, [record.url, *record.aliases])
    if article is not None:
        return article, False
    inserted_id = session.scalar(
        _INSERT_ARTICLE[_dialect(session)],
        {
            "outlet_id": outlet_id,
            "url": record.url,
            "first_seen_at": record.fetched_at,
            "first_seen_day": local_day(record.fetched_at, zone),
            "discovered_via": record.discovered_via,
            "discovered_from": record.discovered_from,
            "relevant": False,
            "match_score": 0.0,
            "match_terms": [],
            "check_state": "new",
            "syndicated_from": record.syndicated_from,
            "syndicated_provider": record.syndicated_provider,
        },
    )
    article = session.scalars(select(Article).where(Article.url == record.url)).one()
    return article, inserted_id is not None


def _add_aliases(session: Session, article_id: int, article_url: str, urls: Sequence[str]) -> None:
    aliases = [u for u in dict.fromkeys(urls) if u and u != article_url]
    if aliases:
        session.execute(_INSERT_ALIAS[_dialect(session)], [{"url": u, "article_id": article_id} for u in aliases])


def _latest(session: Session, article_id: int, complete_only: bool,
            as_of: dt.datetime | None = None) -> ArticleVersion | None:
    query = select(ArticleVersion).where(ArticleVersion.article_id == article_id)
    if complete_only:
        query = query.where(ArticleVersion.is_partial.is_(False))
    if as_of is not None:
        query = query.where(ArticleVersion.fetched_at <= as_of)
    return session.scalars(query.order_by(ArticleVersion.number.desc()).limit(1)).first()


def _version_values(
    article_id: int,
    number: int,
    record: FetchRecord,
    content: Extracted,
    change: Change | None,
    zone: ZoneInfo,
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "number": number,
        "fetched_at": record.fetched_at,
        "fetched_day": local_day(record.fetched_at, zone),
        "content_hash": content.content_hash,
        "title": content.title,
        "authors": list(content.authors),
        "published_at": content.published_at,
        "modified_at": content.modified_at,
        "text": content.text,
        "description": content.description,
        "language": content.language,
        "tags": list(content.tags),
        "is_partial": content.is_partial,
        "partial_reason": content.partial_reason,
        "extractor_version": content.extractor_version,
        "template_version": record.template_version,
        "chrome_lines": list(content.chrome),
        "stated_authors": list(content.identity_authors),
        "raw_sha256": record.raw_sha256 or "",
        "raw_html": record.compressed_html or compress_html(b""),
        "http_charset": record.http_charset,
        "change_kinds": change.kinds_text if change else None,
        "change_size": change.size if change else None,
        "is_minor": change.is_minor if change else False,
    }


def _write_version(
    session: Session,
    article: Article,
    record: FetchRecord,
    content: Extracted,
    judgement: Judgement,
    zone: ZoneInfo,
) -> int:
    previous, after_teaser = judgement.previous, judgement.after_teaser
    number = (
        session.scalar(select(func.max(ArticleVersion.number)).where(ArticleVersion.article_id == article.id)) or 0
    ) + 1
    change = None
    if previous is not None and after_teaser and not content.is_partial:
        # The first complete text after subscriber-only teasers (a metered
        # page, a subscriber's fetch): more of the article, not an edit.
        change = Change((FULL_TEXT,), 0, False, (), (), previous.title, content.title)
    elif previous is not None:
        # What changed in the article: each side without the page around it
        # (its chrome lines), so a related link that rotated along with the
        # edit is neither a paragraph added nor part of the change's size.
        change = classify_change(
            previous.title,
            previous.authors,
            identity_text(previous.text, previous.chrome_lines),
            content.title,
            content.authors,
            identity_text(content.text, content.chrome),
        )
        if after_teaser and normalise_text(previous.description or "") != normalise_text(content.description or ""):
            kinds = tuple(kind for kind in change.kinds if kind != "minor")
            change = dataclasses.replace(change, kinds=(*kinds, STANDFIRST), is_minor=False)
    session.add(ArticleVersion(**_version_values(article.id, number, record, content, change, zone)))
    return number


def apply_relevance(article: Article, relevance: Relevance, *, decide_afresh: bool = False) -> None:
    """The relevance rule, in one place.  A fetch can make an article
    relevant but never takes it out (one edit that drops a term does not
    drop the coverage); a changed story query (``rematch``) decides afresh.
    Score, matched terms and the admission reason follow the decision."""
    if decide_afresh or (relevance.relevant and not article.relevant):
        article.relevant = relevance.relevant
    if decide_afresh or relevance.relevant or not article.relevant:
        article.match_score = relevance.score
        article.match_terms = list(relevance.terms)
        article.admission = relevance.admission


def forget_body_link(session: Session, link: str) -> None:
    """A follow-up link that is gone (404/410) is not offered again, by
    any article that holds it: a crawl asks for a link once, whichever
    of the articles linking to it offered it."""
    holders = session.scalars(
        select(Article).where(type_coerce(Article.body_links, Text).contains(json_text(link), autoescape=True))
    )
    for article in holders:
        if article.body_links and link in article.body_links:
            article.body_links = [u for u in article.body_links if u != link]


def keep_text(session: Session, article_id: int, record: FetchRecord, content: Extracted) -> None:
    """Keep what extraction read from a page that was not admitted (the
    latest fetch only) and which of its lines are chrome or template, so a
    changed query can be tried without a fetch, on what admission reads."""
    session.execute(delete(ArticleText).where(ArticleText.article_id == article_id))
    session.execute(
        insert(ArticleText),
        {
            "article_id": article_id,
            "fetched_at": record.fetched_at,
            "title": content.title,
            "description": content.description,
            "text_z": compress_text(content.text),
            "published_at": content.published_at,
            "modified_at": content.modified_at,
            "extractor_version": content.extractor_version,
            "chrome_lines": list(content.chrome),
        },
    )


def _record_page(
    session: Session, article: Article, record: FetchRecord, zone: ZoneInfo
) -> tuple[int | None, str]:
    """Apply a fetched, extracted page.  Returns (new version number, state)."""
    content = record.content
    assert content is not None
    relevance = record.relevance or Relevance(False, 0.0, ())
    article.title = content.title or article.title
    article.published_at = content.published_at or article.published_at
    article.extractor_version = content.extractor_version
    if record.syndicated_from and not article.syndicated_from:
        article.syndicated_from = record.syndicated_from
        article.syndicated_provider = record.syndicated_provider
    apply_relevance(article, relevance)
    if record.template_prints is not None:
        count_template_prints(session, article.outlet_id, article.template_prints, record.template_prints)
        article.template_prints = list(record.template_prints)
    if not article.relevant:
        keep_text(session, article.id, record, content)
        return None, "irrelevant"
    article.body_links = list(record.body_links)
    # Admitted: its text lives in the version chain from now on.
    session.execute(delete(ArticleText).where(ArticleText.article_id == article.id))

    judgement = judge_page(session, article.id, record, content)
    if judgement.verdict == "churn":
        return _set_aside_as_churn(session, article, record, content)
    if judgement.verdict != "edit":
        return None, judgement.verdict
    number = _write_version(session, article, record, content, judgement, zone)
    return number, "partial" if content.is_partial else "new_version"


Verdict = Literal["partial", "truncated", "same_content", "churn", "edit"]


@dataclasses.dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    previous: ArticleVersion | None  # the version the page was compared with
    # Whether that version is a subscriber's teaser as this fetch's
    # extractor reads it: an older extractor took some complete articles
    # for teasers, and an edit of one is an edit, not the full text.
    after_teaser: bool = False


def judge_page(session: Session, article_id: int, record: FetchRecord, content: Extracted,
               as_of: dt.datetime | None = None,
               reread: Callable[[ArticleVersion], Extracted | None] | None = None) -> Judgement:
    """Whether a fetched page is a new version of the article: the one rule,
    for a crawl's fetch and for a kept page judged again (``as_of``: against
    the versions there were when it was fetched).  ``edit``: a version;
    ``churn``: only the page around the article changed; ``partial``,
    ``truncated``, ``same_content``: no version, not churn.  The previous
    version, when another extractor or template snapshot made it, is
    ``record.baseline`` (the crawl re-extracted it) or ``reread(previous)``."""
    complete = _latest(session, article_id, complete_only=True, as_of=as_of)
    held = held_back(complete.text if complete is not None else None, content)
    if held is not None:
        return Judgement(held, complete)
    previous = complete or _latest(session, article_id, complete_only=False, as_of=as_of)
    # A version made by another extractor, or under another snapshot of the
    # outlet's template, is compared as this fetch was made: re-extracted.
    baseline: ArticleVersion | Extracted | None = previous
    if previous is not None and (
        previous.extractor_version != content.extractor_version
        or (previous.template_version or "") != record.template_version
    ):
        baseline = record.baseline or (reread(previous) if reread is not None else None) or previous
    if baseline is not None and baseline.content_hash == content.content_hash:
        if normalise_text(baseline.text) == normalise_text(content.text):
            return Judgement("same_content", previous)
        # Only the chrome around the article changed.
        return Judgement("churn", previous)
    if baseline is not None and previous is not None and is_churn(
        _line_identity(baseline), extracted_identity(content), _pages(previous, record)
    ):
        # Only page furniture (a dateline, a page counter) changed in the
        # body, lines (a list of teasers) only moved, or the extractor kept
        # another part of what both pages say.
        return Judgement("churn", previous)
    return Judgement("edit", previous, baseline is not None and baseline.is_partial)


def _set_aside_as_churn(session: Session, article: Article, record: FetchRecord, content: Extracted
                        ) -> tuple[int | None, str]:
    """No version, but counted, so a user can see how noisy the page is,
    and the page kept, so a later rule can judge it again."""
    article.churn_count = (article.churn_count or 0) + 1
    _keep_churn_fetch(session, article.id, record, content.extractor_version)
    return None, "churn"


def _pages(previous: ArticleVersion, record: FetchRecord) -> Callable[[], tuple[PageSaid, PageSaid]] | None:
    """What the previous version's page and this fetch's say, their text
    and their links' (storywatch.pagetext), read only if the lines alone do
    not decide."""
    new_page = record.compressed_html
    if new_page is None:
        return None

    def read() -> tuple[PageSaid, PageSaid]:
        return (stored_page_said(previous.raw_html, previous.http_charset),
                stored_page_said(new_page, record.http_charset))

    return read


def _line_identity(side: ArticleVersion | Extracted) -> LineIdentity | None:
    if isinstance(side, Extracted):
        return extracted_identity(side)
    authors = identity_authors(side.authors, side.stated_authors)
    return line_identity(side.title, authors, side.text, side.chrome_lines, side.is_partial, side.description)


_TEMPLATE = cast(Table, TemplateBlock.__table__)
_COUNT_PRINT = {
    name: dialect_insert(_TEMPLATE).on_conflict_do_update(
        index_elements=["outlet_id", "fingerprint"],
        set_={"pages": _TEMPLATE.c.pages + 1},
    )
    for name, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}


# The counts' statements, built once and on the tables: an ORM UPDATE
# (update(Outlet)) is rebuilt per page and runs the ORM's bulk-update
# machinery, which cost the writer thread more than the rows did.
_OUTLET = cast(Table, Outlet.__table__)
_COUNT_PAGE = (update(_OUTLET).where(_OUTLET.c.id == bindparam("outlet"))
               .values(template_pages=_OUTLET.c.template_pages + 1))
_REMOVED_PRINTS = (_TEMPLATE.c.outlet_id == bindparam("outlet"),
                   _TEMPLATE.c.fingerprint.in_(bindparam("prints", expanding=True)))
_UNCOUNT_PRINTS = update(_TEMPLATE).where(*_REMOVED_PRINTS).values(pages=_TEMPLATE.c.pages - 1)
_DROP_UNCOUNTED = delete(_TEMPLATE).where(*_REMOVED_PRINTS, _TEMPLATE.c.pages <= 0)


def count_template_prints(
    session: Session, outlet_id: int, before: Sequence[str] | None, after: Sequence[str]
) -> None:
    """Move the outlet's template counts by what one page's lines changed:
    each fingerprint counts the pages now showing it (``before`` None: a
    page counted for the first time)."""
    added, removed = print_changes(before or (), after)
    if before is None:
        session.execute(_COUNT_PAGE, {"outlet": outlet_id})
    if added:
        session.execute(_COUNT_PRINT[_dialect(session)],
                        [{"outlet_id": outlet_id, "fingerprint": p, "pages": 1} for p in sorted(added)])
    if removed:
        gone = {"outlet": outlet_id, "prints": sorted(removed)}
        session.execute(_UNCOUNT_PRINTS, gone)
        session.execute(_DROP_UNCOUNTED, gone)


# Fetches set aside as churn whose pages are kept, per article (the latest).
CHURN_FETCHES_KEPT = 3


def _keep_churn_fetch(session: Session, article_id: int, record: FetchRecord, extractor_version: str) -> None:
    """Keep the page of a fetch set aside as churn, so a later rule can judge
    it again: the same page again only moves its time; the oldest beyond
    CHURN_FETCHES_KEPT go."""
    if record.raw_sha256 is None or record.compressed_html is None:
        return
    kept = session.scalar(select(ChurnFetch).where(ChurnFetch.article_id == article_id,
                                                   ChurnFetch.raw_sha256 == record.raw_sha256))
    if kept is not None:
        kept.fetched_at = record.fetched_at
        kept.extractor_version = extractor_version
        kept.http_charset = record.http_charset
    else:
        session.add(ChurnFetch(article_id=article_id, fetched_at=record.fetched_at, raw_sha256=record.raw_sha256,
                               raw_html=record.compressed_html, http_charset=record.http_charset,
                               extractor_version=extractor_version))
    session.flush()
    newest = (select(ChurnFetch.id).where(ChurnFetch.article_id == article_id)
              .order_by(ChurnFetch.fetched_at.desc(), ChurnFetch.id.desc()).limit(CHURN_FETCHES_KEPT))
    session.execute(delete(ChurnFetch).where(ChurnFetch.article_id == article_id, ChurnFetch.id.not_in(newest)))


def record_rejudged_edit(session: Session, article: Article, kept: ChurnFetch, record: FetchRecord,
                         content: Extracted, judgement: Judgement, zone: ZoneInfo) -> int:
    """A page once set aside as churn that now reads as an edit (``judgement``),
    fetched after the article's latest version: its next version, dated when
    the page was fetched; no longer counted or kept as churn."""
    number = _write_version(session, article, record, content, judgement, zone)
    article.churn_count = max((article.churn_count or 0) - 1, 0)
    session.delete(kept)
    return number


def _record_check(session: Session, record: FetchRecord, known: KnownArticle, policy: RevisitPolicy) -> RecordResult:
    """A revisit that found nothing new (304, or the same bytes): one UPDATE
    of the article's check state, no version, no reads."""
    values: dict[str, Any] = {
        "last_checked_at": record.fetched_at,
        "last_status": record.status,
        "check_state": record.kind,
        "check_note": None,
        "next_check_at": policy.next_check(
            relevant=known.relevant,
            checked_at=record.fetched_at,
            newest_version_at=known.newest_version_at,
            first_seen_at=known.first_seen_at,
            published_at=known.published_at,
        ),
    }
    if record.etag:
        values["http_etag"] = record.etag
    if record.last_modified:
        values["http_last_modified"] = record.last_modified
    # The SET clause is the keys given; the statement is built once.
    session.execute(_UPDATE_CHECK, {**values, "checked_article_id": known.id})
    return RecordResult(known.id, False, None, known.relevant, record.kind)


def record_fetch(
    session: Session,
    record: FetchRecord,
    outlet_ids: dict[str, int],
    policy: RevisitPolicy,
    zone: ZoneInfo,
) -> RecordResult:
    """Apply one fetch outcome to its article, inside the caller's
    transaction: the one entry point for new pages, revisits, 304s and
    removals.  Relevance, check state, ``next_check_at`` and the change's
    kind are decided here."""
    known = record.known
    if record.kind in ("not_modified", "unchanged") and known is not None and not known.removed:
        return _record_check(session, record, known, policy)
    return record_new_page(session, record, outlet_ids[record.outlet_key], policy, zone) or _record_fetch(
        session, record, outlet_ids, policy, zone
    )


def record_new_page(
    session: Session, record: FetchRecord, outlet_id: int, policy: RevisitPolicy, zone: ZoneInfo
) -> RecordResult | None:
    """The common write of a first crawl: a page at URLs no article holds,
    as one read and two INSERTs (no ORM objects).  Writes exactly what
    ``_record_fetch`` writes for it; None, having written nothing, when an
    article already holds one of the URLs."""
    if record.kind != "page" or record.article_id is not None or record.content is None:
        return None
    urls = [record.url, *record.aliases]
    if _holder_id(session, urls) is not None:
        return None
    content = record.content
    relevance = record.relevance or Relevance(False, 0.0, ())
    now = record.fetched_at
    if not relevance.relevant:
        state = "irrelevant"
    else:
        state = "partial" if content.is_partial else "new_version"
    article_id = session.scalar(
        _INSERT_ARTICLE[_dialect(session)],
        {
            "outlet_id": outlet_id,
            "url": record.url,
            "first_seen_at": now,
            "first_seen_day": local_day(now, zone),
            "discovered_via": record.discovered_via,
            "discovered_from": record.discovered_from,
            "relevant": relevance.relevant,
            "match_score": relevance.score,
            "match_terms": list(relevance.terms),
            "admission": relevance.admission,
            "body_links": list(record.body_links) if relevance.relevant else None,
            "syndicated_from": record.syndicated_from,
            "syndicated_provider": record.syndicated_provider,
            "title": content.title,
            "published_at": content.published_at,
            "last_checked_at": now,
            "last_status": record.status,
            "check_state": state,
            "check_note": record.note,
            "http_etag": record.etag,
            "http_last_modified": record.last_modified,
            "raw_sha256": record.raw_sha256,
            "extractor_version": content.extractor_version,
            "template_prints": list(record.template_prints) if record.template_prints is not None else None,
            "next_check_at": policy.next_check(
                relevant=relevance.relevant,
                checked_at=now,
                newest_version_at=now if relevance.relevant else None,
                first_seen_at=now,
                published_at=content.published_at,
            ),
        },
    )
    if article_id is None:  # another writer inserted it since the read
        return None
    _add_aliases(session, article_id, record.url, urls)
    if record.template_prints is not None:
        count_template_prints(session, outlet_id, None, record.template_prints)
    if not relevance.relevant:
        keep_text(session, article_id, record, content)
        return RecordResult(article_id, True, None, False, state)
    session.execute(_INSERT_VERSION, _version_values(article_id, 1, record, content, None, zone))
    return RecordResult(article_id, True, 1, True, state)


def _record_fetch(
    session: Session,
    record: FetchRecord,
    outlet_ids: dict[str, int],
    policy: RevisitPolicy,
    zone: ZoneInfo,
) -> RecordResult:
    """Any fetch: finds or creates the article through the ORM."""
    article, created = _get_or_create_article(session, record, outlet_ids[record.outlet_key], zone)
    _add_aliases(session, article.id, article.url, [record.url, *record.aliases])
    now = record.fetched_at
    new_version: int | None = None
    state: str = record.kind
    if record.kind in ("page", "not_modified", "unchanged") and article.removed_at is not None:
        article.removed_at, article.removed_day = None, None  # it came back
    if record.kind == "page":
        new_version, state = _record_page(session, article, record, zone)
    elif record.kind == "gone":
        if article.removed_at is None:
            article.removed_at, article.removed_day = now, local_day(now, zone)
        state = "removed"
    if record.kind in ("page", "unchanged", "not_modified", "empty"):
        if record.kind != "not_modified" or record.etag or record.last_modified:
            article.http_etag = record.etag or (article.http_etag if record.kind == "not_modified" else None)
            article.http_last_modified = record.last_modified or (
                article.http_last_modified if record.kind == "not_modified" else None
            )
        if record.raw_sha256:
            article.raw_sha256 = record.raw_sha256
    article.last_checked_at = now
    article.last_status = record.status
    article.check_state = state
    article.check_note = record.note
    if new_version is not None:
        newest: dt.datetime | None = now
    else:
        newest = session.scalar(
            select(func.max(ArticleVersion.fetched_at)).where(ArticleVersion.article_id == article.id)
        )
    article.next_check_at = policy.next_check(
        relevant=article.relevant,
        checked_at=now,
        newest_version_at=newest,
        first_seen_at=article.first_seen_at,
        published_at=article.published_at,
    )
    session.flush()
    return RecordResult(article.id, created, new_version, article.relevant, state)
