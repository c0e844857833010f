"""The CPU-heavy part of a fetch, run in worker processes: extract the page
(which hashes its content), match the story query."""

from __future__ import annotations

import functools

from crawler.extract import extract_article
from crawler.match import StoryQuery
from crawler.textdecode import decode_html
from storywatch.article import Analysis, Relevance
from storywatch.content import compress_html


@functools.lru_cache(maxsize=4)
def _compiled(query: str) -> StoryQuery:
    return StoryQuery(query)


def analyse_page(body: bytes, url: str, http_charset: str | None, query: str) -> Analysis | None:
    """Extract, hash and match one page; None when it holds no readable text."""
    extracted = extract_article(decode_html(body, http_charset), url)
    if extracted is None:
        return None
    match = _compiled(query).match(extracted.title, extracted.description, extracted.text)
    return Analysis(extracted, Relevance(match.relevant, match.score, match.terms), compress_html(body))
