"""``fetch = "browser"``: article pages rendered by headless Chromium through
scrapy-playwright, for pages whose text is written by script.

Only crawls that include such an outlet install the Playwright download
handler (other requests still go through Scrapy's own HTTP handler); one
browser per crawl, one page per article, closed after use; images, fonts
and media are not loaded; each page has a timeout; the browser's own
requests obey the host guard (the crawl's outlets' hosts, no private
addresses unless allowed).  Playwright cannot download its own browser
here, so Debian's ``chromium`` is launched through ``executable_path``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from crawler.urls import HostPolicy

# Flags for a quiet headless Chromium on a closed network (no background
# connections to Google's hosts, no first-run work); --no-sandbox because
# crawls may run as root in containers.
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    # Memory: no extensions, no software GL, a smaller script heap.  Not one
    # renderer for all pages: a page whose script loops would stall the rest.
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--disable-extensions", "--disable-software-rasterizer", "--js-flags=--max-old-space-size=256",
)
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
# On every browser's command line, with the crawl process's PID: a leftover is identifiable.
MARKER = "--storywatch-crawl"


# "auto": the old headless shell first (Debian's chromium-headless-shell:
# at 30 real pages here a third less memory and three times the pages/s of
# the full browser, bench/README.md), then the full browser.
AUTO = ("chromium-headless-shell", "chromium")


def marked_browsers(crawl_pid: int) -> list[int]:
    """The Chromium processes launched for this crawl (their command line
    carries MARKER with the crawl's PID); [] where /proc is not readable."""
    marker = f"{MARKER}={crawl_pid}".encode()
    found = []
    try:
        entries = list(os.scandir("/proc"))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                arguments = handle.read().split(b"\0")
        except OSError:
            continue
        if marker in arguments:
            found.append(int(entry.name))
    return found


def find_chromium(name: str) -> str | None:
    """The Chromium executable: a command on PATH, or a path; "auto" is the
    first of AUTO found."""
    if name == "auto":
        return next((found for found in map(find_chromium, AUTO) if found), None)
    if os.sep in name:
        return name if os.access(name, os.X_OK) else None
    return shutil.which(name)


def abort_request(hosts: Iterable[str], allow_private: bool) -> Callable[[Any], Awaitable[bool]]:
    """scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST: a request the browser
    makes is aborted when it is an image, font or media, or when the host
    guard refuses its URL (another host, a private address)."""
    policy = HostPolicy(frozenset(hosts), allow_private)

    async def abort(request: Any) -> bool:
        if request.resource_type in BLOCKED_RESOURCES:
            return True
        return policy.refusal(request.url) is not None

    return abort


def playwright_settings(executable: str, timeout_seconds: float, hosts: Iterable[str], allow_private: bool
                        ) -> dict[str, Any]:
    """The Scrapy settings that add the browser to a crawl."""
    timeout_ms = int(timeout_seconds * 1000)
    return {
        "DOWNLOAD_HANDLERS": {
            "http": "crawler.browser_handler.DeadlineDownloadHandler",
            "https": "crawler.browser_handler.DeadlineDownloadHandler",
        },
        # A page that crashed the browser is tried once more in a new one.
        "PLAYWRIGHT_TARGET_CLOSED_MAX_RETRIES": 1,
        # Beyond its render: the browser's start and one retry after a crash.
        "STORYWATCH_BROWSER_DEADLINE": 2 * timeout_seconds + 10,
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": executable,
            "headless": True,
            "args": [*CHROMIUM_ARGS, f"{MARKER}={os.getpid()}"],  # the crawl process
            "timeout": timeout_ms,
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
        # A callable, not a scalar: scrapy-playwright's hook takes one; it
        # is built from plain values (the crawl's hosts).
        "PLAYWRIGHT_ABORT_REQUEST": abort_request(hosts, allow_private),
    }
