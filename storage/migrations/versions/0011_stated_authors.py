"""Versions under churn (issue 20): article_version.stated_authors, the
authors the page states (JSON-LD, meta tags, a selector), the ones a
version's identity holds; a byline guessed from the page's text is shown
but moves with the page around the article.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article_version", sa.Column("stated_authors", sa.Text))


def downgrade() -> None:
    # A plain DROP COLUMN, as in 0009 and 0010: no view or trigger names the column.
    op.execute("ALTER TABLE article_version DROP COLUMN stated_authors")
