"""Each outlet's template, learnt from its own pages: lines of extracted
text that recur across many of an outlet's articles (a newsletter box, a
"Follow us" line, a footer, the same widget) are the page around the
article, not the article, and are left out of the version identity.

Only fingerprints and counts are kept (storage: ``template_block``), never
text.  A crawl judges every page under one snapshot of the table, taken
when it starts; each version records the snapshot's ``template_version``,
and a baseline made under another snapshot is identified again under this
one before anything is called an edit, so a block crossing the threshold
never makes a wave of false versions.  A leaf: standard library only."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence

from storywatch.article import Extracted
from storywatch.content import normalise_text

# A line is template when at least this many of the outlet's pages show
# it, and at least this share of them: stock phrases of news prose ("did
# not respond to a request for comment") recur on a few pages, furniture on
# most.
MIN_PAGES = 5
MIN_SHARE = 0.3
PRINT_LENGTH = 16


def block_print(line: str) -> str:
    """The fingerprint of one line of text (normalised, case folded)."""
    return hashlib.sha256(normalise_text(line).casefold().encode("utf-8")).hexdigest()[:PRINT_LENGTH]


def line_prints(text: str) -> tuple[str | None, ...]:
    """The fingerprint of each line of a text (None for a blank one)."""
    return tuple(block_print(line) if line.strip() else None for line in text.split("\n"))


def page_prints(text: str) -> frozenset[str]:
    """The fingerprints of a page's lines, each once."""
    return frozenset(p for p in line_prints(text) if p)


@dataclasses.dataclass(frozen=True, slots=True)
class TemplateSnapshot:
    """The template lines of one outlet, as one crawl judges them."""

    version: str = ""  # "" while nothing is template yet
    prints: frozenset[str] = frozenset()


EMPTY = TemplateSnapshot()


def pages_needed(pages: int) -> float:
    """How many of an outlet's ``pages`` must show a line for it to be template."""
    return max(MIN_PAGES, MIN_SHARE * pages)


def snapshot(counts: Iterable[tuple[str, int]], pages: int) -> TemplateSnapshot:
    """The template of an outlet: the fingerprints shown by enough of its
    ``pages`` (``counts``: fingerprint, pages showing it)."""
    needed = pages_needed(pages)
    prints = frozenset(fingerprint for fingerprint, count in counts if count >= needed)
    if not prints:
        return EMPTY
    version = hashlib.sha256("\n".join(sorted(prints)).encode("ascii")).hexdigest()[:PRINT_LENGTH]
    return TemplateSnapshot(version, prints)


def template_lines(text: str, template: TemplateSnapshot, prints: Sequence[str | None] | None = None
                   ) -> tuple[int, ...]:
    """Indices of the text's lines that are template (``prints``: the
    text's line_prints, when already made)."""
    if not template.prints:
        return ()
    prints = line_prints(text) if prints is None else prints
    return tuple(i for i, fingerprint in enumerate(prints) if fingerprint in template.prints)


def under_template(content: Extracted, template: TemplateSnapshot, prints: Sequence[str | None] | None = None
                   ) -> Extracted:
    """The page as this snapshot judges it: its template lines join its
    chrome (kept in the text, left out of the identity)."""
    lines = template_lines(content.text, template, prints)
    if not lines:
        return content
    chrome = tuple(sorted(set(content.chrome) | set(lines)))
    return dataclasses.replace(content, chrome=chrome, content_hash="")


def print_changes(before: Iterable[str], after: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(added, removed) fingerprints between two fetches of one page."""
    old, new = frozenset(before), frozenset(after)
    return new - old, old - new
