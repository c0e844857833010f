"""Faults a long-running job meets: SMTP dropping mid-send, PostgreSQL
restarting mid-crawl, the disk filling up while writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers import db_state
from tests.smtp import SmtpServer
from tests.story_site import StorySite, write_config
from tests.support.daemon import wait_for
from tests.support.digests import service, shift_back, today, with_smtp
from tests.support.mounts import tmpfs

pytestmark = pytest.mark.slow


class DroppingInbox:
    """Hangs up during the first DATA, then behaves."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.dropped = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.dropped == 0:
            self.dropped += 1
            server.transport.close()
            return "421 closing"
        self.messages.append(envelope.content)
        return "250 OK"


def test_smtp_dropping_mid_send_is_retried_once(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story_cli("crawl")
    shift_back(sqlite_url, 1)  # a day that is over
    server = SmtpServer()
    inbox = DroppingInbox()
    server.controller.handler = inbox
    server.start()
    try:
        with_smtp(story_cli.config, server.port)
        digest = service(story_cli.config)
        day = today() - dt.timedelta(days=1)
        first = digest.send_day(day)
        assert first.status == "failed" and inbox.messages == []
        assert digest.send_day(day).status == "sent"
        assert digest.send_day(day).status == "already_sent"
        assert len(inbox.messages) == 1
    finally:
        server.stop()


def test_postgres_restart_mid_crawl(story: StorySite, tmp_path: Path, pg_cluster) -> None:
    url = pg_cluster.new_database()
    cli = Cli(write_config(story, tmp_path, url), tmp_path)
    cli("db", "upgrade")
    story.site.delay = 0.2
    restarted = threading.Event()

    def restart_when_writing() -> None:
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if sum(len(v) for v in db_state(url)["versions"].values()) >= 1:
                    break
            except Exception:  # noqa: BLE001 -- the database may be busy; look again
                pass
            time.sleep(0.05)
        pg_cluster.restart()
        restarted.set()

    thread = threading.Thread(target=restart_when_writing)
    thread.start()
    first = cli("crawl", check=False)
    thread.join()
    assert restarted.is_set()
    assert "Traceback" not in first.stderr
    story.site.delay = 0
    cli("crawl")  # picks up whatever the restart cost
    state = db_state(url)
    for page in story.relevant_urls:
        assert [v.number for v in state["versions"][page]] == [1], page
    assert all(r.status != "running" for r in state["runs"])


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    with tmpfs("1200k", "storywatch-full-") as folder:
        yield folder


def test_disk_full_while_writing(story: StorySite, tmp_path: Path, tiny_disk: Path) -> None:
    url = f"sqlite:///{tiny_disk / 'storywatch.db'}"
    cli = Cli(write_config(story, tmp_path, url), tmp_path)
    cli("db", "upgrade")
    filler = tiny_disk / "filler"
    free = shutil.disk_usage(tiny_disk).free
    filler.write_bytes(b"\0" * max(0, free - 120_000))  # leave room for a few pages only
    result = cli("crawl", check=False)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "disk is full" in result.stderr or "disk I/O" in result.stderr, result.stderr[-3000:]  # said, not hidden
    with contextlib.closing(sqlite3.connect(tiny_disk / "storywatch.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,size=20m", str(tiny_disk)], check=True)
    cli("crawl")
    state = db_state(url)
    for page in story.relevant_urls:
        assert [v.number for v in state["versions"][page]] == [1], page


def test_crawl_killed_at_random_points_over_many_runs(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    import random
    import signal
    import sys
    import time

    from tests.conftest import REPO

    rng = random.Random(20241126)
    story_cli("crawl")  # version 1 of every page: the kills below then hit revisits and the edit's write
    story.site.delay = 0.15
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_number in range(6):
        if round_number == 3:
            story.state = 2  # change pages half-way, so revisits write too
        parent = subprocess.Popen(
            [sys.executable, "-m", "storywatch.cli", "--config", str(story_cli.config), "crawl", "--recheck"],
            cwd=story_cli.cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # A random moment after the crawl child has started (not a fixed
        # sleep from the parent's start, which a slow machine outlasts).
        started = wait_for(lambda: [r for r in db_state(sqlite_url)["runs"] if r.status == "running" and r.pid], 30)
        assert started, "no crawl child started"
        time.sleep(rng.uniform(0.0, 1.5))
        running = [r for r in db_state(sqlite_url)["runs"] if r.status == "running" and r.pid]
        for run in running:
            try:
                os.killpg(run.pid, signal.SIGKILL)  # the crawl child and its workers
            except ProcessLookupError:
                pass
        parent.wait(timeout=60)
    story.site.delay = 0
    story_cli("crawl", "--recheck")
    state = db_state(sqlite_url)
    edited = story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")
    for page in story.relevant_urls:
        expected = [1, 2] if page == edited else [1]
        assert [v.number for v in state["versions"][page]] == expected, page
    hashes = [(v.article_id, v.content_hash) for vs in state["versions"].values() for v in vs]
    assert len(hashes) == len(set(hashes))
    assert all(r.status != "running" for r in state["runs"])
    assert sum(r.status == "failed" for r in state["runs"]) >= 3  # the kills landed mid-crawl
