"""Is a line on the page?  The page's visible text, as one run of letters.

An edit changes what a page says; churn around the article often changes
only what the extractor *keeps* of it: a class renamed by a redeploy lets a
teaser list through, or takes a paragraph out of the container the
extractor chose, while the page still says, word for word, what it said.
So a line that appeared in or left the body while both pages say it, and
say the body's lines as many times each, is not an edit
(storywatch.churn).  "Said" is compared on letters and digits only,
casefolded: the extractor's list dashes, table bars, joined inline elements
and whitespace do not matter, a changed word or number does.  Pure;
tested on strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

import lxml.html
from lxml import etree

from crawler.component_links import anchor_component_links
from crawler.textdecode import page_html
from storywatch.content import decompress_html

# Text a reader does not see (a script's JSON can hold a stale copy of the
# article; a <noscript> block is raw text to the parser).
_NOT_SHOWN = ("script", "style", "noscript", "template")
_NOT_A_LETTER = re.compile(r"[\W_]+")
# Below this many letters and digits a line is found inside other words by
# chance (letters run on across words: "the was 46" holds "He was 46."):
# never judged by its presence.  Longer ones are safe to find anywhere,
# because both pages are counted: a line an edit adds or removes is said
# once more or once less, whatever else says it.
MIN_LETTERS = 8
_WORD = re.compile(r"\w+")
# Chinese, Japanese and Korean, written without spaces.
_UNSPACED = re.compile(r"[\u2e80-\ud7ff\uf900-\ufaff]+")


def link_words(text: str) -> frozenset[str]:
    """A link text's words: the words between its spaces, and in a
    script written without them each pair of neighbouring characters (a
    title of such characters is one run: as one word it could never be a
    title of two words or more, and as single characters two titles share
    a few by chance)."""
    words: set[str] = set()
    for word in _WORD.findall(text):
        pieces = _UNSPACED.split(word)
        words.update(piece for piece in pieces if piece)
        for run in _UNSPACED.findall(word):
            words.update({run} if len(run) == 1 else (run[at:at + 2] for at in range(len(run) - 1)))
    return frozenset(words)


def letters(text: str) -> str:
    """Letters and digits only, NFKC, casefolded: what a line says."""
    return _NOT_A_LETTER.sub("", unicodedata.normalize("NFKC", text).casefold())


class PageSaid(NamedTuple):
    """What a page says: its visible text as ``letters``, and the text of
    each of its links (``letters`` -> its words)."""

    letters: str
    links: Mapping[str, frozenset[str]]


def page_said(html: str) -> PageSaid:
    """The visible text of a page as ``letters`` of it ("" when it cannot be
    parsed: then nothing is found on it), and its links' texts."""
    if not html or html.isspace():
        return PageSaid("", {})
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageSaid("", {})
    etree.strip_elements(tree, *_NOT_SHOWN, with_tail=False)
    anchor_component_links(tree, html)
    links: dict[str, frozenset[str]] = {}
    for anchor in tree.iter("a"):
        text = unicodedata.normalize("NFKC", anchor.text_content()).casefold()
        if words := link_words(text):
            links[letters(text)] = words
    return PageSaid(letters(" ".join(tree.itertext())), links)


def stored_page_said(compressed: bytes, charset: str | None = None) -> PageSaid:
    """``page_said`` of a page kept compressed (a version's or a fetch's
    HTML), decoded as the extraction decodes it."""
    return page_said(page_html(decompress_html(compressed), charset))


def times_said(line: str, page: str) -> int:
    """How many times the page (``PageSaid.letters``) says the line, word for
    word; 0 for a line too short to be judged so."""
    said = letters(line)
    return page.count(said) if len(said) >= MIN_LETTERS else 0
