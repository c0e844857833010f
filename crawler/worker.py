"""The entry point the extraction pool runs, kept apart from crawler.analyse so
the crawl process itself never imports trafilatura (only its workers do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.memory import release_free_memory, resident_bytes

if TYPE_CHECKING:
    from storage.page import Analysis

# A worker starts near 115 MB resident, most of it shared with the fork
# server (crawler.preload).  Past this, a large page's tree has left freed
# memory behind and the worker hands it back (measured: 10-15 MB less per
# worker than trimming past 160 MB, no measurable CPU).
TRIM_ABOVE_BYTES = 136 * 1024 * 1024


def analyse(body: bytes, url: str, http_charset: str | None, query: str) -> Analysis | None:
    from crawler.analyse import analyse_page

    try:
        return analyse_page(body, url, http_charset, query)
    finally:
        if resident_bytes() > TRIM_ABOVE_BYTES:
            release_free_memory()


def warm_up() -> None:
    """Start a worker before the first page arrives (the fork server has
    already loaded the extractor: see crawler.preload)."""
