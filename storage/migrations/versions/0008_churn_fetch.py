"""Versions under churn (issue 20): churn_fetch keeps the page of each fetch
set aside as churn (the latest few per article, zlib-compressed), so a
later, better rule can judge it again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "churn_fetch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("raw_html", sa.LargeBinary, nullable=False),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.UniqueConstraint("article_id", "raw_sha256", name="uq_churn_fetch_page"),
    )


def downgrade() -> None:
    op.drop_table("churn_fetch")
