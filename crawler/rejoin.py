"""Paragraphs put back together where the extractor split them at the
page source's line breaks.  Pure; tested on small pages.

A browser shows the line breaks of a paragraph's source as spaces.
trafilatura's own reading collapses them too, but the text of its
fallback extractors keeps them, and its last step makes each a line:
"Mitte Januar 2022 hat" / "Strava" / "ein Update ..." for a ``<p>``
whose link sits on a source line of its own, a blog's hard-wrapped
paragraphs one line per source line.  Such a sentence's pieces are
short lines without a full stop, page furniture to the version
identity, so an edit inside them made no version.  A block's pieces
found as consecutive lines of the body are joined into the one line the
page shows.  A ``<br>`` is a line break the page shows: a block holding
one is left as it is, and so is a block holding other blocks (their own
lines), preformatted text and a script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import lxml.etree
import lxml.html

# Blocks whose source line breaks the page shows as spaces; a list item's
# line opens with the extractor's "- ".
_JOINED_TAGS = frozenset({
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "blockquote", "div",
})
# Inside a block: a line of its own (or kept as it is, ``pre``), or text
# a browser does not show, whose lines an extractor may keep as they are
# (a script's).
_LINE_TAGS = (
    "br", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "table", "tr", "td", "th", "pre", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "section", "article", "aside", "header",
    "footer", "nav", "form", "hr", "textarea", "script", "style", "noscript", "template",
)
_LIST_MARK = "- "


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _leaf_blocks(tree: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The blocks holding no line of their own, outside preformatted text.
    Marked upwards from each line-making element, each ancestor once (one
    already marked has its own marked), not searched downwards from each
    block: a page's outer blocks hold most of it."""
    holding: set[lxml.html.HtmlElement] = set()
    for element in tree.iter(*_LINE_TAGS):
        parent = element.getparent()
        while parent is not None and parent not in holding:
            holding.add(parent)
            parent = parent.getparent()
    preformatted = {inner for outer in tree.iter("pre", "textarea") for inner in outer.iter()}
    return (block for block in tree.iter(*_JOINED_TAGS) if block not in holding and block not in preformatted)


def _source_pieces(tree: lxml.html.HtmlElement) -> Iterator[list[str]]:
    """Each leaf block's text split at its source line breaks, when there
    are two pieces or more."""
    for block in _leaf_blocks(tree):
        text = block.text_content()
        if "\n" not in text.strip():
            continue
        pieces = [piece for piece in map(_squashed, text.split("\n")) if piece]
        if len(pieces) > 1:
            yield pieces


def kept_source_breaks(body: lxml.etree._Element | None) -> bool:
    """Whether the extractor's tree of the body (trafilatura's
    ``Document.body``) holds a text with a source line break: its own
    reading trims every text, a fallback's keeps them.  Only then can its
    text be split (checked on the corpora: the same text on every page
    without one), and the page's blocks need no reading."""
    return body is not None and any("\n" in text for text in body.itertext())


def rejoin_split_blocks(text: str, tree: lxml.html.HtmlElement | None) -> str:
    """``text`` with each run of lines that is one block of ``tree`` split at
    its source line breaks joined into one line (the first keeps a list
    item's "- ")."""
    if tree is None or "\n" not in text:
        return text
    lines = text.split("\n")
    starts: defaultdict[str, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        starts[_squashed(line).removeprefix(_LIST_MARK)].append(index)
    joined: dict[int, int] = {}  # first line -> one past the last
    for pieces in _source_pieces(tree):
        for start in starts.get(pieces[0], ()):
            end = start + len(pieces)
            if start in joined or end > len(lines):
                continue
            if [_squashed(line) for line in lines[start + 1:end]] == pieces[1:] and not any(
                    start < first < end or first < start < last for first, last in joined.items()):
                joined[start] = end
                break
    if not joined:
        return text
    out: list[str] = []
    index = 0
    while index < len(lines):
        last = joined.get(index, index + 1)
        out.append(" ".join(map(_squashed, lines[index:last])) if last > index + 1 else lines[index])
        index = last
    return "\n".join(out)
