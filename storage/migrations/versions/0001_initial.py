"""Initial schema: outlet, article, article_alias, article_version, crawl_run,
digest_run and the views article_latest, article_change, outlet_daily_coverage.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARTICLE_LATEST = """
CREATE VIEW article_latest AS
SELECT a.id AS article_id,
       o.key AS outlet,
       a.url,
       a.relevant,
       a.syndicated_from,
       a.first_seen_at,
       a.first_seen_day,
       a.check_state,
       a.last_checked_at,
       a.removed_at,
       v.id AS version_id,
       v.number AS version_number,
       v.fetched_at,
       v.fetched_day,
       COALESCE(v.title, a.title) AS title,
       v.authors,
       COALESCE(v.published_at, a.published_at) AS published_at,
       v.modified_at,
       v.description,
       v.language,
       v.text,
       v.is_partial,
       (SELECT COUNT(*) FROM article_version c WHERE c.article_id = a.id) AS version_count
FROM article a
JOIN outlet o ON o.id = a.outlet_id
LEFT JOIN article_version v
       ON v.article_id = a.id
      AND v.number = (SELECT MAX(m.number) FROM article_version m WHERE m.article_id = a.id)
"""

ARTICLE_CHANGE = """
CREATE VIEW article_change AS
SELECT v.article_id,
       o.key AS outlet,
       a.url,
       v.id AS version_id,
       v.number,
       p.number AS previous_number,
       v.fetched_at,
       v.fetched_day,
       p.title AS title_before,
       v.title AS title_after,
       v.change_kinds,
       v.change_size,
       v.is_minor,
       v.is_partial,
       LENGTH(v.text) - LENGTH(p.text) AS length_delta
FROM article_version v
JOIN article_version p ON p.article_id = v.article_id AND p.number = v.number - 1
JOIN article a ON a.id = v.article_id
JOIN outlet o ON o.id = a.outlet_id
"""

OUTLET_DAILY_COVERAGE = """
CREATE VIEW outlet_daily_coverage AS
SELECT o.key AS outlet,
       a.first_seen_day AS day,
       COUNT(*) AS new_articles,
       SUM(CASE WHEN a.syndicated_from IS NULL THEN 0 ELSE 1 END) AS syndicated_copies
FROM article a
JOIN outlet o ON o.id = a.outlet_id
WHERE a.relevant
GROUP BY o.key, a.first_seen_day
"""

VIEWS = {
    "article_latest": ARTICLE_LATEST,
    "article_change": ARTICLE_CHANGE,
    "outlet_daily_coverage": OUTLET_DAILY_COVERAGE,
}


def upgrade() -> None:
    op.create_table(
        "outlet",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("home", sa.Text(), nullable=False),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("outlet_id", sa.Integer(), sa.ForeignKey("outlet.id"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("first_seen_day", sa.Date(), nullable=False),
        sa.Column("discovered_via", sa.String(32), nullable=False),
        sa.Column("discovered_from", sa.Text(), nullable=True),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("match_score", sa.Float(), nullable=False),
        sa.Column("match_terms", sa.Text(), nullable=False),
        sa.Column("syndicated_from", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("check_state", sa.String(32), nullable=False),
        sa.Column("check_note", sa.Text(), nullable=True),
        sa.Column("http_etag", sa.Text(), nullable=True),
        sa.Column("http_last_modified", sa.Text(), nullable=True),
        sa.Column("raw_sha256", sa.String(64), nullable=True),
        sa.Column("extractor_version", sa.String(32), nullable=True),
        sa.Column("next_check_at", UTCDateTime(), nullable=True),
        sa.Column("signal_at", UTCDateTime(), nullable=True),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("removed_day", sa.Date(), nullable=True),
    )
    op.create_index("ix_article_next_check_at", "article", ["next_check_at"])
    op.create_index("ix_article_outlet_first_seen", "article", ["outlet_id", "first_seen_at"])
    op.create_index("ix_article_first_seen_day", "article", ["first_seen_day"])
    op.create_table(
        "article_alias",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_index("ix_article_alias_article_id", "article_alias", ["article_id"])
    op.create_table(
        "article_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("fetched_day", sa.Date(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("modified_at", UTCDateTime(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("is_partial", sa.Boolean(), nullable=False),
        sa.Column("partial_reason", sa.String(64), nullable=True),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("raw_html", sa.LargeBinary(), nullable=False),
        sa.Column("change_kinds", sa.Text(), nullable=True),
        sa.Column("change_size", sa.Integer(), nullable=True),
        sa.Column("is_minor", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("article_id", "number", name="uq_article_version_number"),
    )
    op.create_index("ix_article_version_fetched_day", "article_version", ["fetched_day"])
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("outlets", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("discovered", sa.Integer(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("relevant", sa.Integer(), nullable=False),
        sa.Column("new_articles", sa.Integer(), nullable=False),
        sa.Column("new_versions", sa.Integer(), nullable=False),
        sa.Column("not_modified", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
    )
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest_date", sa.Date(), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("transport", sa.String(16), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("new_articles", sa.Integer(), nullable=False),
        sa.Column("changed_articles", sa.Integer(), nullable=False),
        sa.Column("removed_articles", sa.Integer(), nullable=False),
    )
    for ddl in VIEWS.values():
        op.execute(ddl)


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_table("digest_run")
    op.drop_table("crawl_run")
    op.drop_index("ix_article_version_fetched_day", table_name="article_version")
    op.drop_table("article_version")
    op.drop_index("ix_article_alias_article_id", table_name="article_alias")
    op.drop_table("article_alias")
    op.drop_index("ix_article_first_seen_day", table_name="article")
    op.drop_index("ix_article_outlet_first_seen", table_name="article")
    op.drop_index("ix_article_next_check_at", table_name="article")
    op.drop_table("article")
    op.drop_table("outlet")
