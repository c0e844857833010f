"""The CPU-heavy part of a fetch, run in worker processes: extract the page,
hash its content, match the story query."""

from __future__ import annotations

import functools

from crawler.extract import extract_article
from crawler.match import StoryQuery
from crawler.textdecode import decode_html
from storage.content import compress_html, content_hash
from storage.page import Analysis, PageContent, Relevance


@functools.lru_cache(maxsize=4)
def _compiled(query: str) -> StoryQuery:
    return StoryQuery(query)


def analyse_page(body: bytes, url: str, http_charset: str | None, query: str) -> Analysis | None:
    """Extract, hash and match one page; None when it holds no readable text."""
    extracted = extract_article(decode_html(body, http_charset), url)
    if extracted is None:
        return None
    content = PageContent(
        title=extracted.title,
        authors=extracted.authors,
        published_at=extracted.published_at,
        modified_at=extracted.modified_at,
        text=extracted.text,
        description=extracted.description,
        language=extracted.language,
        tags=extracted.tags,
        is_partial=extracted.is_partial,
        partial_reason=extracted.partial_reason,
        extractor_version=extracted.extractor_version,
        content_hash=content_hash(extracted.title, extracted.authors, extracted.text),
    )
    match = _compiled(query).match(extracted.title, extracted.description, extracted.text)
    return Analysis(
        content, Relevance(match.relevant, match.score, match.terms), extracted.canonical_url, compress_html(body)
    )
