"""Every query of docs/schema.md, run on SQLite and PostgreSQL with data from a
real crawl of the replica; read-only access; a long reader during a crawl."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from storage.engine import make_engine
from tests.conftest import REPO, Cli
from tests.story_site import StorySite, write_config

pytestmark = pytest.mark.slow

SCHEMA_DOC = REPO / "docs" / "schema.md"
BLOCK = re.compile(r"```sql( sqlite| postgresql)?\n(.*?)```\ncolumns: ([^\n]+)", re.S)
# Questions the replica data must answer with at least one row.
NON_EMPTY = {1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13}


def cookbook() -> list[tuple[int, str | None, str, list[str]]]:
    entries = []
    for section in re.split(r"\n### ", SCHEMA_DOC.read_text())[1:]:
        number = int(section.split(".", 1)[0]) if section[0].isdigit() else None
        if number is None:
            continue
        for dialect, sql, columns in BLOCK.findall(section):
            entries.append((number, dialect.strip() or None, sql, [c.strip() for c in columns.split(",")]))
    return entries


def test_the_cookbook_has_ten_or_more_questions() -> None:
    assert len({n for n, *_ in cookbook()}) >= 10


@pytest.fixture(params=["sqlite", "postgresql"])
def crawled(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The two crawls (the story, then its edits) and a digest."""
    if request.param == "sqlite":
        cli: Cli = request.getfixturevalue("two_days")  # crawled once a session
        url: str = request.getfixturevalue("sqlite_url")
    else:
        story: StorySite = request.getfixturevalue("story")
        url = request.getfixturevalue("pg_cluster").new_database()
        cli = Cli(write_config(story, tmp_path, url), tmp_path)
        cli("db", "upgrade")
        cli("crawl")
        story.state = 2
        cli("crawl", "--recheck")
    cli("digest")
    return url


def test_cookbook_queries_return_the_documented_shape(crawled: str) -> None:
    engine = make_engine(crawled, immediate=False)
    dialect = engine.dialect.name
    answered = set()
    with engine.connect() as connection:
        for number, only, sql, columns in cookbook():
            if only is not None and only != dialect:
                continue
            result = connection.execute(text(sql))
            assert list(result.keys()) == columns, f"question {number}"
            rows = result.fetchall()
            if rows:
                answered.add(number)
    engine.dispose()
    assert NON_EMPTY <= answered, f"no rows for questions {sorted(NON_EMPTY - answered)}"


def test_postgres_read_only_analyst_role(pg_cluster) -> None:
    url = pg_cluster.new_database()
    from storage.migrate import upgrade

    upgrade(url)
    database = url.rsplit("/", 1)[1]
    snippet = SCHEMA_DOC.read_text().split("PostgreSQL: a read-only analyst role")[1].split("```sql\n")[1].split("```")[0]
    snippet = snippet.replace("DATABASE storywatch", f'DATABASE "{database}"')
    with psycopg.connect(pg_cluster.dsn(database), autocommit=True) as owner:
        exists = owner.execute("SELECT 1 FROM pg_roles WHERE rolname = 'analyst'").fetchone()
        if exists:
            snippet = snippet.split(";", 1)[1]  # the role is cluster-wide: created by an earlier run
        owner.execute(snippet)
    analyst_dsn = pg_cluster.dsn(database).replace("storywatch@", "analyst@")
    with psycopg.connect(analyst_dsn) as analyst:
        assert analyst.execute("SELECT COUNT(*) FROM article_latest").fetchone() == (0,)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            analyst.execute("INSERT INTO outlet (key, name, home) VALUES ('x', 'x', 'x')")


def test_long_sqlite_reader_does_not_lock_out_the_crawl(story: StorySite, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'storywatch.db'}"
    cli = Cli(write_config(story, tmp_path, url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    story.state = 2
    errors: list[str] = []
    stop = threading.Event()
    queries = [0]

    def analyst() -> None:
        db = sqlite3.connect(f"file:{tmp_path / 'storywatch.db'}?mode=ro", uri=True, timeout=1)
        try:
            while not stop.is_set():
                db.execute("BEGIN")
                # A deliberately long query, holding its read snapshot.
                db.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
                    "SELECT COUNT(*), (SELECT COUNT(*) FROM article_latest) FROM n"
                ).fetchall()
                time.sleep(0.05)
                db.execute("COMMIT")
                queries[0] += 1
        except sqlite3.Error as exc:
            errors.append(str(exc))
        finally:
            db.close()

    reader = threading.Thread(target=analyst)
    reader.start()
    try:
        result = cli("crawl", "--recheck")
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert queries[0] > 0
    assert "database is locked" not in result.stderr and "crawl 2: ok" in result.stdout
    assert "new versions 1" in result.stdout
