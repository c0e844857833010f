"""The web view under test: the real ``storywatch serve`` in a subprocess,
and headless Chromium's rendered DOM of its pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from sqlalchemy import Engine, event

from crawler.browser import CHROMIUM_ARGS, find_chromium
from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(config: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``storywatch serve`` on a free loopback port; yields its base URL."""
    port = free_port()
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("STORYWATCH_CONFIG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "--config", str(config), "serve", "--port", str(port)],
        env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=config.parent,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(f"storywatch serve exited {process.returncode}: {process.stderr.read() if process.stderr else ''}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            # TimeoutError: listening, but the first answer took over 2 s (a
            # loaded machine); ask again until the deadline.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise AssertionError("storywatch serve did not answer within 30 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def chromium() -> str:
    found = find_chromium("auto")  # as a crawl's default finds it
    if found is None:
        pytest.skip("Chromium is not installed here (.ci/run installs Debian's chromium-headless-shell and chromium)")
    return found


class Renderer:
    """One headless Chromium (Debian's, driven by Playwright) for a test
    module's pages: the DOM of each page after it loaded."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        # Found (or the test skipped) before Playwright starts: a skip
        # after it would leave its event loop running in this thread, and
        # every later asyncio.run() in the worker would fail.
        executable = chromium()
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))

    def __call__(self, url: str) -> lxml.html.HtmlElement:
        page = self._browser.new_page()
        try:
            page.goto(url, wait_until="load", timeout=60_000)
            html = page.content()
        finally:
            page.close()
        assert html.strip(), f"Chromium rendered nothing for {url}"
        return lxml.html.fromstring(html)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


# -- in process: the app called as ASGI, its SQL counted and explained --------


def asgi_get(app: Any, path: str) -> tuple[int, dict[str, str], bytes]:
    """One GET through the ASGI app in this process (no socket)."""
    target, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": target, "raw_path": target.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: a Playwright browser in this thread keeps an event loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


class QueryLog:
    """The statements an engine runs, with their parameters."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if not statement.lstrip().upper().startswith(("EXPLAIN", "PRAGMA", "BEGIN", "SELECT 1")):
            self.statements.append((statement, parameters))

    def take(self) -> list[tuple[str, Any]]:
        taken, self.statements = self.statements, []
        return taken


# Tables small by nature: the configured outlets.
SMALL_TABLES = frozenset({"outlet"})


def plan_lines(database: Path, statements: list[tuple[str, Any]]) -> list[str]:
    """SQLite's query plan of each statement, line by line."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return [str(row[-1]) for statement, parameters in statements
                for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def plan_problems(database: Path, statements: list[tuple[str, Any]]) -> list[str]:
    """A full scan of a table (not through an index, not a tiny table, not a
    derived table) in any statement's plan."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    problems = []
    for statement in statements:
        for detail in plan_lines(database, [statement]):
            match = re.match(r"SCAN (\w+)", detail)
            if match and match.group(1) in tables - SMALL_TABLES and "USING" not in detail and "VIRTUAL TABLE" not in detail:
                problems.append(f"{detail}  <-  {' '.join(statement[0].split())[:300]}")
    return problems
