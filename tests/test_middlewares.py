"""The meta-refresh check that reads bytes before it decodes anything."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import LazyMetaRefreshMiddleware, may_hold_meta_refresh

REFRESH = b'<html><head><META HTTP-EQUIV="Refresh" content="0; url=/moved"></head><body>x</body></html>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<html><head><title>Sora</title></head><body>" + b"<p>text</p>" * 5000 + b"</body></html>", False),
        (REFRESH, True),
        (b"<script>autoRefresh()</script>", True),  # a false alarm is only slower
        (b"<p>" + b"x" * 20_000 + b'<meta http-equiv="refresh" content="0; url=/b">', False),  # past Scrapy's window
        ('<meta http-equiv="refresh" content="0; url=/b">'.encode("utf-16"), True),  # wide: never ruled out
        (b"", False),
    ],
)
def test_only_a_page_that_may_declare_a_refresh_is_decoded(body: bytes, expected: bool) -> None:
    assert may_hold_meta_refresh(body) is expected


def _middleware() -> LazyMetaRefreshMiddleware:
    return LazyMetaRefreshMiddleware.from_crawler(get_crawler())


def test_a_meta_refresh_is_still_followed() -> None:
    request = Request("https://verge.test/old")
    response = HtmlResponse(request.url, body=REFRESH, request=request)
    redirected = _middleware().process_response(request, response)
    assert isinstance(redirected, Request)
    assert redirected.url == "https://verge.test/moved"


def test_an_ordinary_page_passes_through_undecoded() -> None:
    request = Request("https://verge.test/a")
    body = b"<html><head><title>Sora</title></head><body>" + "<p>caf\u00e9</p>".encode() * 2000 + b"</body></html>"
    response = HtmlResponse(request.url, body=body, request=request)
    assert _middleware().process_response(request, response) is response
    # Scrapy caches a decoded copy of the body on the response when it reads
    # response.text: for a page in flight, up to four times its size.
    assert getattr(response, "_cached_ubody", None) is None
