"""Chrome inside an extracted body: paragraphs that are the page around the
article (link lists, datelines, counters, share and promo lines) even though
the extractor kept them.  They stay in the stored text (a reader sees what
the page said) but are left out of the version identity, so the page
changing around an article is not an edit.  Pure; tested on strings.

A paragraph is chrome when

- the block it came from is mostly link text (a related-stories list, a
  "Read more: <link>" line, a previous/next post link), or
- it is short and reads as page furniture: a relative time or a dateline
  ("3 hours ago", "Updated Nov 27, 2024 10:42"), a counter ("1,234
  comments", "5 min read"), a share, follow, subscribe or advertisement
  line, a copyright line.

Never chrome, however short or linked: an "Update:", "Correction:",
"Clarification:" or "Editor's note:" line -- those are the edits a reader
most needs to see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.html

# A block this much link text is a list of links, not prose.
LINK_DENSITY = 0.6
# Furniture lines are short; a long paragraph that happens to start with
# "Related" is prose.
SHORT = 100

_BLOCK_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "td", "dd", "dt", "figcaption", "blockquote", "div", "span"})
# "Update, Nov 27: ..." is a notice; "Updated Nov 27, 2024 10:42" (a colon
# inside a time) is a dateline.
_EDIT_NOTICE = re.compile(r"^\W*(?:update[sd]?|correction|clarification|editor['’]?s note)\b[^\n]{0,40}?:(?!\d)\s*\S", re.I)
_FURNITURE = re.compile(
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
    r"|^\W*(?:published|updated|posted|last updated|first published|modified)\b[^.!?]{0,60}$"
    r"|\b\d[\d,.]*\s*(?:k\s+)?(?:comments?|shares?|views?|reads?|likes?|min(?:ute)?s?\s+read)\b"
    r"|^\W*(?:advertisement|sponsored|share(?: this)?(?: article| story)?|follow us|subscribe|sign up"
    r"|read more|related(?: articles?| stories| coverage)?|see also|more from|most (?:read|popular)|recommended)\b"
    r"|©|\ball rights reserved\b",
    re.I,
)


def _squash(text: str) -> str:
    return " ".join(text.split())


def link_densities(tree: lxml.html.HtmlElement | None) -> dict[str, float]:
    """Block text (whitespace folded) -> the share of it that is link text,
    for the page's leaf-most blocks."""
    densities: dict[str, float] = {}
    if tree is None:
        return densities
    for element in tree.iter(*_BLOCK_TAGS):
        text = _squash(element.text_content())
        if not text or len(text) > 2000 or text in densities:
            continue
        linked = sum(len(_squash(a.text_content())) for a in element.iter("a"))
        densities[text] = min(linked / len(text), 1.0)
    return densities


def is_chrome(paragraph: str, density: float | None) -> bool:
    text = _squash(paragraph)
    if not text or _EDIT_NOTICE.match(text):
        return False
    if density is not None and density >= LINK_DENSITY:
        return True
    return len(text) <= SHORT and bool(_FURNITURE.search(text))


def chrome_paragraphs(paragraphs: Sequence[str], densities: dict[str, float]) -> tuple[int, ...]:
    """Indices of the paragraphs that are chrome."""
    return tuple(i for i, p in enumerate(paragraphs) if is_chrome(p, densities.get(_squash(p))))
