"""The daemon started for real with short intervals against the replica."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cli
from tests.helpers import db_state
from tests.story_site import StorySite
from tests.support.daemon import fast_schedule, start_daemon, stop, wait_for
from tests.support.digests import shift_back

pytestmark = pytest.mark.slow


def test_daemon_crawls_survives_a_killed_child_refuses_a_twin_and_stops(
    story: StorySite, story_cli: Cli, sqlite_url: str
) -> None:
    fast_schedule(story_cli.config, crawl_every="8s")
    daemon = start_daemon(story_cli)
    try:
        assert wait_for(lambda: db_state(sqlite_url)["runs"], 30), "the daemon started no crawl"
        # A second daemon on the same database refuses to start.
        twin = story_cli("run", check=False, timeout=30)
        assert twin.returncode == 1 and "another storywatch daemon is running" in twin.stderr

        # Two crawls within a minute, never overlapping.
        runs = wait_for(lambda: [r for r in db_state(sqlite_url)["runs"] if r.status != "running"][:2] if len(
            [r for r in db_state(sqlite_url)["runs"] if r.status != "running"]) >= 2 else None, 60)
        assert runs, "fewer than two crawl runs within a minute"

        # Kill the next crawl child: the daemon survives and records it failed.
        story.site.delay = 0.5
        running = wait_for(
            lambda: next((r for r in db_state(sqlite_url)["runs"] if r.status == "running" and r.pid and r.pid != daemon.pid), None), 40
        )
        assert running is not None
        time.sleep(0.5)
        os.kill(running.pid, signal.SIGKILL)
        failed = wait_for(lambda: next((r for r in db_state(sqlite_url)["runs"] if r.id == running.id and r.status == "failed"), None), 20)
        assert failed is not None and "SIGKILL" in (failed.message or "")
        story.site.delay = 0
        later = wait_for(lambda: [r for r in db_state(sqlite_url)["runs"] if r.id > running.id and r.status == "ok"], 40)
        assert later, "no successful crawl after the killed one"
        assert daemon.poll() is None
    finally:
        started = time.monotonic()
        code, err = stop(daemon)
    assert code == 0, err[-3000:]
    assert time.monotonic() - started < 15  # within the grace period
    assert "storywatch daemon stopped" in err
    runs = db_state(sqlite_url)["runs"]
    assert all(r.status != "running" for r in runs)
    intervals = sorted((r.started_at, r.finished_at) for r in runs)
    for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
        assert end <= start, "two crawls overlapped"


def test_daemon_sends_missed_digests_exactly_once_after_downtime(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story_cli("crawl")
    shift_back(sqlite_url, 3)  # the machine was off for three days
    fast_schedule(story_cli.config, crawl_every="1h", digest_at="00:00")
    outbox = story_cli.cwd / "outbox"
    daemon = start_daemon(story_cli, "--log-level", "DEBUG")
    try:
        assert wait_for(lambda: len(list(outbox.glob("*.eml"))) >= 3, 40)
        checks = daemon.log().count("digest check:")
        assert wait_for(lambda: daemon.log().count("digest check:") > checks + 1, 20)  # more checks pass
    finally:
        stop(daemon)
    days = sorted(p.stem for p in outbox.glob("*.eml"))
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    expected = [f"storywatch-{today - dt.timedelta(days=n)}" for n in (3, 2, 1)]
    assert days == expected
    daemon = start_daemon(story_cli, "--log-level", "DEBUG")  # restarted: nothing is sent twice
    try:
        assert wait_for(lambda: "digest check: 0 day(s) due" in daemon.log(), 20), daemon.log()[-2000:]
    finally:
        stop(daemon)
    assert sorted(p.stem for p in outbox.glob("*.eml")) == expected


def test_daemon_keeps_its_lock_across_a_postgres_restart(story: StorySite, tmp_path: Path, pg_cluster) -> None:
    from tests.story_site import write_config

    url = pg_cluster.new_database()
    cli = Cli(write_config(story, tmp_path, url), tmp_path)
    cli("db", "upgrade")
    fast_schedule(cli.config, crawl_every="1h")
    daemon = start_daemon(cli)
    try:
        assert wait_for(lambda: db_state(url)["runs"], 30)
        pg_cluster.restart()
        assert wait_for(lambda: "daemon lock re-taken" in daemon.log(), 30), "the lock was not re-taken"
        assert daemon.poll() is None, "the daemon died with the database connection"
        twin = cli("run", check=False, timeout=30)
        assert twin.returncode == 1 and "another storywatch daemon is running" in twin.stderr
    finally:
        code, err = stop(daemon)
    assert code == 0, err[-2000:]
    assert "daemon lock re-taken" in err
