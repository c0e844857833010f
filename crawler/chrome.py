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

from storywatch.churn import EDIT_NOTICE, SHORT

# A block this much link text is a list of links, not prose.
LINK_DENSITY = 0.6

_BLOCK_TAGS = frozenset({
    "p", "li", "h2", "h3", "h4", "h5", "h6", "td", "tr", "dd", "dt", "figcaption", "blockquote", "div", "span",
})
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


# trafilatura writes a list item as "- item" and a table row as "| a | b |",
# a bar inside a cell escaped ("Home \| Blog"): a line is matched to its
# block by its text without spaces, bars or bullet.
_BULLET = re.compile(r"^\s*- ")


def _block_key(text: str) -> str:
    return "".join(text.split()).replace("|", "")


def _line_key(line: str) -> str:
    return _block_key(_BULLET.sub("", line, count=1).replace("\\|", "|"))


def link_densities(tree: lxml.html.HtmlElement | None, lines: Sequence[str] | None = None) -> dict[str, float]:
    """Block text (without spaces and table bars) -> the share of it that is
    link text, for the page's blocks (the outermost of blocks with the same
    text); with ``lines``, only for the blocks those lines came from."""
    densities: dict[str, float] = {}
    if tree is None:
        return densities
    wanted = {_line_key(line) for line in lines} if lines is not None else None
    for element in tree.iter(*_BLOCK_TAGS):
        text = _block_key(element.text_content())
        if not text or len(text) > 2000 or text in densities or (wanted is not None and text not in wanted):
            continue
        linked = sum(len(_block_key(a.text_content())) for a in element.iter("a"))
        densities[text] = min(linked / len(text), 1.0)
    return densities


def is_chrome(paragraph: str, density: float | None) -> bool:
    text = _squash(paragraph)
    if not text or EDIT_NOTICE.match(text):
        return False
    if density is not None and density >= LINK_DENSITY:
        return True
    return len(text) <= SHORT and bool(_FURNITURE.search(text))


def chrome_paragraphs(paragraphs: Sequence[str], densities: dict[str, float]) -> tuple[int, ...]:
    """Indices of the paragraphs that are chrome."""
    return tuple(i for i, p in enumerate(paragraphs) if is_chrome(p, densities.get(_line_key(p))))
