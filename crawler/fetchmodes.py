"""How an outlet's article pages are read: the plug-in point for outlets
that need more than a plain HTTP fetch (``[[outlets]] fetch``).

A mode decides only which URL reads an article and how the answer becomes
the page the extractor reads; discovery, robots.txt, politeness, the host
guard, conditional GET, revisits and versions are the same for every mode.

- ``http``: the article URL itself, its HTML.
- ``msn``: MSN's content API (crawler/msn.py): the request goes to
  ``{api_base}/{market}/{ID}``, the JSON is stored as the page's bytes, and
  extraction reads it as a small HTML document (crawler.extract).
- ``browser``: the article URL, rendered by headless Chromium through
  scrapy-playwright (crawler/browser.py); the rendered DOM is the page.
  Revisits send no validators: a 304 on a script-built shell says nothing
  about the text its scripts load, so the text is rendered and compared."""

from __future__ import annotations

from crawler.msn import DEFAULT_API_BASE, content_api_url
from storywatch.config import OutletConfig


class NoFetchUrl(ValueError):
    """This mode cannot read that article URL (the reason is a stats key)."""


def api_base(outlet: OutletConfig) -> str:
    return outlet.api_base or DEFAULT_API_BASE


def fetch_url(mode: str, article_url: str, api: str | None) -> str:
    """The URL to request for an article; NoFetchUrl when the mode cannot
    read it (an MSN URL without its ``ar-`` ID)."""
    if mode == "msn":
        found = content_api_url(article_url, api or DEFAULT_API_BASE)
        if found is None:
            raise NoFetchUrl("msn_no_id")
        return found
    return article_url


def request_meta(mode: str) -> dict[str, object]:
    """What a mode adds to an article request's meta."""
    if mode == "browser":
        # The load event: inline and loaded scripts have run; a page whose
        # load never comes ends at the navigation timeout.
        return {"playwright": True, "playwright_page_goto_kwargs": {"wait_until": "load"}}
    return {}


def uses_validators(mode: str) -> bool:
    """Whether a revisit sends the stored ETag / Last-Modified."""
    return mode != "browser"
