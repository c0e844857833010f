"""Versions under churn (issue 20): each outlet's template, learnt.
template_block counts, per outlet, the pages showing each line fingerprint;
outlet.template_pages how many pages are counted; article.template_prints
the fingerprints of an article's last extracted fetch (so a revisit moves
the counts by what changed); article_version.template_version the snapshot
its identity was made under.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("outlet", "template_pages"), ("article", "template_prints"), ("article_version", "template_version"))


def upgrade() -> None:
    op.create_table(
        "template_block",
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlet.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fingerprint", sa.String(16), primary_key=True),
        sa.Column("pages", sa.Integer, nullable=False),
    )
    op.add_column("outlet", sa.Column("template_pages", sa.Integer, nullable=False, server_default="0"))
    op.add_column("article", sa.Column("template_prints", sa.Text))
    op.add_column("article_version", sa.Column("template_version", sa.String(16)))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch copy: the
    # views and the full-text triggers over these tables name none of the
    # columns, so they stay as they are.
    for table, column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("template_block")
