"""Full-text search over article versions: SQLite FTS5 kept in step by
triggers; PostgreSQL a generated tsvector column with a GIN index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE article_version_fts USING fts5(
           title, text, content='article_version', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER article_version_fts_insert AFTER INSERT ON article_version BEGIN
           INSERT INTO article_version_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER article_version_fts_delete AFTER DELETE ON article_version BEGIN
           INSERT INTO article_version_fts(article_version_fts, rowid, title, text)
           VALUES ('delete', old.id, old.title, old.text);
       END""",
    """CREATE TRIGGER article_version_fts_update AFTER UPDATE OF title, text ON article_version BEGIN
           INSERT INTO article_version_fts(article_version_fts, rowid, title, text)
           VALUES ('delete', old.id, old.title, old.text);
           INSERT INTO article_version_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    "INSERT INTO article_version_fts(article_version_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS article_version_fts_update",
    "DROP TRIGGER IF EXISTS article_version_fts_delete",
    "DROP TRIGGER IF EXISTS article_version_fts_insert",
    "DROP TABLE IF EXISTS article_version_fts",
]
POSTGRES_UP = [
    """ALTER TABLE article_version ADD COLUMN search tsvector
           GENERATED ALWAYS AS (
               setweight(to_tsvector('english', coalesce(title, '')), 'A')
               || setweight(to_tsvector('english', coalesce(text, '')), 'B')
           ) STORED""",
    "CREATE INDEX ix_article_version_search ON article_version USING GIN (search)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_article_version_search",
    "ALTER TABLE article_version DROP COLUMN IF EXISTS search",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
