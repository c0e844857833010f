"""Edit notices the extractor left out: an "Update:", "Correction:" or
editor's note paragraph the page shows inside the body's container, among
or above the body's paragraphs, that the body lacks.  Pure; tested on
small pages.

Outlets put the notice of a change above the article's first paragraph
(The Verge: "*Update, November 27th: ...*", in italics) or between its
paragraphs.  trafilatura keeps such a paragraph on most pages and drops
it on some (a page that prints its text twice and marks the copy without
the notice as its ``articleBody``: trafilatura reads that copy), and the
notice is the one line that says the article was edited: the version it
makes must not depend on which.  A notice after the body's last paragraph is not
looked for: there, inside a container drawn wide, it may be a reader's
comment ("Update: tried it again, ...").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import lxml.html

from crawler.blocks import UNREAD_TAGS, as_line, holds_lines, line_key
from storywatch.churn import is_edit_notice
from storywatch.content import normalise_text

# The paragraphs a notice is written in.
_PARAGRAPH_TAGS = ("p", "div", "blockquote", "aside", "section")
# A notice says what changed in a sentence or two.
_MAX_CHARS = 600
# What a notice's text opens with (storywatch.churn's notice, loosely):
# read first, on a paragraph's first words, so that a page's other
# paragraphs are not read whole.
_NOTICE_WORDS = ("update", "correction", "clarification", "editor")
_NOTICE_OPENING = re.compile(rf"\W*(?:{'|'.join(_NOTICE_WORDS)})", re.I)
_OPENING_CHARS = 16


def _opens_as_notice(element: lxml.html.HtmlElement) -> bool:
    head = ""
    for piece in element.itertext():
        head += piece
        if len(head) >= _OPENING_CHARS and not head.isspace():
            break
    return _NOTICE_OPENING.match(head) is not None


def _notice_text(element: lxml.html.HtmlElement) -> str | None:
    """The element's text when it is one paragraph and an edit notice."""
    if not _opens_as_notice(element) or holds_lines(element):
        return None
    text = as_line(element.text_content())
    if not text or len(text) > _MAX_CHARS or not is_edit_notice(normalise_text(text)):
        return None
    # Not in a template's, a script's or a <noscript>'s text: not shown.
    if any(ancestor.tag in UNREAD_TAGS for ancestor in element.iterancestors()):
        return None
    return text


def missing_notices(lines: Sequence[str], blocks: Mapping[str, lxml.html.HtmlElement],
                    container: lxml.html.HtmlElement) -> list[str]:
    """The body (``lines``) with the container's edit notices it lacks put
    back where the page shows them: before the first line whose block
    (``blocks``, crawler.blocks.line_blocks) comes after the notice.  The
    lines unchanged when there are none."""
    # Most containers hold none of the words: one search of their text
    # spares reading each of their paragraphs' openings.
    said_on_page = container.text_content().lower()
    if not any(word in said_on_page for word in _NOTICE_WORDS):
        return list(lines)
    notices = [(element, text) for element in container.iter(*_PARAGRAPH_TAGS)
               if (text := _notice_text(element)) is not None]
    if not notices:
        return list(lines)
    # Compared without spaces: an inline element's edge may have cost one.
    said = "".join(line_key(line) for line in lines).casefold()
    missing = [(element, text) for element, text in notices if line_key(text).casefold() not in said]
    if not missing:
        return list(lines)
    order = {element: index for index, element in enumerate(container.iter())}
    # Each line's place on the page (None: a line of no block found, or of
    # a block outside the container, as a standfirst is).
    places = [order.get(blocks[key]) if (key := line_key(line)) in blocks else None for line in lines]
    known = [place for place in places if place is not None]
    if not known:
        return list(lines)
    end = max(known)
    result = list(lines)
    # From the last notice back (they are in the page's order), so the
    # earlier insertions' indices hold.
    for element, text in reversed(missing):
        at = order[element]
        if at > end:
            continue  # after the body's end
        index = next(i for i, place in enumerate(places) if place is not None and place > at)
        result.insert(index, text)
    return result
