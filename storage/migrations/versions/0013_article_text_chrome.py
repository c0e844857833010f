"""Admission reads the article (issue 20 and 19): article_text.chrome_lines,
the indices of a kept text's chrome and template lines, so ``rematch`` and
``query test`` read a page that was not admitted as the crawl's admission
read it: without the lines around the article.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article_text", sa.Column("chrome_lines", sa.Text))


def downgrade() -> None:
    # A plain DROP COLUMN, as in 0009-0012: no view or trigger names the column.
    op.execute("ALTER TABLE article_text DROP COLUMN chrome_lines")
