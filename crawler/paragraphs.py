"""A body that lost its paragraph breaks, split where the page's own
paragraphs begin and end.  Pure; tested on strings.

Many CMSs (CNN's, the Los Angeles Times', Spanish-language dailies') flatten
the article into one line of structured data while the visible page keeps
its paragraphs.  As one line the body cannot be matched to the page's
blocks, so no rule that reads the page (link density, the container's
asides and end, the template) can judge any part of it, and every edit
replaces the whole article in the identity and the diff.  The visible text
(trafilatura's) says where each paragraph starts; the structured body keeps
the words.

trafilatura does the same to a short post: when the paragraphs it finds
are few and short, its fallback reads the whole article element as one
line, headline, dateline, byline, share buttons and all
(``split_flat_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A visible line shorter than this could be found anywhere in the body
# ("Fotos", "Video"): it places no break.
_MIN_ANCHOR = 20
# A line this long is found by its beginning: its end may differ from the
# structured copy (an entity, a link's text, a caption glued on).
_ANCHOR = 60
# What a CMS joins two flattened paragraphs with, left at a piece's start.
_JOINERS = ",;:|"
_DIGIT = re.compile(r"\d")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _placing(text: str) -> str:
    # Breaks are placed by the words, not the numbers: a counter or a
    # date the page shows differently from its structured copy ("3 hours
    # ago", a score) must not move them.  Same length as ``text``.
    return _DIGIT.sub("0", text)


def split_at_paragraphs(body: str, visible: str) -> str:
    """``body`` with a line break wherever a line of ``visible`` begins in
    it, and where one that is found whole ends.  Unchanged when ``body``
    already has about as many lines as ``visible`` (its own breaks are
    kept either way)."""
    body_lines = [line for line in body.split("\n") if line.strip()]
    visible_lines = [_squeeze(line) for line in visible.split("\n") if line.strip()]
    if 2 * len(body_lines) > len(visible_lines):
        return body
    flat = "\n".join(_squeeze(line) for line in body_lines)
    searched = _placing(flat)
    breaks: set[int] = set()
    cursor = 0
    for line in map(_placing, visible_lines):
        if len(line) < _MIN_ANCHOR:
            continue
        anchor = line[:_ANCHOR]
        start = searched.find(anchor, cursor)
        if start < 0:
            continue
        breaks.add(start)
        if searched.startswith(line, start):
            breaks.add(start + len(line))
        cursor = start + len(anchor)
    if not breaks:
        return body
    pieces = []
    previous = 0
    for position in sorted(breaks):
        pieces.append(flat[previous:position])
        previous = position
    pieces.append(flat[previous:])
    # What joined two paragraphs (". ", ", ") is neither paragraph's.
    lines = (piece.strip().lstrip(_JOINERS).strip() for piece in pieces)
    return "\n".join(line for line in lines if any(c.isalnum() for c in line))


# A line of trafilatura's this long, that is no block's text, may be a
# whole element read as one line.
FLAT_LINE = 200
# ... when the page's blocks found whole in it make up this much of it.
_FLAT_SHARE = 0.6


def split_flat_lines(lines: Sequence[str], flat: Iterable[int], page_blocks: Sequence[str]) -> list[str]:
    """``lines`` with each of the ``flat`` ones that is the text of several
    of ``page_blocks`` (the texts of the page's innermost blocks, in the
    page's order) run together split where those blocks begin and end.
    A paragraph that merely holds a heading's words or a link's own
    block is left whole: the blocks found whole must be most of it."""
    out = list(lines)
    for index in sorted(flat, reverse=True):
        line = _squeeze(out[index])
        searched = _placing(line)
        cursor, whole = 0, []
        for block in page_blocks:
            at = searched.find(_placing(block), cursor)
            if at >= 0:
                whole.append(block)
                cursor = at + len(block)
        # (split_at_paragraphs wants two blocks at least)
        if sum(map(len, whole)) < _FLAT_SHARE * len(line):
            continue
        pieces = split_at_paragraphs(line, "\n".join(whole)).split("\n")
        if len(pieces) > 1:
            out[index : index + 1] = pieces
    return out
