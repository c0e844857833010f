"""Outlets beyond plain HTML (issue 21): article.syndicated_provider, the
original publisher's name as a syndicated copy states it (MSN's content
API "provider"), so the digest can say "republished from <provider>".

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article", sa.Column("syndicated_provider", sa.Text))


def downgrade() -> None:
    # SQLite drops a column by copying the table: the views over article go
    # around the copy (as 0001 made them).
    views = importlib.import_module("storage.migrations.versions.0001_initial").VIEWS
    for name in views:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("syndicated_provider")
    for ddl in views.values():
        op.execute(ddl)
