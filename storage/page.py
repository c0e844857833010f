"""What extraction found on a page, as plain values.

Apart from storage.record so that the extraction workers, which build
these, do not load SQLAlchemy (23 MB of the fork server's image).
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
