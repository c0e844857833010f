"""The tables: outlet -> article -> article_version, plus crawl_run and digest_run.

Timestamps are UTC.  ``*_day`` columns hold the calendar day in the configured
time zone at the moment the row was recorded, so SQL can count digest days
without time-zone arithmetic (SQLite has none).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import JSONText, UTCDateTime


class Base(DeclarativeBase):
    pass


class Outlet(Base):
    __tablename__ = "outlet"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    home: Mapped[str] = mapped_column(Text)
    # The outlet's pages whose line fingerprints are counted in
    # template_block (storywatch/templates.py).
    template_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")


class TemplateBlock(Base):
    """How many of an outlet's pages show a line of text (its fingerprint,
    never the text): the outlet's template, learnt (storywatch/templates.py)."""

    __tablename__ = "template_block"

    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(16), primary_key=True)
    pages: Mapped[int] = mapped_column(Integer)


class Article(Base):
    """One row per canonical URL, relevant or not."""

    __tablename__ = "article"
    __table_args__ = (
        Index("ix_article_next_check_at", "next_check_at"),
        Index("ix_article_outlet_first_seen", "outlet_id", "first_seen_at"),
        Index("ix_article_first_seen_day", "first_seen_day"),
        Index("ix_article_relevant_first_seen", "relevant", "first_seen_at"),
        Index("ix_article_relevant_day_outlet", "relevant", "first_seen_day", "outlet_id"),
        Index("ix_article_removed_day", "removed_day"),
        Index("ix_article_syndicated_from", "syndicated_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id"))
    url: Mapped[str] = mapped_column(Text, unique=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    first_seen_day: Mapped[dt.date] = mapped_column(Date)
    discovered_via: Mapped[str] = mapped_column(String(32))
    discovered_from: Mapped[str | None] = mapped_column(Text)
    # Relevance: decision, score and the query terms that matched (JSON list).
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    match_score: Mapped[float] = mapped_column(Float, default=0.0)
    match_terms: Mapped[list[str]] = mapped_column(JSONText, default=list)
    # When the page's own dates qualified the query's decision
    # (crawler.admission): "before_since" or "updated_since"; NULL otherwise.
    admission: Mapped[str | None] = mapped_column(String(32))
    # Article-shaped links of the same outlet inside an admitted article's
    # body (JSON list): follow-up coverage, a candidate for every crawl until
    # known (one hop: not kept for articles that were reached this way).
    body_links: Mapped[list[str] | None] = mapped_column(JSONText)
    # Fetches whose text changed only in its chrome (crawler/chrome.py): set
    # aside without a version; how noisy the page around the article is.
    churn_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The line fingerprints of its last extracted fetch (JSON list), counted
    # in template_block; NULL until counted.
    template_prints: Mapped[list[str] | None] = mapped_column(JSONText)
    # A syndicated copy: the original's URL (rel=canonical on another outlet).
    syndicated_from: Mapped[str | None] = mapped_column(Text)
    # ...and the original publisher's name as the copy states it (MSN's provider).
    syndicated_provider: Mapped[str | None] = mapped_column(Text)
    # Latest known metadata, kept here too for articles without versions.
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Check state: what the last fetch said.
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)
    check_state: Mapped[str] = mapped_column(String(32), default="new")
    check_note: Mapped[str | None] = mapped_column(Text)
    http_etag: Mapped[str | None] = mapped_column(Text)
    http_last_modified: Mapped[str | None] = mapped_column(Text)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    # Revisit plan: NULL next_check_at means retired.
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    signal_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    removed_day: Mapped[dt.date | None] = mapped_column(Date)

    outlet: Mapped[Outlet] = relationship(back_populates="articles")
    versions: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article", order_by="ArticleVersion.number"
    )


class ArticleText(Base):
    """What extraction read from a page that was not admitted, kept outside
    the version chain (one row per article, the latest fetch, the text
    zlib-compressed), so a changed story query can be tried (``query test``)
    and applied (``rematch``) without fetching the page again."""

    __tablename__ = "article_text"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    text_z: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    modified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    extractor_version: Mapped[str] = mapped_column(String(32))
    # The indices of the text's chrome and template lines, which admission
    # does not read (as article_version.chrome_lines; NULL: kept before 0013).
    chrome_lines: Mapped[list[int] | None] = mapped_column(JSONText)


class ChurnFetch(Base):
    """A fetch set aside as churn (its text changed only around the
    article, so no version was made), its page kept zlib-compressed, so a
    later, better rule can judge it again.  The latest few per article."""

    __tablename__ = "churn_fetch"
    __table_args__ = (UniqueConstraint("article_id", "raw_sha256", name="uq_churn_fetch_page"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_html: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed
    http_charset: Mapped[str | None] = mapped_column(String(64))  # as on article_version
    extractor_version: Mapped[str] = mapped_column(String(32))


class ArticleAlias(Base):
    """Other URLs that led to an article (tracking variants, redirect sources)."""

    __tablename__ = "article_alias"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)


class ArticleVersion(Base):
    """Append-only: one row per distinct normalised content of an article."""

    __tablename__ = "article_version"
    __table_args__ = (
        UniqueConstraint("article_id", "number", name="uq_article_version_number"),
        Index("ix_article_version_fetched_day", "fetched_day"),
        Index("ix_article_version_fetched_at", "fetched_at"),
        Index("ix_article_version_partial", "article_id", sqlite_where=text("is_partial"),
              postgresql_where=text("is_partial")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    fetched_day: Mapped[dt.date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSONText, default=list)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    modified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSONText, default=list)
    is_partial: Mapped[bool] = mapped_column(Boolean, default=False)
    partial_reason: Mapped[str | None] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(32))
    # The snapshot of the outlet's template the identity was made under
    # (storywatch/templates.py); "" or NULL: no template line.
    template_version: Mapped[str | None] = mapped_column(String(16))
    # The indices of the text's lines left out of the identity (chrome and
    # template lines), so the next fetch is compared line by line with what
    # the identity held (storywatch/churn.py); NULL: written before 0010.
    chrome_lines: Mapped[list[int] | None] = mapped_column(JSONText)
    # The authors the page states (JSON-LD, meta tags, a selector): the
    # ones the identity holds; ``authors`` may add a byline read from the
    # page's text.  NULL: written before 0011 (the identity held ``authors``).
    stated_authors: Mapped[list[str] | None] = mapped_column(JSONText)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_html: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed
    # The charset the page's HTTP response declared: the page is read again
    # as it was read when fetched (NULL: none, or written before 0012).
    http_charset: Mapped[str | None] = mapped_column(String(64))
    # Change against the previous version (NULL for the first).
    change_kinds: Mapped[str | None] = mapped_column(Text)  # comma-separated
    change_size: Mapped[int | None] = mapped_column(Integer)
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)

    article: Mapped[Article] = relationship(back_populates="versions")


# "interrupted": stopped by Ctrl-C / SIGTERM (the command's or the daemon's).
CrawlStatus = Literal["running", "ok", "partial", "failed", "interrupted"]


class CrawlRun(Base):
    __tablename__ = "crawl_run"
    __table_args__ = (Index("ix_crawl_run_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[CrawlStatus] = mapped_column(String(16), default="running")
    trigger: Mapped[str] = mapped_column(String(16), default="cli")
    kind: Mapped[str] = mapped_column(String(32), default="discovery")
    outlets: Mapped[list[str]] = mapped_column(JSONText, default=list)
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    discovered: Mapped[int] = mapped_column(Integer, default=0)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    relevant: Mapped[int] = mapped_column(Integer, default=0)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    new_versions: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # JSON: skip reasons, error reasons, per-outlet counts.
    details: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    message: Mapped[str | None] = mapped_column(Text)


DigestStatus = Literal["claimed", "sent", "skipped", "failed"]


class DigestRun(Base):
    """The digest ledger: one row per digest day and delivery target."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("digest_date", "target", name="uq_digest_run_day_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_date: Mapped[dt.date] = mapped_column(Date)
    # "email" for the digest mail; room for per-target notifications.
    target: Mapped[str] = mapped_column(String(64), default="email", server_default="email")
    status: Mapped[DigestStatus] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str] = mapped_column(Text)
    transport: Mapped[str | None] = mapped_column(String(16))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    changed_articles: Mapped[int] = mapped_column(Integer, default=0)
    removed_articles: Mapped[int] = mapped_column(Integer, default=0)
    # The message as delivered (a notification has no HTML part).
    subject: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)


class NotifyTarget(Base):
    """A notification target, by a name that holds no secret: its digests
    start from the day it was first seen (no backlog of old days)."""

    __tablename__ = "notify_target"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # the Apprise scheme: json, mailto, ntfy...
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added_day: Mapped[dt.date] = mapped_column(Date)
