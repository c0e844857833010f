"""A JSON-LD ``articleBody`` that lost its paragraph breaks, split where
the page's own paragraphs begin and end.  Pure; tested on strings.

Many CMSs (CNN's, the Los Angeles Times', Spanish-language dailies') flatten
the article into one line of structured data while the visible page keeps
its paragraphs.  As one line the body cannot be matched to the page's
blocks, so no rule that reads the page (link density, the container's
asides and end, the template) can judge any part of it, and every edit
replaces the whole article in the identity and the diff.  The visible text
(trafilatura's) says where each paragraph starts; the structured body keeps
the words.
"""

from __future__ import annotations

import re

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
