"""Which schema revision a database is at, read without Alembic.

Every command checks it before it reads or writes, and importing Alembic
(with Mako and Pygments) for that was a tenth of the command's start.
Migrating (storage.migrate) still goes through Alembic."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# The newest revision in storage/migrations/versions: a new migration moves
# it (tests/test_migrations.py fails until it does).
HEAD_REVISION = "0013"


def current_revision(connection: Connection) -> str | None:
    """The revision Alembic recorded; None for a database with no schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(revisions)) or None  # a row per head; this history has one
