"""The CPU-heavy part of a fetch, run in worker processes: extract the page
(which hashes its content), judge it under the crawl's snapshot of its
outlet's template, admit it (story query and date gate)."""

from __future__ import annotations

import datetime as dt
import functools

from crawler.admission import admit
from crawler.discovery import links_in_body
from crawler.extract import read_article
from crawler.match import StoryQuery
from crawler.textdecode import page_html
from storywatch.article import Analysis
from storywatch.content import compress_html
from storywatch.templates import EMPTY, TemplateSnapshot, line_prints, under_template


@functools.lru_cache(maxsize=4)
def _compiled(query: str) -> StoryQuery:
    return StoryQuery(query)


def analyse_page(
    body: bytes, url: str, http_charset: str | None, query: str, since: dt.date,
    selectors: tuple[tuple[str, str], ...] = (), template: TemplateSnapshot = EMPTY,
) -> Analysis | None:
    """Extract (with the outlet's selectors), hash and admit one page; None
    when it holds no readable text.  Its template lines join its chrome
    before either: the identity and the query read the same article."""
    extracted, tree = read_article(page_html(body, http_charset), url, selectors)
    if extracted is None:
        return None
    prints = line_prints(extracted.text)
    content = under_template(extracted, template, prints)
    relevance = admit(_compiled(query), content, since)
    links = tuple(links_in_body(tree, url)) if relevance.relevant and tree is not None else ()
    return Analysis(content, relevance, compress_html(body), links, prints)
