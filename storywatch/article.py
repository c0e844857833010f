"""What extraction read from a page, as plain values: the one type every
package uses (the crawler builds it, storage records it, the digest and the
CLI show it).  A leaf like storywatch.config: standard library only, so the
extraction workers need not load SQLAlchemy and the crawl process, which
unpickles what the workers send, need not load trafilatura."""

from __future__ import annotations

import dataclasses
import datetime as dt

from storywatch.content import content_hash, identity_authors, identity_text


@dataclasses.dataclass(frozen=True, slots=True)
class Extracted:
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
    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    # Lines of the text that are the page around the article (link lists,
    # datelines, counters: crawler/chrome.py): kept in the text, left out of
    # the identity.
    chrome: tuple[int, ...] = ()
    # The content identity (storywatch.content.content_hash of title,
    # stated authors and body without its chrome); computed when not given.
    content_hash: str = ""
    # The outlet's selectors (crawler/selectors.py) that matched nothing on
    # this page: their fields came from the general extraction.
    selectors_missed: tuple[str, ...] = ()
    # The authors the page states (its JSON-LD or meta tags, or the outlet's
    # author selector), the ones the identity holds; None: the same as
    # ``authors``.  A byline guessed from the page's visible text is shown
    # but left out of the identity: it moves when the page around the
    # article does (a "More by ..." link, a rotated related list).
    stated_authors: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.content_hash:
            identity = identity_text(self.text, self.chrome)
            if self.is_partial and self.description:
                # A subscriber page shows little but its headline and
                # standfirst: a changed standfirst there is an edit.
                identity = f"{self.description}\n{identity}"
            object.__setattr__(self, "content_hash", content_hash(self.title, self.identity_authors, identity))

    @property
    def identity_authors(self) -> tuple[str, ...]:
        return identity_authors(self.authors, self.stated_authors)


# Why a page's own dates qualified the story query (crawler.admission).
BEFORE_SINCE = "before_since"  # matched, but published before the story
UPDATED_SINCE = "updated_since"  # an old page updated to mention the story


@dataclasses.dataclass(frozen=True, slots=True)
class Relevance:
    relevant: bool
    score: float
    terms: tuple[str, ...]
    # Why the page's dates overrode or qualified the query (crawler.admission):
    # "before_since" (matched, but an old page), "updated_since" (an old page
    # updated to mention the story); None when the query alone decided.
    admission: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Analysis:
    """What a worker sends back for one page."""

    content: Extracted
    relevance: Relevance
    # The page, compressed in the worker so the crawl process does not spend
    # its core on it; stored with a version when one is written.
    compressed_html: bytes = b""
    # Links inside an admitted article's body (follow-up coverage the crawl
    # may follow one hop); empty for pages not admitted.
    body_links: tuple[str, ...] = ()
    # The fingerprint of each line of the text (storywatch.templates), made
    # in the worker for its template lines and reused for the outlet's counts.
    line_prints: tuple[str | None, ...] = ()

    @property
    def canonical_url(self) -> str | None:
        return self.content.canonical_url
