"""The schema: migrations on SQLite and PostgreSQL agree with each other and
with the models, and downgrade to nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.engine import make_engine
from storage.migrate import downgrade, head_revision, include_object, upgrade
from storage.models import Base
from storage.revision import HEAD_REVISION, current_revision

TABLES = {"outlet", "article", "article_alias", "article_text", "article_version", "churn_fetch", "crawl_run", "digest_run",
          "notify_target", "template_block"}
VIEWS = {"article_latest", "article_change", "outlet_daily_coverage"}


def shape(url: str) -> tuple[set[str], set[str], dict[str, set[str]]]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names()) - {"alembic_version"}
        tables = {t for t in tables if not t.startswith("article_version_fts")}
        views = set(inspector.get_view_names())
        columns = {t: {c["name"] for c in inspector.get_columns(t)} - {"search"} for t in tables}
        return tables, views, columns
    finally:
        engine.dispose()


def test_upgrade_gives_the_same_schema_on_both_databases(sqlite_url: str, pg_url: str) -> None:
    upgrade(sqlite_url)
    upgrade(pg_url)
    sqlite_shape, pg_shape = shape(sqlite_url), shape(pg_url)
    assert sqlite_shape[0] == TABLES and sqlite_shape[1] == VIEWS
    assert sqlite_shape == pg_shape


def test_models_and_migrations_agree(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": False}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_the_revision_commands_check_is_alembics_head(db_url: str) -> None:
    assert HEAD_REVISION == head_revision(), "a new migration: move storage.revision.HEAD_REVISION to it"
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert current_revision(connection) is None
        upgrade(db_url, "0011")
        with engine.connect() as connection:
            assert current_revision(connection) == "0011"
        upgrade(db_url)
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD_REVISION
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    upgrade(db_url)
    downgrade(db_url, "base")
    tables, views, _ = shape(db_url)
    assert tables == set() and views == set()
    upgrade(db_url)
    assert shape(db_url)[0] == TABLES


def test_admission_revision_goes_down_and_up_keeping_articles_and_views(db_url: str) -> None:
    """0004 adds a column to article, which SQLite drops by copying the table;
    the views over article must survive the copy, and so must the rows."""
    from sqlalchemy import text

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO outlet (key, name, home) VALUES ('o', 'O', 'https://o.test/')"))
        connection.execute(
            text(
                "INSERT INTO article (outlet_id, url, first_seen_at, first_seen_day, discovered_via, relevant,"
                " match_score, match_terms, check_state, admission)"
                " VALUES (1, 'https://o.test/a', '2024-11-27 10:00:00.000000', '2024-11-27', 'seed', false, 0, '[]',"
                " 'irrelevant', 'before_since')"
            )
        )
    engine.dispose()
    downgrade(db_url, "0003")
    tables, views, columns = shape(db_url)
    assert "article_text" not in tables and "admission" not in columns["article"]
    assert views == VIEWS
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT url, admission FROM article")).all() == [("https://o.test/a", None)]
    engine.dispose()


def test_web_revision_goes_down_and_up_keeping_the_ledger(db_url: str) -> None:
    """0006 adds the sent message to digest_run (a table copy on SQLite) and
    the notify_target table; going down keeps every ledger row."""
    from sqlalchemy import text

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO digest_run (digest_date, target, status, attempts, message_id, new_articles, changed_articles,"
            " removed_articles, subject, body_text) VALUES ('2024-11-27', 'email', 'sent', 1, '<m@x>', 2, 1, 0, 's', 't')"
        ))
    engine.dispose()
    downgrade(db_url, "0005")
    tables, _, columns = shape(db_url)
    assert "notify_target" not in tables and not {"subject", "body_text", "body_html"} & columns["digest_run"]
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT target, status, new_articles, subject FROM digest_run")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("email", "sent", 2, None)]


def test_provider_revision_goes_down_and_up_keeping_articles_and_views(db_url: str) -> None:
    """0007 adds article.syndicated_provider; SQLite drops it by copying the
    table, around which the views over article are dropped and made again."""
    from sqlalchemy import text

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO outlet (key, name, home) VALUES ('o', 'O', 'https://o.test/')"))
        connection.execute(text(
            "INSERT INTO article (outlet_id, url, first_seen_at, first_seen_day, discovered_via, relevant, match_score,"
            " match_terms, check_state, syndicated_from, syndicated_provider) VALUES (1, 'https://o.test/ar-AA1',"
            " '2024-11-27 10:00:00.000000', '2024-11-27', 'section', true, 1, '[]', 'new', 'https://v.test/a', 'V')"
        ))
    engine.dispose()
    downgrade(db_url, "0006")
    _, views, columns = shape(db_url)
    assert "syndicated_provider" not in columns["article"] and views == VIEWS
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT url, syndicated_from, syndicated_provider FROM article")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("https://o.test/ar-AA1", "https://v.test/a", None)]
