"""The entry point the extraction pool runs, kept apart from crawler.analyse so
the crawl process itself never imports trafilatura (only its workers do)."""

from __future__ import annotations

import ctypes
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.analyse import Analysis

# Extraction builds large lxml trees; glibc keeps the freed memory. Past
# this resident size a worker hands it back, so memory stays flat.
TRIM_ABOVE_BYTES = 96 * 1024 * 1024
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def analyse(body: bytes, url: str, http_charset: str | None, query: str) -> Analysis | None:
    from crawler.analyse import analyse_page

    try:
        return analyse_page(body, url, http_charset, query)
    finally:
        if _resident_bytes() > TRIM_ABOVE_BYTES:
            _malloc_trim()


def warm_up() -> None:
    """Import the extractor in a fresh worker before the first page arrives."""
    import crawler.analyse  # noqa: F401


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _malloc_trim() -> None:
    # By soname: ctypes.util.find_library would run ldconfig in a subprocess.
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc
