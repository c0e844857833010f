"""fetch = "browser": an outlet whose article text is written by an inline
script, crawled in real headless Chromium (Debian's, through Playwright's
executable_path); pages that never finish loading or loop; the browser's
own requests under the host guard; no Chromium; and no browser left behind
when the crawl is killed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.browser import MARKER, find_chromium
from schedules.reaper import parents
from tests.conftest import REPO, Cli
from tests.helpers import db_state
from tests.replica import ArticleSpec, ReplicaSite, Reply, article_html, loopback_available, section_page
from tests.support.config import minimal_config, write_toml
from tests.support.web import chromium

STORY = ["Artists who had early access to OpenAI's Sora leaked it on Hugging Face in protest.",
         "The group, calling itself PR Puppets, said it was used for unpaid labor and art washing.",
         "OpenAI paused access to the tool a few hours later, a spokesperson said."]
RENDERED = "/2024/11/27/sora-leak-rendered"
NEVER_LOADS = "/2024/11/27/sora-leak-never-loads"
LOOPS = "/2024/11/27/sora-leak-loops"
CRASHES = "/2024/11/27/sora-leak-crashes-the-browser"
FREEZES = "/2024/11/27/sora-leak-freezes-the-browser"


def _script_page(title: str, script: str, extra: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><title>{title}</title>
<meta property="og:title" content="{title}"><meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-11-27T10:00:00Z"></head>
<body><main><h1>{title}</h1><article><div id="story"></div></article></main>{extra}
<script>{script}</script></body></html>""".encode()


class ScriptSite:
    """An outlet whose article pages are empty until their script runs, and
    a plain one beside it."""

    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.js = self.site.add_host("js", "127.0.0.7")
        self.plain = self.site.add_host("plain", "127.0.0.8")
        self.elsewhere = self.site.add_host("elsewhere", "127.0.0.9")
        self.release = threading.Event()
        fill = ("document.getElementById('story').innerHTML = "
                + json.dumps("".join(f"<p>{p}</p>" for p in STORY)) + ";")
        self.js.route(RENDERED, _script_page(
            "The Sora leak, rendered", fill + f"fetch({json.dumps(self.elsewhere.url('/beacon'))}).catch(() => null);",
            '<img src="/pixel.png" alt="">'))
        self.js.route(NEVER_LOADS, _script_page("The Sora leak, never loads", fill, '<script src="/stall.js"></script>'))
        self.js.route(LOOPS, _script_page("The Sora leak, loops", "while (true) {}"))
        self.js.route("/stall.js", Reply(200, b"// more to come", {"Content-Type": "application/javascript"},
                                         stall=self.release))
        self.js.route(CRASHES, _script_page("The Sora leak, crashing", fill, '<script src="/crash.js"></script>'))
        self.js.route("/crash.js", self._crash)
        self.js.route(FREEZES, _script_page("The Sora leak, freezing", fill, '<script src="/freeze.js"></script>'))
        self.js.route("/freeze.js", self._freeze)
        self.frozen: list[int] = []
        self.config_path: Path | None = None
        self.crashed: list[int] = []
        self.js.route("/", section_page([]))
        self.js.route("/ai", section_page([(RENDERED, "a"), (NEVER_LOADS, "b"), (LOOPS, "c")]))
        self.js.route("/crash", section_page([(RENDERED, "a"), (CRASHES, "d")]))
        self.js.route("/freeze", section_page([(FREEZES, "e")]))
        self.plain.route("/2024/11/27/sora-leak-plain", article_html(
            ArticleSpec("/2024/11/27/sora-leak-plain", "The Sora leak, plain", STORY, "2024-11-27T10:00:00Z"),
            self.plain.base))
        self.plain.route("/", section_page([]))
        self.plain.route("/ai", section_page([("/2024/11/27/sora-leak-plain", "plain")]))

    def _crash(self, _info: object) -> Reply:
        """Kill the browser rendering this page (the one under this test's
        crawl), the first time the page asks."""
        for pid in [] if self.crashed else _browsers_under(str(self.config_path)):
            self.crashed.append(pid)
            os.kill(pid, signal.SIGKILL)
        return Reply(200, b"// too late", {"Content-Type": "application/javascript"})

    def _freeze(self, _info: object) -> Reply:
        """Stop (SIGSTOP) the browser rendering this page: it neither
        answers nor disconnects."""
        for pid in [] if self.frozen else _browsers_under(str(self.config_path)):
            self.frozen.append(pid)
            os.kill(pid, signal.SIGSTOP)
        return Reply(200, b"// too late", {"Content-Type": "application/javascript"})

    def config(self, folder: Path, database_url: str, section: str = "/ai", **crawl: object) -> Path:
        outlets = [
            {"key": "js", "name": "Script-built", "home": self.js.url("/"), "sections": [self.js.url(section)],
             "fetch": "browser"},
            {"key": "plain", "name": "Plain", "home": self.plain.url("/"), "sections": [self.plain.url("/ai")]},
        ]
        self.config_path = write_toml(folder / "storywatch.toml", minimal_config(
            database_url, outlets,
            # Long enough for a render on a loaded machine, short for the pages that never load.
            crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5, "retries": 0,
                   "extract_workers": 1, "browser_timeout": "4s", **crawl}))
        return self.config_path

    def close(self) -> None:
        self.release.set()
        self.site.close()


@pytest.fixture
def script_site() -> Iterator[ScriptSite]:
    if not loopback_available("127.0.0.9"):
        pytest.skip("loopback addresses 127.0.0.7-9 are not usable here")
    site = ScriptSite()
    yield site
    site.close()


def _browsers_of(pid: int) -> list[int]:
    """Live processes started with this crawl process's marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"{MARKER}={pid}".encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_a_script_built_outlet_is_rendered_in_chromium(script_site: ScriptSite, tmp_path: Path, sqlite_url: str) -> None:
    chromium()
    cli = Cli(script_site.config(tmp_path, sqlite_url), tmp_path)
    cli("db", "upgrade")
    crawled = cli("crawl")
    state = db_state(sqlite_url)
    [version] = state["versions"][script_site.js.url(RENDERED)]
    assert version.text.split("\n") == STORY  # written by the page's script, read from the rendered DOM
    assert version.title == "The Sora leak, rendered"
    assert state["versions"][script_site.plain.url("/2024/11/27/sora-leak-plain")]  # the plain outlet as before
    # The browser's own requests: no image, nothing off the outlet's hosts.
    assert "/pixel.png" not in script_site.site.requested("js")
    assert script_site.site.requested("elsewhere") == []
    # A page whose load never comes and a page that loops: per-page errors; the crawl went on.
    run = state["runs"][-1]
    assert run.status in ("ok", "partial") and run.errors >= 2, (run.status, run.details, crawled.stderr[-3000:])
    for path in (NEVER_LOADS, LOOPS):
        assert state["versions"].get(script_site.js.url(path), []) == []

    # A revisit renders again (no validators: a 304 would say nothing of the script's text).
    rechecked = cli("crawl", "--recheck", "--outlet", "js")
    assert script_site.site.requested("js").count(RENDERED) == 2
    again = db_state(sqlite_url)
    assert len(again["versions"][script_site.js.url(RENDERED)]) == 1
    article = again["articles"][script_site.js.url(RENDERED)]
    # Rendered again beside the looping page, in a renderer of its own.
    assert article.check_state in ("same_content", "unchanged"), (article.check_note, rechecked.stderr[-2000:])


def test_without_chromium_that_outlet_fails_in_one_line(script_site: ScriptSite, tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(script_site.config(tmp_path, sqlite_url, browser="/nonexistent/chromium"), tmp_path)
    cli("db", "upgrade")
    crawled = cli("crawl", check=False)
    assert crawled.returncode == 0, crawled.stderr
    lines = [line for line in crawled.stderr.splitlines() if "needs Chromium" in line]
    assert len(lines) == 1 and "outlet js" in lines[0] and "/nonexistent/chromium" in lines[0]
    state = db_state(sqlite_url)
    assert state["versions"][script_site.plain.url("/2024/11/27/sora-leak-plain")]
    assert script_site.site.requested("js") == []
    run = state["runs"][-1]
    assert run.details["failed_outlets"] == ["js"] and run.details["errors"]["no_chromium"] == 1


@pytest.mark.slow
def test_a_killed_crawl_leaves_no_browser_behind(script_site: ScriptSite, tmp_path: Path, sqlite_url: str) -> None:
    chromium()
    config = script_site.config(tmp_path, sqlite_url, browser_timeout="60s", timeout=60)
    Cli(config, tmp_path)("db", "upgrade")
    parent = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "--config", str(config), "crawl", "--outlet", "js"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        child = browsers = None
        while time.monotonic() < deadline and not browsers:
            time.sleep(0.2)
            children = [p for p in _processes_with(f"--config {config}") if p != parent.pid]
            child = next((p for p in children if b"crawler" in _cmdline(p)), None)
            browsers = _browsers_of(child) if child else None
        assert child is not None and browsers, "no browser was started"
        os.kill(child, signal.SIGKILL)  # the crawl child: it cannot close its browser
        parent.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _browsers_of(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _browsers_of(child) == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


@pytest.mark.slow
def test_a_browser_that_crashes_mid_crawl_is_started_again_and_the_crawl_goes_on(
    script_site: ScriptSite, tmp_path: Path, sqlite_url: str
) -> None:
    chromium()
    cli = Cli(script_site.config(tmp_path, sqlite_url, section="/crash", crawl_timeout="90s"), tmp_path)
    crawled, took = _timed_crawl(cli, "--log-level", "DEBUG", "crawl", "--outlet", "js")  # DEBUG: browser launches
    assert script_site.crashed, "the browser was not killed"
    # Playwright may print its own listener's error raw when the browser dies
    # under a response (left alone: library code); none of ours may fail.
    ours = re.compile(r'File ".*/(crawler|storage|storywatch|schedules)/[^"]+\.py"')
    assert crawled.returncode == 0 and not ours.search(crawled.stderr), crawled.stderr[-3000:]
    assert took < 60, f"the crawl took {took:.0f} s: it waited on the dead browser"
    state = db_state(sqlite_url)
    assert state["runs"][-1].status == "ok"
    # The page whose script killed the browser and the page beside it are
    # both rendered again, in a new browser.
    assert crawled.stderr.count("Browser chromium launched") >= 2
    assert [len(state["versions"].get(script_site.js.url(path), [])) for path in (CRASHES, RENDERED)] == [1, 1]
    assert _alive(script_site.crashed) == []


@pytest.mark.slow
def test_a_browser_that_stops_answering_fails_its_page_and_the_crawl_goes_on(
    script_site: ScriptSite, tmp_path: Path, sqlite_url: str
) -> None:
    chromium()
    cli = Cli(script_site.config(tmp_path, sqlite_url, section="/freeze", crawl_timeout="120s"), tmp_path)
    crawled, took = _timed_crawl(cli, "crawl")
    assert script_site.frozen, "the browser was not stopped"
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    # Past the page's deadline (2 × browser_timeout + 10 s), not the crawl's timeout.
    assert took < 60, f"the crawl took {took:.0f} s: it waited on the stopped browser"
    state = db_state(sqlite_url)
    run = state["runs"][-1]
    assert run.status == "ok" and run.details["errors"].get("browser_unresponsive") == 1, run.details
    assert state["versions"].get(script_site.js.url(FREEZES), []) == []
    assert len(state["versions"][script_site.plain.url("/2024/11/27/sora-leak-plain")]) == 1
    assert _alive(script_site.frozen) == []


def _timed_crawl(cli: Cli, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    cli("db", "upgrade")
    started = time.monotonic()
    crawled = cli(*args, check=False)
    return crawled, time.monotonic() - started


def _alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (not gone, not a zombie)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]


def _browsers_under(text: str) -> list[int]:
    """Browsers (marked) whose ancestors include a process started with ``text``."""
    parent_of = parents()
    found = []
    for pid in parent_of:
        if MARKER.encode() not in _cmdline(pid):
            continue
        ancestor = parent_of.get(pid, 0)
        while ancestor > 1:
            if text.encode() in _cmdline(ancestor):
                found.append(pid)
                break
            ancestor = parent_of.get(ancestor, 0)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return b""


def _processes_with(text: str) -> list[int]:
    return [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit() and text.encode() in _cmdline(int(e.name))]


def test_auto_takes_the_headless_shell_then_the_full_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium("auto") is None
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    assert find_chromium("auto") == str(tmp_path / "chromium-headless-shell")
    (tmp_path / "chromium-headless-shell").unlink()
    assert find_chromium("auto") == str(tmp_path / "chromium")
