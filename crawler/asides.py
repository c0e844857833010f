"""Asides inside the body's container: the blocks the page itself marks
as not the article (readers' comments, a "related" or recirculation list,
a newsletter or sign-up box, share buttons, an author's bio) that
trafilatura kept because they sit among the article's paragraphs.  Pure;
tested on small pages.

Only what lies between a line's block and the container is read: the
container itself and what wraps it say where the article is, not what it
is not (a page may wrap its whole article in ``class="has-comments"``).
A line from outside the container (a head or a tail the extractor read)
is read up to the nearest element around the container too, and only a
dialog or an overlay counts there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

import lxml.html

from crawler.blocks import line_key
from storywatch.churn import is_edit_notice
from storywatch.content import normalise_text

# The words of such a block's class or id, as a word of a class name
# ("article-comments", "sf_comment_form", "inline-article-recirc"), not as
# a BEM element of something else ("gallery__item__comment": an item's
# annotation) or a word inside a name ("bio-kaffeebohnen").  A pop-up or
# modal the page shows over the article ("modal-login") is not it either.
# A table of contents by the names its plugins give it ("toc",
# "ez-toc-container", "toc_container", "wp-block-table-of-contents"; not
# "skip-toc", a heading the contents leave out); an affiliate disclosure
# ("article-affiliate", "affiliate-text"; not an "affiliate network"); the
# Simple Author Box plugin's "saboxplugin-*"; the next story an endless page
# appends ("nextstory").
_ASIDE_MARK = re.compile(
    r"(?:^|[\s-]|(?<!_)_)(?:comments?|kommentare?|comentarios?|commentaires?|commenti|related|recirc"
    r"|recommend\w*|newsletter|share|sharing|social|subscribe|signup|bio-box"
    r"|cta|promo|donat\w*|membership|steady|sponsor\w*|advert\w*|disclaimer|disclosure"
    r"|authors?(?:box|info|bio|card|profile|details?)?|credits?|paywall\w*|popup|modal"
    r"|next-?story|sabox\w*|table-of-contents)(?:$|[\s_-])"
    r"|(?:^|[\s-]|(?<!_)_)affiliate(?:$|\s|[-_](?:text|disclosure|notice|hint|info|links?|box|note))"
    r"|(?:^|\s)(?:ez-)?toc(?:$|\s|[-_](?:container|wrap\w*|list|box|widget|nav|title))"
    r"|(?:^|[\s-]|(?<!_)_)bio(?:$|\s)",
    re.I,
)
# A dialog's own name ("topbar-dialog", "b-system-dialog"), not what a
# dialog library names the page it sits on ("dialog-off-canvas-main-canvas").
_DIALOG_MARK = re.compile(r"(?:^|[\s-]|(?<!_)_)dialog(?:$|\s|__)", re.I)
# A cookie or consent box ("sp-dsgvo-popup-overlay", "gdpr-banner",
# "intro-rgpd", "x-cookies", "cookie__text"; not a cookie recipe's card),
# and a consent manager's stand-in for an embed it holds back (Borlabs'
# "_brlbs-content-blocker": "Click the button below to load the content"):
# never the article, so taken out however much of the body it is (a page
# whose text is mostly its consent dialog keeps the rest).
_CONSENT_MARK = re.compile(
    r"(?:^|[\s-]|(?<!_)_)(?:consent|dsgvo|gdpr|rgpd|content-blocker)(?:$|[\s_-])"
    r"|(?:^|\s)cookie(?:$|\s|__)|(?:^|[\s-]|(?<!_)_)cookies(?:$|\s|__)"
    r"|(?:^|[\s-]|(?<!_)_)cookies?[-_](?:notice|banner|consent|bar|layer|hint|law|policy|settings"
    r"|box|overlay|message|alert|warning|info|popup|modal|wall)(?:$|[\s_-])",
    re.I,
)
# Class names that describe their element's state, not what it is
# ("has-sharing", "is-social"), what a post is about (a blog's taxonomy
# classes on its article: "tag-gdpr", "category-newsletter"), and a live
# ticker's entries, which are the article ("live-match-comment").
_NOT_A_KIND = re.compile(r"^(?:has|with|is|no|tag|category|topic|post_tag)[-_]|live|ticker", re.I)
# What a block's wrappers mark it as: nothing, an aside, or an overlay: a
# consent box or a hidden dialog (a pop-up holding another article), never
# the article whatever its share of the body.
AsideKind = Literal["", "aside", "overlay"]
# What one element is marked as; a dialog is an aside inside the
# container, and outside it the only mark besides an overlay that counts.
_Mark = Literal["", "aside", "dialog", "overlay"]
# The page's marks are not what they seem when they would take this share
# of the body's text: the article itself sits in such a block.
_MAX_SHARE = 0.5


# Where a camelCase name's words meet ("dialogCookieWarning", "relatedPosts").
_CAMEL_JOINT = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _marks(element: lxml.html.HtmlElement) -> str:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return " ".join(worded for name in names
                    if not _NOT_A_KIND.search(worded := _CAMEL_JOINT.sub("-", name)))


def _is_dialog(element: lxml.html.HtmlElement, marks: str) -> bool:
    # What the page shows over the article: by its name, its role or its element.
    return (element.tag == "dialog" or element.get("role") in ("dialog", "alertdialog")
            or element.get("aria-modal") == "true" or bool(_DIALOG_MARK.search(marks)))


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    return element.get("aria-hidden") == "true" or "hidden" in element.attrib


def _is_embed(element: lxml.html.HtmlElement) -> bool:
    # MSN labels the videos and slideshows its CMS inserts into an article
    # ("Video: ... (Wales Online)") with the embed's own attributes; they
    # rotate from one fetch to the next.
    return "data-embed-type" in element.attrib or "data-embed-id" in element.attrib


def _mark(element: lxml.html.HtmlElement) -> _Mark:
    """What ``element``'s own attributes mark it as."""
    marks = _marks(element)
    dialog = _is_dialog(element, marks)
    return ("overlay" if _CONSENT_MARK.search(marks) or (dialog and _is_hidden(element))
            else "dialog" if dialog
            else "aside" if _ASIDE_MARK.search(marks) or _is_embed(element) else "")


def is_aside_marked(element: lxml.html.HtmlElement) -> bool:
    """Whether the page marks ``element`` as not the article: an aside,
    a dialog, a consent box or an inserted embed, by its own attributes."""
    return _mark(element) != ""


def aside_lines(lines: Sequence[str], blocks: Mapping[str, lxml.html.HtmlElement],
                container: lxml.html.HtmlElement) -> frozenset[int]:
    """Indices of the lines whose block sits, inside the container, in an
    element marked as an aside, or outside it in a dialog or an overlay;
    never an edit notice ("Update:").  Only an overlay's (a cookie or
    consent box, a hidden dialog, any dialog outside the container) when
    the other asides' lines would be half the body or more."""
    marked: dict[lxml.html.HtmlElement, _Mark] = {}  # the lines of one block share its wrappers

    def mark(element: lxml.html.HtmlElement) -> _Mark:
        if element not in marked:
            marked[element] = _mark(element)
        return marked[element]

    around = {container, *container.iterancestors()}

    def aside_kind(element: lxml.html.HtmlElement) -> AsideKind:
        below: list[lxml.html.HtmlElement] = []
        for ancestor in (element, *element.iterancestors()):
            if ancestor is container:
                kinds = {mark(e) for e in below}
                return "overlay" if "overlay" in kinds else "aside" if kinds & {"aside", "dialog"} else ""
            if ancestor in around:
                # Outside the container (a head or a tail the extractor
                # read), only a dialog or an overlay is sure not to be
                # the article: its other marks are the other rules'.
                return "overlay" if {mark(e) for e in below} & {"overlay", "dialog"} else ""
            below.append(ancestor)
        return ""

    found: dict[str, list[int]] = {"aside": [], "overlay": []}
    for index, line in enumerate(lines):
        element = blocks.get(line_key(line))
        if element is not None and (kind := aside_kind(element)) and not is_edit_notice(normalise_text(line)):
            found[kind].append(index)
    if sum(len(lines[i]) for i in found["aside"]) >= _MAX_SHARE * sum(len(line) for line in lines):
        return frozenset(found["overlay"])
    return frozenset(found["aside"] + found["overlay"])


def form_field_lines(tree: lxml.html.HtmlElement, lines: Sequence[str]) -> frozenset[int]:
    """Indices of the lines that are the text of a form field: a
    ``<textarea>`` holding an embed code offered for copying ("<iframe
    width=...>"), its number changing with the video beside the article.
    Nothing a reader reads as the article; empty when those lines are the
    whole body (a paste site shows its text in one)."""
    fields = {line_key(element.text_content()) for element in tree.iter("textarea")}
    fields.discard("")
    if not fields:
        return frozenset()
    found = frozenset(index for index, line in enumerate(lines) if line_key(line) in fields)
    return found if len(found) < len(lines) else frozenset()
