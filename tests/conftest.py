"""Shared fixtures: databases (SQLite, a throwaway PostgreSQL 15 cluster),
the loopback replica of the outlets, and a runner for the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.pgcluster import PgCluster, PostgresUnavailable
from tests.replica import loopback_available
from tests.story_site import StorySite, build_story_site, write_config
from tests.support.digests import shift_back, today

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'storywatch.db'}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    try:
        cluster = PgCluster().start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield cluster
    cluster.close()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'storywatch.db'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
def story() -> Iterator[StorySite]:
    if not loopback_available("127.0.0.2"):
        pytest.skip("loopback addresses 127.0.0.2-9 are not usable here")
    site = build_story_site()
    yield site
    site.site.close()


class Cli:
    """Runs the real ``storywatch`` command in a subprocess."""

    def __init__(self, config: Path, cwd: Path) -> None:
        self.config = config
        self.cwd = cwd

    def __call__(self, *args: str, check: bool = True, timeout: float = 240, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
        full_env.pop("STORYWATCH_CONFIG", None)
        full_env.pop("STORYWATCH_DATABASE_URL", None) if env is None or "STORYWATCH_DATABASE_URL" not in env else None
        result = subprocess.run(
            [sys.executable, "-m", "storywatch.cli", "--config", str(self.config), *args],
            cwd=self.cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"storywatch {' '.join(args)} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
            )
        return result


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the head revision, migrated once per
    session (in-process, as ``db upgrade`` does): a test copies it instead
    of starting the CLI to migrate.  ``db upgrade`` through the CLI has its
    own tests (test_daily_use, test_migrations, test_faults)."""
    from storage.migrate import upgrade

    path = tmp_path_factory.mktemp("migrated") / "storywatch.db"
    upgrade(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as conn:  # one file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def story_cli(story: StorySite, tmp_path: Path, sqlite_url: str, migrated_sqlite: Path) -> Cli:
    config = write_config(story, tmp_path, sqlite_url)
    shutil.copy(migrated_sqlite, tmp_path / "storywatch.db")  # sqlite_url's file
    return Cli(config, tmp_path)


@pytest.fixture(scope="session")
def two_days_template(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path
                      ) -> Iterator[tuple[StorySite, Path]]:
    """Crawled once per session: the first state 'yesterday', the edited
    second state today.  Tests get a copy of its database."""
    if not loopback_available("127.0.0.2"):
        pytest.skip("loopback addresses 127.0.0.2-9 are not usable here")
    site = build_story_site()
    # A build that crosses midnight would leave a day with no crawl between
    # the two (and a third digest day): build again, once, on the new day.
    for _ in range(2):
        started = today()
        database = _build_two_days(site, tmp_path_factory.mktemp("two-days"), migrated_sqlite)
        if today() == started:
            break
    yield site, database
    site.site.close()


def _build_two_days(site: StorySite, folder: Path, migrated: Path) -> Path:
    site.state = 1
    url = f"sqlite:///{folder / 'storywatch.db'}"
    shutil.copy(migrated, folder / "storywatch.db")
    cli = Cli(write_config(site, folder, url), folder)
    cli("crawl")
    shift_back(url, 1)
    site.state = 2
    cli("crawl", "--recheck")
    with closing(sqlite3.connect(folder / "storywatch.db")) as conn:  # one file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "storywatch.db"


@pytest.fixture
def two_days(two_days_template: tuple[StorySite, Path], tmp_path: Path, sqlite_url: str) -> Cli:
    """A copy of the two-day database, with its own config and folder.  The
    replica behind it is shared: tests must not change its state."""
    site, database = two_days_template
    shutil.copy(database, tmp_path / "storywatch.db")
    # The template's "today" is the day it was built: a session that runs
    # past midnight moves the copy to the new day, as the tests count from it.
    with closing(sqlite3.connect(tmp_path / "storywatch.db")) as conn:
        (built,) = conn.execute("SELECT MAX(fetched_day) FROM article_version").fetchone()
    days_since = (today() - dt.date.fromisoformat(built)).days
    if days_since:
        shift_back(sqlite_url, -days_since)
    return Cli(write_config(site, tmp_path, sqlite_url), tmp_path)
