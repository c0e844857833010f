"""Admission (issue 19): article.admission records when a page's own dates
qualified the story query ("before_since", "updated_since"); article.body_links
the follow-up links inside an admitted article; article_text
keeps the extracted text of pages that were not admitted, outside the
version chain, for ``query test`` and ``rematch``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column: a plain ALTER TABLE on both databases (no batch
    # copy, so the views over article stay as they are).
    op.add_column("article", sa.Column("admission", sa.String(32), nullable=True))
    op.add_column("article", sa.Column("body_links", sa.Text, nullable=True))
    op.create_table(
        "article_text",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("text_z", sa.LargeBinary, nullable=False),
        sa.Column("published_at", UTCDateTime()),
        sa.Column("modified_at", UTCDateTime()),
        sa.Column("extractor_version", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_text")
    # SQLite drops a column by copying the table, which the views over
    # article would block: drop them around the copy (as 0001 made them).
    views = importlib.import_module("storage.migrations.versions.0001_initial").VIEWS
    for name in views:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("body_links")
        batch.drop_column("admission")
    for ddl in views.values():
        op.execute(ddl)
