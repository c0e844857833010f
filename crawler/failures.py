"""Why a fetch failed, as one short reason (``http_404``, ``timeout``,
``robots_disallowed``...), decided by the exception's type.

Two of Scrapy's refusals are plain ``IgnoreRequest``s told apart only by
their text; those texts are Scrapy's and are checked against the verified
Scrapy version in tests/test_library_internals.py."""

from __future__ import annotations

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from twisted.python.failure import Failure

from crawler.resolver import PrivateAddressRefused

# Scrapy's own IgnoreRequest texts (robotstxt.py, redirect.py).
SCRAPY_REFUSALS = {
    "Forbidden by robots.txt": "robots_disallowed",
    "max redirections reached": "redirect_loop",
}

# By exception class name: Twisted's and Scrapy's connection errors.
ERROR_NAMES = {
    "DNSLookupError": "dns_lookup_failed",
    "CannotResolveHostError": "dns_lookup_failed",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadTimeoutError": "timeout",
    "ConnectionRefusedError": "connection_refused",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionLost": "connection_lost",
    "ResponseFailed": "connection_lost",
    "ResponseNeverReceived": "no_response",
    # fetch = "browser" (scrapy-playwright, crawler/browser_handler.py)
    "TargetClosedError": "browser_crashed",
    "BrowserUnresponsive": "browser_unresponsive",
}


def failure_reason(failure: Failure) -> str:
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, PrivateAddressRefused):
        return "private_address"
    if isinstance(error, DownloadCancelledError):
        return "too_large"  # Scrapy cancels a download only at the size cap
    if isinstance(error, IgnoreRequest):
        if isinstance(error.__cause__, _DecompressionMaxSizeExceeded):
            return "too_large"
        return SCRAPY_REFUSALS.get(str(error), "ignored")
    name = type(error).__name__
    return ERROR_NAMES.get(name, name)
