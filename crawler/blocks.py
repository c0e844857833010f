"""Which block of the page each line of an extracted body came from, and
how much of that block is link text.  Pure; tested on small pages.

trafilatura gives lines, not elements.  A line is found again by its text
without spaces (the *block key*): the outermost block element with exactly
that text.  A paragraph split by ``<br>`` (an address, a poem, a list of
links typed into one ``<p>``) comes out as one line a piece; none of them
is the text of an element, so each is found as a *segment*: the text
between two breaks of the paragraph-level element around them.  The
link density of a segment is its own, not its paragraph's.  A text on
the page twice is found at its first place; once the body's container
is known, a line found first outside it and again inside it is the
block inside (``prefer_inside``).

The container (``crawler.container``), the standfirst and the asides read
these elements; the chrome rules read the densities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import lxml.etree
import lxml.html

from storywatch.churn import says_only_when

_BLOCK_TAGS = frozenset({
    "p", "li", "h2", "h3", "h4", "h5", "h6", "td", "tr", "dd", "dt", "figcaption", "blockquote", "div", "span",
})
# What a <br> splits into lines: the nearest element around it that
# starts a line of its own (a <div> too: bodies typed straight into one).
_SEGMENTED_TAGS = frozenset({
    "div", "p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "figcaption", "blockquote",
})
# Elements that end a segment and whose text is a line of its own.
_BREAKING_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
UNREAD_TAGS = frozenset({"script", "style", "noscript", "template"})
# trafilatura writes a list item as "- item" and a table row as "| a | b |",
# a bar inside a cell escaped ("Home \| Blog"): a line is matched to its
# block by its text without spaces, bars or bullet.
LIST_BULLET = re.compile(r"^\s*- ")
# A block this much link text is a list of links, not prose.
LINK_DENSITY = 0.6


def printable(text: str) -> str:
    """``text`` without the characters trafilatura drops from what it
    reads: those that print nothing and are not spaces (a soft hyphen, a
    zero-width space or joiner, a byte-order mark)."""
    if text.isprintable():  # most text: one pass in C
        return text
    return "".join(c for c in text if c.isprintable() or c.isspace())


def link_chars(element: lxml.html.HtmlElement) -> int:
    """How many characters of ``element``'s text, written as lines, are its
    links' text."""
    return sum(len(as_line(a.text_content())) for a in element.iter("a"))


def as_line(text: str) -> str:
    """Text as trafilatura writes it on a line: printable characters only,
    whitespace folded to single spaces."""
    # A line break or a tab is not printable: folded first, most text
    # needs no filtering (printable's pass runs in Python, a character at
    # a time).  Filtered first or folded first, a text whose words are
    # all printable folds the same.
    folded = " ".join(text.split())
    return folded if folded.isprintable() else " ".join(printable(text).split())


def _block_key(text: str) -> str:
    # A page's hyphenation plugin puts soft hyphens into every long word;
    # trafilatura's lines have none, so the block's text must not either.
    squashed = "".join(text.split())
    if not squashed.isprintable():  # no spaces left: the characters that print nothing go
        squashed = "".join(filter(str.isprintable, squashed))
    return squashed.replace("|", "")


# A block longer than this (its key) is a container, not a block a line
# came from; a text longer than the second is judged on its beginning.
_LONGEST_BLOCK = 2000
_JUDGED_BEGINNING = 4 * _LONGEST_BLOCK


def _text_of(element: lxml.html.HtmlElement) -> str:
    """``element.text_content()``, serialised by libxml2 (half its time)."""
    return lxml.etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _short_block_key(text: str) -> str | None:
    """``_block_key(text)``, or None when it is longer than _LONGEST_BLOCK.
    A key's beginning is the key of the text's beginning, so a container's
    long text is judged on its first characters: the page's text was read
    once per level of nesting, and keying it whole cost more than the rest
    of the walk."""
    if len(text) > _JUDGED_BEGINNING and len(_block_key(text[:_JUDGED_BEGINNING])) > _LONGEST_BLOCK:
        return None
    key = _block_key(text)
    return key if len(key) <= _LONGEST_BLOCK else None


def line_key(line: str) -> str:
    """The key of the block a line came from (``line_blocks``)."""
    return _block_key(LIST_BULLET.sub("", line, count=1).replace("\\|", "|"))


def _pieces(element: lxml.html.HtmlElement, linked: bool) -> Iterator[tuple[str, bool] | None]:
    """The text under ``element`` in page order, each piece with whether
    it is link text; None where a line ends (a break, a block inside)."""
    if element.text:
        yield element.text, linked
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in UNREAD_TAGS:
            if tag == "br":
                yield None
            elif tag in _BREAKING_TAGS:
                yield None  # its own lines are its own blocks
            else:
                yield from _pieces(child, linked or tag == "a")
        if child.tail:
            yield child.tail, linked


def segments(element: lxml.html.HtmlElement) -> dict[str, int]:
    """The keys of the lines ``element``'s breaks split its text into ->
    how many of each key's characters are link text."""
    found: dict[str, int] = {}
    text: list[str] = []
    linked = 0
    for piece in (*_pieces(element, element.tag == "a"), None):
        if piece is not None:
            key = _block_key(piece[0])
            text.append(key)
            linked += len(key) if piece[1] else 0
            continue
        if text:
            found.setdefault("".join(text), linked)
        text, linked = [], 0
    return found


def is_segment(key: str, element: lxml.html.HtmlElement) -> bool:
    """Whether the line with block key ``key`` is one segment of
    ``element`` (a paragraph split by breaks), not its whole text."""
    return _block_key(element.text_content()) != key


def _keyed_blocks(tree: lxml.html.HtmlElement, shortest: int, longest: int) -> list[tuple[str, lxml.html.HtmlElement]]:
    """(key, element) of the page's blocks whose key is ``shortest`` to
    ``longest`` characters long (at most _LONGEST_BLOCK), in the page's
    order.

    A key drops characters, never adds one: a text shorter than
    ``shortest`` needs no key.  A block's key holds the keys of the
    blocks inside it, so once a block's key is too long every block
    around it is too: read from the innermost out, the containers around
    a long paragraph are never serialised, and a page's text is not read
    once for every level of nesting above it."""
    longest = min(longest, _LONGEST_BLOCK)
    too_long: set[lxml.html.HtmlElement] = set()
    found: list[tuple[str, lxml.html.HtmlElement]] = []
    for element in reversed(list(tree.iter(*_BLOCK_TAGS))):  # every block before the blocks around it
        if element in too_long:
            continue
        text = _text_of(element)
        if len(text) < shortest:
            continue
        key = _short_block_key(text)
        if key is None or len(key) > longest:
            for around in element.iterancestors():
                if around in too_long:
                    break
                too_long.add(around)
        elif len(key) >= shortest:
            found.append((key, element))
    found.reverse()
    return found


def line_blocks(tree: lxml.html.HtmlElement | None, lines: Sequence[str] | None = None,
                others: dict[str, list[lxml.html.HtmlElement]] | None = None) -> dict[str, lxml.html.HtmlElement]:
    """Block key -> the page's block with that text (the outermost of
    blocks with the same text), in the page's order; with ``lines``, only
    the blocks those lines came from, and the lines found as segments of a
    paragraph split by ``<br>`` (after the others) map to that paragraph.
    With ``others``, the later blocks with a key already found are listed
    there (``prefer_inside``)."""
    blocks: dict[str, lxml.html.HtmlElement] = {}
    if tree is None:
        return blocks
    wanted = {line_key(line) for line in lines} if lines is not None else None
    lengths = [len(key) for key in wanted if key] if wanted is not None else [1, _LONGEST_BLOCK]
    for text, element in _keyed_blocks(tree, min(lengths, default=1), max(lengths, default=0)):
        if wanted is not None and text not in wanted:
            continue
        if text in blocks:
            if others is not None:
                others.setdefault(text, []).append(element)
            continue
        blocks[text] = element
    if wanted is None:
        return blocks
    missing = wanted - blocks.keys()
    missing.discard("")
    if not missing:
        return blocks
    found: dict[lxml.html.HtmlElement, list[str]] = {}
    for br in tree.iter("br"):
        paragraph = next((e for e in br.iterancestors() if e.tag in _BREAKING_TAGS), None)
        if paragraph is None or paragraph.tag not in _SEGMENTED_TAGS or paragraph in found:
            continue
        found[paragraph] = [key for key in segments(paragraph) if key in missing]
        missing.difference_update(found[paragraph])
        if not missing:
            break
    if not any(found.values()):
        return blocks
    # Back into the page's order, which the standfirst reads.
    keys_of: dict[lxml.html.HtmlElement, list[str]] = {}
    for key, element in blocks.items():
        keys_of.setdefault(element, []).append(key)
    for paragraph, keys in found.items():
        keys_of.setdefault(paragraph, []).extend(keys)
    return {key: element for element in tree.iter() if element in keys_of for key in keys_of[element]}


# The blocks whose text is one paragraph of a page, and what else starts
# a line (a block holding one of these is not innermost).
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "blockquote",
                             "div", "pre", "address"})
_LINE_TAGS = _BREAKING_TAGS | _PARAGRAPH_TAGS | {"br"}


def holds_lines(element: lxml.html.HtmlElement) -> bool:
    """Whether an element holds an element that starts a line of its own."""
    return any(isinstance(inner.tag, str) and inner.tag in _LINE_TAGS for inner in element.iterdescendants())


def innermost_block_texts(root: lxml.html.HtmlElement, min_chars: int = 20) -> list[str]:
    """The text of each paragraph block of the page (or of ``root``'s part
    of it) that holds no other line-starting element, in the page's order
    (``min_chars`` or longer, whitespace folded)."""
    found = []
    for element in root.iter(*_PARAGRAPH_TAGS):
        if holds_lines(element):
            continue
        text = as_line(element.text_content())
        if len(text) >= min_chars:
            found.append(text)
    return found


def _within(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    return element is container or container in element.iterancestors()


def prefer_inside(blocks: Mapping[str, lxml.html.HtmlElement], others: Mapping[str, Sequence[lxml.html.HtmlElement]],
                  container: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """``blocks`` with each line whose text is found both outside the
    body's container (first) and inside it mapped to the block inside: a
    heading repeated in a menu above the body is the body's heading, not
    a link.  Inside, a line found first as a link (a related list, a table
    of contents' entry) and again as plain text is the plain text."""
    preferred = dict(blocks)
    segmented: dict[lxml.html.HtmlElement, dict[str, int]] = {}
    for text, repeats in others.items():
        element = blocks.get(text)
        inside = [e for e in repeats if _within(e, container)]
        if element is None or not inside:
            continue
        if not _within(element, container):
            preferred[text] = next((e for e in inside if not _is_jump(text, e)), inside[0])
        elif _density(text, element, segmented) >= LINK_DENSITY:
            preferred[text] = next((e for e in inside if _density(text, e, segmented) < LINK_DENSITY), element)
        elif _is_jump(text, element):
            preferred[text] = next((e for e in inside if not _is_jump(text, e)), element)
    return preferred


def _is_jump(text: str, element: lxml.html.HtmlElement) -> bool:
    """Whether the line is all the text of links to places on the same page:
    a table of contents' entry, which names a heading further down."""
    return (any(_jumps_in_page(anchor) for anchor in element.iterancestors("a"))
            or sum(len(_block_key(a.text_content())) for a in element.iter("a") if _jumps_in_page(a)) >= len(text))


def _density(text: str, element: lxml.html.HtmlElement,
             segmented: dict[lxml.html.HtmlElement, dict[str, int]]) -> float:
    """The share of the line with block key ``text`` that is link text;
    none of a table row of data (``is_data_row``).  ``segmented``: the
    segments of the paragraphs already split, as several lines of one
    paragraph ask for the same."""
    if element.tag == "tr" and is_data_row(element):
        return 0.0
    if _inside_a_link(element):
        return 1.0
    linked = None
    if element.find(".//br") is not None:
        if element not in segmented:
            segmented[element] = segments(element)
        linked = segmented[element].get(text)
    if linked is None:
        linked = sum(len(_block_key(a.text_content())) for a in element.iter("a") if not _jumps_in_page(a))
    return min(linked / len(text), 1.0)


def _jumps_in_page(anchor: lxml.html.HtmlElement) -> bool:
    """A link to a named place on the same page (a heading's own anchor, a
    table of contents' entry): the article's words, not a way to another
    page.  Not a bare "#" or "#!": a button a script opens (share, print,
    log in, a region picker), which is chrome."""
    href = (anchor.get("href") or "").strip()
    return href.startswith("#") and len(href) > 1 and not href.startswith("#!")


# A link around a block is a card: a teaser's heading and dek in one <a>,
# to another page.  Not an unclosed <a> the parser let run over the page,
# nor a box that only opens in place (href="#", "javascript:").
CARD_CHARS = 600


def _inside_a_link(element: lxml.html.HtmlElement) -> bool:
    return any((href := (anchor.get("href") or "").strip()) and not href.startswith(("#", "javascript:"))
               and len(anchor.text_content()) <= CARD_CHARS
               for anchor in element.iterancestors("a"))


# A table cell holding a value: a word or a number that is not a date.
_VALUE = re.compile(r"[^\W\d_]{2}|\d")


def is_data_row(row: lxml.html.HtmlElement) -> bool:
    """Whether a table row is a row of data: two cells or more with text,
    one of them plain text that is a value (a quantity, a score, a price
    beside a linked name: "| 1 | Ei(er) |").  Its links are names, not a
    way around the site: a row of links alone is a menu, and a linked
    title beside a bare date is a teaser list."""
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    texts = [_block_key(cell.text_content()) for cell in cells]
    if sum(1 for t in texts if any(c.isalnum() for c in t)) < 2:
        return False
    return any(
        _VALUE.search(text) and not any(a.text_content().strip() for a in cell.iter("a"))
        and not says_only_when(cell.text_content())
        for cell, text in zip(cells, texts, strict=True)
    )


def block_densities(blocks: Mapping[str, lxml.html.HtmlElement]) -> dict[str, float]:
    """Block key -> the share of it that is link text."""
    segmented: dict[lxml.html.HtmlElement, dict[str, int]] = {}
    return {text: _density(text, element, segmented) for text, element in blocks.items()}
