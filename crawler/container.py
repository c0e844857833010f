"""The body's container: the element of the page the extracted body came
from, and what the extractor kept after it.  Pure; tested on small pages.

The container is the deepest element holding most of the blocks the
body's lines came from (``crawler.blocks.line_blocks``).  trafilatura
sometimes reads on past it: readers' comments it did not know for
comments, a newsletter box, a "related" list, an author's bio, share
buttons, a cookie notice.  A run of lines at the end of the body whose
blocks all lie after the container, outside it, is that, and is cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import lxml.html

from crawler.blocks import is_segment, line_key
from storywatch.churn import is_edit_notice
from storywatch.content import normalise_text

# A block shorter than this (letters, no spaces) does not place the body
# (a bare "Share" button).
PLACING_CHARS = 25
# The container holds this share of the blocks placed.
_CONTAINER_SHARE = 0.8


def placing_blocks(blocks: Mapping[str, lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """The blocks that place the body, in the page's order, each once: a
    paragraph split by breaks into many lines is one block, as it is in
    the page (it would otherwise pull the container down into it)."""
    return list(dict.fromkeys(element for text, element in blocks.items() if len(text) >= PLACING_CHARS))


def body_container(placing: Sequence[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The deepest element holding most of the body's blocks; None when
    fewer than two blocks place the body."""
    if len(placing) < 2:
        return None
    holding: Counter[lxml.html.HtmlElement] = Counter()
    for block in placing:
        holding.update(block.iterancestors())
    candidates = [e for e, n in holding.items() if n >= _CONTAINER_SHARE * len(placing)]
    if not candidates:
        return None
    return max(candidates, key=lambda e: sum(1 for _ in e.iterancestors()))


def trailing_outside(tree: lxml.html.HtmlElement, lines: Sequence[str], blocks: Mapping[str, lxml.html.HtmlElement],
                     container: lxml.html.HtmlElement) -> int:
    """How many lines at the end of the body came from after its
    container: the longest run of lines at the end that are either from a
    block after the container or from no block found, holding at least
    one of the former."""
    inside = set(container.iter())
    position: dict[lxml.html.HtmlElement, int] = {}
    end = 0
    run = 0
    outside = 0
    for line in reversed(lines):
        if is_edit_notice(normalise_text(line)):
            break  # a correction box after the body is the article's
        key = line_key(line)
        element = blocks.get(key)
        # A blank line, a block not found, or one line of a paragraph
        # split by breaks: a membership promo or a "related" list typed
        # into the body's last paragraph says nothing of where it ends.
        if element is None or is_segment(key, element):
            run += 1
            continue
        if element in inside:
            break
        if not position:  # most bodies end inside their container: only then
            position = {e: i for i, e in enumerate(tree.iter())}
            end = max(position[e] for e in inside)
        if position.get(element, -1) < end:
            break
        run += 1
        outside += 1
    return run if outside else 0
