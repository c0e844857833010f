"""Versions under churn (issue 20): article.churn_count counts the fetches
whose text changed only in its chrome (crawler/chrome.py), set aside
without a version, so a user can see how noisy a page is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article", sa.Column("churn_count", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    # SQLite drops a column by copying the table: the views over article go
    # around the copy (as 0001 made them).
    views = importlib.import_module("storage.migrations.versions.0001_initial").VIEWS
    for name in views:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("churn_count")
    for ddl in views.values():
        op.execute(ddl)
