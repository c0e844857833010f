"""Change tracking against the replica: revisits with validators, versions
only for real edits, removal, history and diff, and a crawl killed mid-write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from storage.engine import make_engine, make_sessionmaker
from storage.queries import start_crawl_run, utcnow
from tests.conftest import REPO, Cli
from tests.helpers import db_state
from tests.replica import Reply
from tests.story_site import StorySite

pytestmark = pytest.mark.slow

EDITED = "/2024/11/26/sora-leak-artists-pr-puppets"
WHITESPACE = "/2024/11/28/sora-leak-whitespace-only"


def test_recheck_after_edits(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story_cli("crawl")
    story.state = 2
    story.site.clear_log()
    story_cli("crawl", "--recheck")
    state = db_state(sqlite_url)
    edited = story.verge.url(EDITED)
    versions = {url: len(v) for url, v in state["versions"].items() if state["articles"][url].relevant}
    assert versions.pop(edited) == 2
    assert set(versions.values()) == {1}  # whitespace-only and unchanged: no new version
    assert state["runs"][-1].new_versions == 1

    change = state["versions"][edited][1]
    kinds = change.change_kinds.split(",")
    assert "headline" in kinds and "paragraphs_added" in kinds and "update_notice" in kinds
    assert not change.is_minor

    # Revisits sent validators; unchanged pages answered 304.
    known_paths = {url.split("/", 3)[3] for url in state["articles"]}
    revisits = [r for r in story.site.requests if r.path.lstrip("/") in known_paths]
    assert revisits and all("if-none-match" in r.headers for r in revisits)
    assert state["runs"][-1].not_modified >= 5
    whitespace = state["articles"][story.tc.url(WHITESPACE)]
    assert whitespace.check_state == "same_content"

    history = story_cli("history", edited).stdout
    assert "v1" in history and "v2" in history and "headline" in history
    article_id = str(state["articles"][edited].id)
    diff = story_cli("diff", article_id).stdout
    assert "{+Update, November 27th: OpenAI said that Sora is still in a research preview" in diff
    assert "before: Artists leak OpenAI's Sora video tool in protest" in diff
    assert "after:  OpenAI's Sora was leaked by artists protesting unpaid labor" in diff


def test_removed_then_back(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story_cli("crawl")
    path = "/2024/11/27/sora-leak-what-we-know"
    url = story.tc.url(path)
    original = story.tc.routes[path]
    story.tc.routes[path] = lambda _info: Reply(410, b"gone")
    story_cli("crawl", "--recheck")
    article = db_state(sqlite_url)["articles"][url]
    assert article.removed_at is not None and article.check_state == "removed"
    assert len(db_state(sqlite_url)["versions"][url]) == 1  # never deleted

    # A redirect to the home page also counts as removed.
    other = "/2024/11/26/artists-leak-access-to-openais-sora"
    story.tc.routes[other] = lambda _info: Reply(301, b"", {"Location": "/"})
    story.tc.routes[path] = original
    story_cli("crawl", "--recheck")
    state = db_state(sqlite_url)
    assert state["articles"][url].removed_at is None  # it came back
    assert state["articles"][story.tc.url(other)].removed_at is not None


def test_conditional_get_without_validators_uses_body_hash(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story.site.validators = False
    story_cli("crawl")
    story_cli("crawl", "--recheck")
    run = db_state(sqlite_url)["runs"][-1]
    assert run.new_versions == 0 and run.not_modified == 0
    assert json.loads(run.details)["counts"]["unchanged_body"] >= len(story.relevant_urls)


def test_killed_crawl_neither_duplicates_nor_loses(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story.site.delay = 0.15  # slow pages, so the kill lands mid-crawl
    engine = make_engine(sqlite_url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        run_id = start_crawl_run(session, trigger="test", kind="discovery", outlets=[], now=utcnow()).id
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--config", str(story_cli.config), "--run-id", str(run_id)],
        cwd=story_cli.cwd, env=env, start_new_session=True, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        written = sum(len(v) for v in db_state(sqlite_url)["versions"].values())
        if written >= 1:
            break
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert written < len(story.relevant_urls), "the kill came too late to test anything"
    story.site.delay = 0
    story_cli("crawl")
    state = db_state(sqlite_url)
    for url in story.relevant_urls:
        assert [v.number for v in state["versions"][url]] == [1], url
    killed = next(r for r in state["runs"] if r.id == run_id)
    assert killed.status == "failed"
    engine.dispose()
