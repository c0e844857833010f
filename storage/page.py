"""What extraction found on a page, as plain values: what the workers send
back to the crawl process.

Apart from storage.record so that the extraction workers, which build
these, do not load SQLAlchemy (23 MB of their shared image); apart from
crawler.analyse so that the crawl process, which unpickles them, does
not load trafilatura.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True, slots=True)
class PageContent:
    """What extraction read from a page, plus its content hash."""

    title: str | None
    authors: tuple[str, ...]
    published_at: dt.datetime | None
    modified_at: dt.datetime | None
    text: str
    description: str | None
    language: str | None
    tags: tuple[str, ...]
    is_partial: bool
    partial_reason: str | None
    extractor_version: str
    content_hash: str


@dataclasses.dataclass(frozen=True, slots=True)
class Relevance:
    relevant: bool
    score: float
    terms: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Analysis:
    content: PageContent
    relevance: Relevance
    canonical_url: str | None
    # The page, compressed here so the crawl process does not spend its
    # core on it; stored with a version when one is written.
    compressed_html: bytes = b""
