"""A failed fetch's reason comes from the exception's type, not its wording."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.python.failure import Failure

from crawler.failures import failure_reason
from crawler.resolver import PrivateAddressRefused


def _decompression_bomb() -> IgnoreRequest:
    try:
        try:
            raise _DecompressionMaxSizeExceeded(3_000_000, 2_000_000)
        except _DecompressionMaxSizeExceeded as exc:
            raise IgnoreRequest("Ignored response <200 https://a.example/> because its body ...") from exc
    except IgnoreRequest as error:
        return error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (HttpError(Response("https://a.example/", status=404, request=Request("https://a.example/")), "404"), "http_404"),
        (PrivateAddressRefused("a.example resolves to a non-public address 10.0.0.1 (refused)"), "private_address"),
        (DNSLookupError("a.example"), "dns_lookup_failed"),
        (DownloadCancelledError("Cancelling download of https://a.example/: expected response size ..."), "too_large"),
        (_decompression_bomb(), "too_large"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        # A message that merely mentions a redirect is not a redirect loop.
        (IgnoreRequest("Filtered offsite request to 'b.example' after a redirect"), "ignored"),
        (TCPTimedOutError(), "timeout"),
    ],
)
def test_failure_reason_by_type(error: BaseException, reason: str) -> None:
    assert failure_reason(Failure(error)) == reason
