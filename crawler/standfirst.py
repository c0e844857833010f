"""The standfirst: the lead paragraph an article opens with, which
trafilatura leaves out when the page marks it as a teaser, intro or
summary block outside the body's container.  Pure; tested on small pages.

A page's own markup names it (``class="lead"``, ``article-intro``,
``dek``, ``deck``, ``teaser-text``, ``entry-summary``, ``chapo``, ...), or
HTML's does: a paragraph of the ``<header>`` (or ``<hgroup>``) that holds
the headline's ``<h1>``, when it reads as sentences (six words or more,
ending as a sentence ends, few digits: not a dateline, a breadcrumb, a
credit or the headline again) and its class does not call it the page's
furniture (date, meta, info, credit, kicker, label, category).
Such a block is the article's standfirst, and put back before the body
(with the one after it when it reads as a title and the next reads as
sentences: a subtitle and the lead under it are both the article's,
while more marked blocks, or a second title, are a run of teasers), when
it

- comes before the body's first line, inside the body's container or in
  one of the few elements around it, never only in the page's <body> (a
  related-stories teaser lower down the page, or in the site's banner,
  is not); or, farther from the body, comes after the page's headline in
  an element at most two above it that holds that ``<h1>`` (a hero banner
  holding the headline and its dek a section away from the body);
- is not, below what it shares with the body, in navigation, an aside,
  a footer, a list, a link or a form, and is not marked as an author's
  bio, a caption or a media block; holds no headline and no script;
- reads as prose: 40 to 1,500 characters, at most 30 % link text, not
  already in the body.

Its edits are the article's edits (a standfirst rewritten after
publication is a common stealth change).  Measured in bench/HISTORY.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.html

from crawler.blocks import as_line, link_chars

# The words a page's class, id or itemprop gives its standfirst.
_STANDFIRST_MARK = re.compile(
    r"(?:^|[\s_-])(?:lead|intro|standfirst|excerpt|abstract|dek|deck|summary|subtitle|subheadline|preface"
    r"|chapo|description|teaser|teasertext|strapline|subline)(?:$|[\s_-])",
    re.I,
)
# ... and the words of blocks that are not the standfirst, whatever else
# their markup says ("author-description", "lead_graphic", "a-caption").
_NOT_STANDFIRST = re.compile(
    r"author|byline|bio|caption|graphic|image|img|photo|media|video|asset|related|comment|newsletter|promo"
    r"|site[_-](?:description|tagline|title|name|header|branding|logo)|branding|masthead|tagline",
    re.I,
)
# A paragraph of the headline's <header> is the standfirst unless its
# class calls it the page's furniture.
_HEADER_TAGS = frozenset({"header", "hgroup"})
_NOT_A_DEK = re.compile(r"date|time|meta|info|credit|kicker|label|categor", re.I)
# ... and what a lead marks as its date: left out of its text.
_DATE_MARK = re.compile(r"(?:^|[\s_-])(?:date|dateline|time|timestamp|pubdate|published)(?:$|[\s_-])", re.I)
_OUTSIDE_ARTICLE = frozenset({"nav", "aside", "footer", "ul", "ol", "a", "form"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CANDIDATE_TAGS = frozenset({"p", "div", "h2", "h3", "span", "section"})
# How many elements above the body's container the standfirst may sit in.
_NEAR = 4
# ... or, farther from the body, how many above it the headline's may.
_HEAD_LEVELS = 2
_MIN_CHARS = 40
_MAX_CHARS = 1500
_MAX_LINK_SHARE = 0.3
# What may close a sentence after its stop: a quotation's marks, a bracket.
_CLOSING_QUOTES = "\"'»«“”„’)"


def _marks(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.get(name) or "" for name in ("class", "id", "itemprop"))


def _text(element: lxml.html.HtmlElement) -> str:
    """Its text without what its class marks as a date (a dek that ends
    in ``<span class="date">``): the day it shows is not the lead's."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not _DATE_MARK.search(_marks(child)):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_prose(element: lxml.html.HtmlElement, text: str) -> bool:
    if not _MIN_CHARS <= len(text) <= _MAX_CHARS:
        return False
    return link_chars(element) <= _MAX_LINK_SHARE * len(text)


def _paragraphs(element: lxml.html.HtmlElement) -> list[str]:
    """The standfirst's lines: its paragraphs, or its text as one."""
    inner = [as_line(_text(p)) for p in element.iter("p") if p is not element]
    inner = [p for p in inner if p]
    return inner or [as_line(_text(element))]


def _in_headline_header(element: lxml.html.HtmlElement, marks: str) -> bool:
    """A paragraph (or an <hgroup>'s subheading) of the <header> that holds
    the page's headline: HTML's own mark of a dek, whatever its class."""
    parent = element.getparent()
    if element.tag not in ("p", "h2") or parent is None or parent.tag not in _HEADER_TAGS:
        return False
    if _NOT_A_DEK.search(marks):
        return False
    holder = parent if parent.tag == "header" or parent.getparent() is None else parent.getparent()
    if next(holder.iter("h1"), None) is None:
        return False
    # Sentences, not a breadcrumb, a dateline or the headline again.
    text = as_line(_text(element)).rstrip(_CLOSING_QUOTES)
    digits = sum(c.isdigit() for c in text)
    return len(text.split()) >= 6 and text.endswith((".", "!", "?", "…")) and digits <= 0.1 * len(text)


def _headline_head(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element of at most ``_HEAD_LEVELS`` around ``element`` that
    holds the page's headline before it: the article's head."""
    for level, ancestor in enumerate(element.iterancestors()):
        if level >= _HEAD_LEVELS or ancestor.tag in ("body", "html"):
            return None
        for headline in ancestor.iter("h1"):
            if _is_headline(headline) and _comes_before(headline, element, ancestor):
                return ancestor
    return None


def _is_headline(h1: lxml.html.HtmlElement) -> bool:
    """An ``<h1>`` with words, not mostly a link: a blog's or a site's name
    in an ``<h1>`` links to its home page (the line under it is the
    site's description), a teaser card's to its story (the line under it
    is that story's)."""
    words = len(as_line(h1.text_content()))
    linked = sum(len(as_line(a.text_content())) for a in h1.iter("a") if not (a.get("href") or "#").startswith("#"))
    return words > 0 and 2 * linked < words


def _is_heading(block: lxml.html.HtmlElement) -> bool:
    """A heading, or a block holding the page's headline (a header's ``<div>``)."""
    return block.tag in _HEADINGS or next(block.iter("h1"), None) is not None


def _comes_before(one: lxml.html.HtmlElement, other: lxml.html.HtmlElement, within: lxml.html.HtmlElement) -> bool:
    """Whether ``one`` opens before ``other`` in ``within``, which holds both."""
    for element in within.iter():
        if element is one:
            return True
        if element is other:
            return False
    return False


def find_standfirst(tree: lxml.html.HtmlElement, lines: Sequence[str],
                    placing: Sequence[lxml.html.HtmlElement], container: lxml.html.HtmlElement) -> list[str]:
    """The lines of the page's standfirst that the body (``lines``) lacks,
    in the page's order; empty when there is none.  ``placing``: the
    page's blocks that place the body, in the page's order, and
    ``container`` the body's (crawler.container)."""
    # The page's <body> is near everything: it does not count.
    near = [container, *[e for e in list(container.iterancestors())[:_NEAR] if e.tag not in ("body", "html")]]
    inside = [b for b in placing if container in b.iterancestors()]
    # The body's first line, not its headline, kicker or header read with it:
    # a lead printed under the headline inside the container comes after those.
    first = next((b for b in inside if not _is_heading(b)), inside[0])
    around_first = set(first.iterancestors())
    body_text = as_line(" ".join(lines)).casefold()
    found: list[str] = []
    taken: list[lxml.html.HtmlElement] = []
    for element in tree.iter():
        if element is first:
            break  # a standfirst is above the body's first line
        if element.tag not in _CANDIDATE_TAGS or element in around_first:
            continue
        if taken and any(ancestor in taken for ancestor in element.iterancestors()):
            continue  # read with the standfirst around it
        marks = _marks(element)
        if not (_STANDFIRST_MARK.search(marks) or _in_headline_header(element, marks)):
            continue
        if _NOT_STANDFIRST.search(marks):
            continue
        # What wraps it up to the element it shares with the body: a
        # sidebar, a link, a bio box there is what it is part of (above
        # that, a page-wide <form> or a body class says nothing of it).
        ancestors = list(element.iterancestors())
        reach = next((i for i, ancestor in enumerate(ancestors) if ancestor in near), None)
        if reach is None:
            # Not near the body: only a dek printed under the headline, in
            # the article's own head (a hero banner a section away from
            # the body); what wraps it counts up to the head.
            head = _headline_head(element)
            if head is None:
                continue
            reach = ancestors.index(head)
        wrappers = ancestors[:reach]
        if any(a.tag in _OUTSIDE_ARTICLE or _NOT_STANDFIRST.search(_marks(a)) for a in wrappers):
            continue
        if next(element.iter("h1", "script", "style"), None) is not None:
            continue  # the article's header, headline and all; a widget
        text = as_line(_text(element))
        if not _is_prose(element, text) or text.casefold() in body_text:
            continue
        # A subtitle and the lead under it are both the article's; after a
        # lead, or a second title, what is marked so is a run of teasers.
        if taken and _reads_as_title(text):
            break
        taken.append(element)
        found.extend(p for p in _paragraphs(element) if p.casefold() not in body_text and p not in found)
        if not _reads_as_title(text):
            break
    return found


def _reads_as_title(text: str) -> bool:
    """Whether a line stops as a title does, not as a sentence."""
    return not text.rstrip(_CLOSING_QUOTES + " ").endswith((".", "!", "…"))
