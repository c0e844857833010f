"""The digest ledger keys a row by day and target ("email" for the digest
mail), so other delivery targets (notifications) can share it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 declared digest_date unique without a name: SQLite reflects it
# unnamed, so batch mode names it with this convention to drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique_name() -> str:
    return "digest_run_digest_date_key" if op.get_bind().dialect.name == "postgresql" else "uq_digest_run_digest_date"


def upgrade() -> None:
    with op.batch_alter_table("digest_run", naming_convention=NAMING) as batch:
        batch.add_column(sa.Column("target", sa.String(64), nullable=False, server_default="email"))
        batch.drop_constraint(_old_unique_name(), type_="unique")
        batch.create_unique_constraint("uq_digest_run_day_target", ["digest_date", "target"])


def downgrade() -> None:
    op.execute("DELETE FROM digest_run WHERE target <> 'email'")
    with op.batch_alter_table("digest_run", naming_convention=NAMING) as batch:
        batch.drop_constraint("uq_digest_run_day_target", type_="unique")
        batch.create_unique_constraint(_old_unique_name(), ["digest_date"])
        batch.drop_column("target")
