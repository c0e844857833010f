"""scrapy-playwright's download handler with a hard deadline per page.

A page has ``browser_timeout`` to load, but a browser that dies under an
open page can leave Playwright waiting on the dead page for ever (Scrapy's
DOWNLOAD_TIMEOUT does not reach a download handler's own awaits).  Past the
deadline the page fails with ``BrowserUnresponsive`` and the browser is
killed, so the next page starts a fresh one and the crawl goes on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.browser import marked_browsers

log = logging.getLogger(__name__)

# Setting: seconds one page may take in all (its retries after a crash included).
DEADLINE_SETTING = "STORYWATCH_BROWSER_DEADLINE"
FORGET_SECONDS = 5.0
# Playwright's node driver keeps garbage from every page until its heap is
# large; a small heap makes it collect: 123 MB instead of 200 MB at 100
# real pages (bench/README.md).  Unless NODE_OPTIONS is already set.
DRIVER_NODE_OPTIONS = "--max-old-space-size=64 --max-semi-space-size=1"


class BrowserUnresponsive(Exception):
    """The browser did not finish a page by its deadline."""


class DeadlineDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        # Playwright's node driver inherits this process's environment.
        os.environ.setdefault("NODE_OPTIONS", DRIVER_NODE_OPTIONS)
        super().__init__(crawler)
        self.deadline = crawler.settings.getfloat(DEADLINE_SETTING, 120.0)

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        try:
            response: Response = await asyncio.wait_for(super()._download_request(request, spider), self.deadline)
        except TimeoutError:
            log.warning("the browser did not finish %s in %.0f s; starting a new one", request.url, self.deadline)
            await self._close_browser()
            raise BrowserUnresponsive(f"no answer in {self.deadline:.0f} s") from None
        return response

    async def _close_browser(self) -> None:
        """Kill this crawl's browser: a browser that stopped answering would
        not answer a close either.  scrapy-playwright's disconnect callback
        then forgets it, and the next page launches a new one."""
        browser: Any = getattr(self, "browser", None)
        if browser is None:
            return
        for pid in marked_browsers(os.getpid()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for _ in range(int(FORGET_SECONDS / 0.1)):
            if getattr(self, "browser", None) is not browser:
                return
            await asyncio.sleep(0.1)
        self.context_wrappers.clear()  # no disconnect came: forget it here
        del self.browser
