"""Versions under churn (issue 20): article_version.chrome_lines, the indices
of a version's lines left out of its identity (chrome and template lines),
so a later fetch is compared with the version line by line.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article_version", sa.Column("chrome_lines", sa.Text))


def downgrade() -> None:
    # A plain DROP COLUMN, as in 0009: no view or trigger names the column.
    op.execute("ALTER TABLE article_version DROP COLUMN chrome_lines")
