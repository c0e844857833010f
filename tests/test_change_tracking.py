"""Change tracking against the replica: revisits with validators, versions
only for real edits, removal, history and diff, and a crawl killed mid-write."""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storage.engine import make_engine, make_sessionmaker
from storage.runs import start_crawl_run
from storywatch.clock import utcnow
from tests.conftest import REPO, Cli
from tests.helpers import db_state
from tests.replica import Handler, Host, Reply, RequestInfo, section_page
from tests.story_site import StorySite
from tests.support.config import update_config

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
    counts = run.details["counts"]
    assert counts["unchanged_body"] >= len(story.relevant_urls)
    assert counts["extracted"] == 0  # and so no extraction worker was started


def test_a_page_without_text_is_kept_and_not_extracted_again(
    story: StorySite, story_cli: Cli, sqlite_url: str
) -> None:
    """A page built by JavaScript has no text to read; it is recorded (no
    version) so a recheck asks with validators instead of extracting it anew."""
    path = "/2024/11/28/sora-leak-explainer-built-by-script"
    story.tc.route(path, b'<!DOCTYPE html><html><head><title>TechCrunch</title></head><body><div id="root"></div>'
                   b'<script src="/bundle.js"></script></body></html>')
    story.tc.route("/category/ai/", section_page([
        ("/2024/11/27/sora-leak-what-we-know", "What we know"),
        ("/2024/12/04/phone-update-fixes-camera-bug", "Phone"),
        (path, "Sora, explained"),
    ]))
    story_cli("crawl")
    url = story.tc.url(path)
    state = db_state(sqlite_url)
    article = state["articles"][url]
    assert article.check_state == "empty" and not article.relevant and article.http_etag
    assert state["versions"][url] == []
    assert state["runs"][-1].details["skipped"]["no_text"] == 1

    story_cli("crawl", "--recheck")
    run = db_state(sqlite_url)["runs"][-1]
    counts = run.details["counts"]
    assert counts["extracted"] == 0  # a 304: nothing to read, no worker started
    state = db_state(sqlite_url)
    assert state["articles"][url].check_state == "not_modified" and state["versions"][url] == []


def test_killed_crawl_neither_duplicates_nor_loses(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    # Article pages answer one after another, a second apart, so the kill
    # lands between two writes whatever the extraction workers' start-up.
    urls = sorted(story.relevant_urls)
    originals = _stagger_articles(story, urls, seconds_apart=1.0)
    # The last article answers only after the kill: however slowly the
    # extraction workers start (and the writes then cluster), the crawl
    # cannot finish before it is killed.
    released = threading.Event()
    last_host, last_path, _ = originals[-1]
    last_host.routes[last_path] = functools.partial(_after, released, last_host.routes[last_path])
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
    released.set()
    assert written < len(story.relevant_urls), "the kill came too late to test anything"
    for host, path, handler in originals:
        host.routes[path] = handler
    story_cli("crawl")
    state = db_state(sqlite_url)
    for url in story.relevant_urls:
        assert [v.number for v in state["versions"][url]] == [1], url
    killed = next(r for r in state["runs"] if r.id == run_id)
    assert killed.status == "failed"
    engine.dispose()


def test_extractor_upgrade_is_not_a_wave_of_edits(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    """Versions made by an older extractor (different text) are re-extracted
    from their stored HTML before a new fetch is compared."""
    from sqlalchemy import text

    story_cli("crawl")
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE article_version SET extractor_version = 'old', text = text || ' [read differently]'"))
        conn.execute(text("UPDATE article SET raw_sha256 = NULL"))  # defeat the unchanged-body shortcut
    engine.dispose()
    story.site.validators = False
    story_cli("crawl", "--recheck")
    state = db_state(sqlite_url)
    assert state["runs"][-1].new_versions == 0
    assert state["runs"][-1].details["counts"]["relevant"] >= len(story.relevant_urls) - 1
    story.state = 2
    story_cli("crawl", "--recheck")
    assert db_state(sqlite_url)["runs"][-1].new_versions == 1  # the real edit still shows


def test_rematch_applies_a_changed_query(two_days: Cli, two_days_template: tuple[StorySite, Path],
                                        sqlite_url: str) -> None:
    site, _ = two_days_template
    before = db_state(sqlite_url)
    update_config(two_days.config, story={"query": '"unpaid labor"'})
    result = two_days("rematch")
    assert "no longer relevant" in result.stdout
    state = db_state(sqlite_url)
    still = {u for u, a in state["articles"].items() if a.relevant}
    assert site.verge.url(EDITED) in still
    assert site.tc.url("/2024/11/27/sora-leak-what-we-know") not in still  # no "unpaid labor" there
    counts = {u: len(v) for u, v in state["versions"].items()}
    assert counts == {u: len(v) for u, v in before["versions"].items()}  # nothing deleted


def test_rematch_admits_from_kept_text_at_once(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    """A page that did not match keeps its extracted text: a broader query
    admits it at once (no fetch), and the next crawl writes its first version."""
    story_cli("crawl")
    launch = story.verge.url("/2024/12/09/openai-launches-sora-video-generator")
    march = story.verge.url("/2024/03/14/sora-artists-first-look")
    update_config(story_cli.config, story={"query": "sora"})
    story.site.clear_log()
    result = story_cli("rematch")
    assert story.site.requests == []  # decided on the stored text, nothing fetched
    state = db_state(sqlite_url)
    assert state["articles"][launch].relevant and state["versions"][launch] == []
    assert not state["articles"][march].relevant  # the date gate holds in rematch too
    assert state["articles"][march].admission == "before_since"
    assert re.search(r"\b1 newly relevant", result.stdout)
    story_cli("crawl")
    assert "/2024/12/09/openai-launches-sora-video-generator" in story.site.requested("verge")
    [version] = db_state(sqlite_url)["versions"][launch]
    assert "OpenAI launched Sora" in version.text


def test_articles_and_status_for_people_who_do_not_write_sql(
    two_days: Cli, two_days_template: tuple[StorySite, Path]
) -> None:
    site, _ = two_days_template
    table = two_days("articles").stdout
    copy = next(line.split("\t") for line in table.splitlines() if "\tmsn\t" in line and "ar-AA1uv1" in line)
    assert copy[4] == "Artists leak OpenAI's Sora video tool in protest" and copy[-1] == "copy"  # the aggregator's copy
    rows = json.loads(two_days("articles", "--format", "json", "--outlet", "tc").stdout)
    assert {r["outlet"] for r in rows} == {"tc"} and all(r["relevant"] for r in rows)
    csv_text = two_days("articles", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("id,outlet,url,title")
    assert len(csv_text.splitlines()) == len(site.relevant_urls) + 1
    changed = two_days("articles", "--changed").stdout.strip().splitlines()
    assert len(changed) == 2 and site.verge.url(EDITED) in changed[1]  # a header and the one edited article
    status = two_days("status").stdout
    assert "last crawls:" in status and "#1" in status and "#2" in status and "outlets:" in status
    assert "tc" in status and "next digest" in status


def _stagger_articles(story: StorySite, urls: list[str], seconds_apart: float) -> list[tuple[Host, str, Handler]]:
    """Delay the n-th URL's answer by n+1 intervals; return the original routes."""
    originals = []
    for n, url in enumerate(urls):
        host = next(h for h in story.site.hosts.values() if url.startswith(h.base + "/"))
        path = url[len(host.base):]
        handler = host.routes[path]
        originals.append((host, path, handler))
        host.routes[path] = functools.partial(_delayed, handler, (n + 1) * seconds_apart)
    return originals


def _after(event: threading.Event, handler: Handler, info: RequestInfo) -> Reply:
    event.wait(60)
    return handler(info)


def _delayed(handler: Handler, seconds: float, info: RequestInfo) -> Reply:
    time.sleep(seconds)
    return handler(info)
