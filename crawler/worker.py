"""The entry point the extraction pool runs, kept apart from crawler.analyse so
the crawl process itself never imports trafilatura (only its workers do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from storywatch.article import Analysis
    from storywatch.templates import TemplateSnapshot


def analyse(
    body: bytes, url: str, http_charset: str | None, query: str, since: dt.date,
    selectors: tuple[tuple[str, str], ...] = (), template: TemplateSnapshot | None = None,
) -> Analysis | None:
    from crawler.analyse import analyse_page
    from storywatch.templates import EMPTY

    return analyse_page(body, url, http_charset, query, since, selectors, template or EMPTY)

