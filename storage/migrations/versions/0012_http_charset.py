"""Stored pages read as they were fetched: article_version.http_charset and
churn_fetch.http_charset, the charset the page's HTTP response declared.
A page served as UTF-8 whose <meta> still says windows-1252 decodes
differently without it: a re-extraction after an upgrade, the comparison
of two pages and `rejudge` read such a page as another text.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article_version", sa.Column("http_charset", sa.String(64)))
    op.add_column("churn_fetch", sa.Column("http_charset", sa.String(64)))


def downgrade() -> None:
    # A plain DROP COLUMN, as in 0009-0011: no view or trigger names the column.
    op.execute("ALTER TABLE churn_fetch DROP COLUMN http_charset")
    op.execute("ALTER TABLE article_version DROP COLUMN http_charset")
