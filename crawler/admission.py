"""Admission: whether a page is coverage of the story, from its article (the
story query) and its own dates (the date gate).  Pure; the crawl, ``rematch``
and ``query test`` all decide through ``admit``.

The query reads the title, the description and the article's text: the
body without the lines marked as the page around it (its chrome and its
outlet's template lines, the lines the version identity leaves out:
``storywatch.content.identity_text``).  A page that names the story only
in a related-stories list, a "most read" box or a trending bar links to
coverage; it is not coverage.  And the query's ``lead`` (the first 120
words) starts at the article, not at a breadcrumb or a share row.

The date gate: a page whose own published date is before ``story.since`` is
coverage only when it matches *and* its own modified date (JSON-LD
``dateModified``, ``article:modified_time``; never HTTP Last-Modified or a
sitemap's lastmod, which move on redeploys) is on or after ``since``: an old
page updated to mention the story (admission ``updated_since``).  Otherwise
it is recorded as not relevant with the admission ``before_since``.  A page
with no published date is judged by the query alone.  Dates compare as UTC
calendar days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from crawler.match import StoryQuery
from storywatch.article import BEFORE_SINCE, UPDATED_SINCE, Relevance
from storywatch.content import identity_text


class ReadPage(Protocol):
    """What admission reads of a page: an Extracted, or a stored text."""

    @property
    def title(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def chrome(self) -> Sequence[int] | None: ...  # the text's lines that are not the article
    @property
    def published_at(self) -> dt.datetime | None: ...
    @property
    def modified_at(self) -> dt.datetime | None: ...


def date_gate(published: dt.datetime | None, modified: dt.datetime | None, since: dt.date) -> str | None:
    """None when the dates let the query decide; else the admission reason."""
    if published is None or _day(published) >= since:
        return None
    if modified is not None and _day(modified) >= since:
        return UPDATED_SINCE
    return BEFORE_SINCE


def admit(query: StoryQuery, page: ReadPage, since: dt.date) -> Relevance:
    match = query.match(page.title, page.description, identity_text(page.text, page.chrome))
    if not match.relevant:
        return Relevance(False, 0.0, match.terms)
    gate = date_gate(page.published_at, page.modified_at, since)
    if gate == BEFORE_SINCE:
        return Relevance(False, 0.0, match.terms, BEFORE_SINCE)
    return Relevance(True, match.score, match.terms, gate)


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date() if moment.tzinfo else moment.date()
