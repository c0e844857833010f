"""The web view and notifications (issue 23): the digest ledger keeps the
message it sent (subject, text, HTML) so /digests shows it as sent;
notify_target records when each notification target was first seen (its
digests start that day); indexes for the web view's lists and feeds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_article_relevant_first_seen": ("article", ["relevant", "first_seen_at"]),
    # Covers the timeline's count per outlet and day.
    "ix_article_relevant_day_outlet": ("article", ["relevant", "first_seen_day", "outlet_id"]),
    "ix_article_removed_day": ("article", ["removed_day"]),
    "ix_article_syndicated_from": ("article", ["syndicated_from"]),
    "ix_article_version_fetched_at": ("article_version", ["fetched_at"]),
    "ix_crawl_run_started_at": ("crawl_run", ["started_at"]),
}


def upgrade() -> None:
    with op.batch_alter_table("digest_run") as batch:
        batch.add_column(sa.Column("subject", sa.Text))
        batch.add_column(sa.Column("body_text", sa.Text))
        batch.add_column(sa.Column("body_html", sa.Text))
    op.create_table(
        "notify_target",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("added_day", sa.Date, nullable=False),
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    # The few subscriber-only versions, for the "paywalled" filter.
    op.create_index("ix_article_version_partial", "article_version", ["article_id"],
                    sqlite_where=sa.text("is_partial"), postgresql_where=sa.text("is_partial"))


def downgrade() -> None:
    op.drop_index("ix_article_version_partial", table_name="article_version")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    op.drop_table("notify_target")
    with op.batch_alter_table("digest_run") as batch:
        batch.drop_column("body_html")
        batch.drop_column("body_text")
        batch.drop_column("subject")
