"""An article split across sibling sections: the rest of it, which the
extractor dropped.  Pure; tested on small pages.

Some publishers lay an article out as a run of modules of one kind, each
holding a few of its paragraphs (``<div class="editorial-module
editorial-module--text">`` after ``<div class="editorial-module
editorial-module--text">``, with a picture or a video module between
them).  trafilatura scores such modules one by one and keeps the best:
the body then stops short, or opens halfway through, and an edit made in
the modules it dropped is never seen.

The body's modules are the body's container and the few elements around
it whose parent holds other elements of their tag and exactly their
classes.  The prose paragraphs of those sibling modules are put back, in
the page's order, from the innermost module out: the ones before the
body's module before its first line, the ones after it after its last.
A sibling is the article's only when it reads as prose (a paragraph of a
sentence or more, little link text), is not marked as an aside
(comments, a related list, a newsletter box: crawler.asides) and holds
no headline, article, navigation, form or aside of its own: a list of
teasers, the posts of a blog's index or a comment thread is a run of
elements of one class too, and none of them is this article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import lxml.html

from crawler.asides import is_aside_marked
from crawler.blocks import as_line, line_key, link_chars
from storywatch.churn import is_sentence

# How many elements above the body's container its module may be.
_LEVELS = 3
# A paragraph put back holds at least this many characters ...
_MIN_PARAGRAPH = 25
# ... and the module at least one sentence of this many.
_MIN_PROSE = 80
# At most this share of a module's text is link text.
_MAX_LINK_SHARE = 0.3
# ... and of a paragraph put back (a teaser's title in a list is a link).
_MAX_PARAGRAPH_LINKS = 0.5
# What a module that is not the article's holds: its own headline, an
# article, a navigation, a form, an aside.
_NOT_A_SECTION = "h1 | .//h1 | .//article | .//nav | .//form | .//aside"
_PARAGRAPH_TAGS = frozenset({"p", "blockquote", "h2", "h3", "h4"})


def _signature(element: lxml.html.HtmlElement) -> tuple[str, tuple[str, ...]] | None:
    classes = tuple(sorted((element.get("class") or "").split()))
    if not isinstance(element.tag, str) or not classes or element.tag in ("article", "li", "tr", "td"):
        return None
    return element.tag, classes


def body_modules(container: lxml.html.HtmlElement
                 ) -> list[tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]]:
    """The modules the body's container is or sits in, from the innermost
    out, each with its siblings of the same tag and classes in the page's
    order: the elements that each hold more of the article, a level up."""
    found = []
    for level, element in enumerate((container, *container.iterancestors())):
        if level > _LEVELS or element.tag in ("body", "html"):
            break
        parent = element.getparent()
        signature = _signature(element)
        if parent is None or signature is None:
            continue
        series = [child for child in parent if child is element or _signature(child) == signature]
        if len(series) >= 2:
            found.append((element, series))
    return found


def _link_share(element: lxml.html.HtmlElement, text: str) -> float:
    return link_chars(element) / len(text)


def _blocks(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The outermost paragraph blocks under ``element``, in order, none
    inside an element the page marks as an aside."""
    found: list[lxml.html.HtmlElement] = []
    for child in element:
        if not isinstance(child.tag, str) or is_aside_marked(child):
            continue
        if child.tag in _PARAGRAPH_TAGS:
            found.append(child)
        else:
            found.extend(_blocks(child))
    return found


def _paragraphs(module: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    """A sibling module's paragraphs, when it reads as the article's."""
    if module.xpath(_NOT_A_SECTION) or is_aside_marked(module):
        return []
    text = as_line(module.text_content())
    if not text or _link_share(module, text) > _MAX_LINK_SHARE:
        return []
    paragraphs = [(block, as_line(block.text_content())) for block in _blocks(module)]
    paragraphs = [(block, text) for block, text in paragraphs
                  if len(text) >= _MIN_PARAGRAPH and _link_share(block, text) <= _MAX_PARAGRAPH_LINKS]
    if not any(len(text) >= _MIN_PROSE and is_sentence(text) for _, text in paragraphs):
        return []
    return paragraphs


def _block_of(line: str, put_back: Mapping[str, lxml.html.HtmlElement],
              blocks: Mapping[str, lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    key = line_key(line)
    block = put_back.get(key)
    return block if block is not None else blocks.get(key)


def missing_sections(lines: Sequence[str], blocks: Mapping[str, lxml.html.HtmlElement],
                     container: lxml.html.HtmlElement
                     ) -> tuple[list[str], dict[str, lxml.html.HtmlElement]]:
    """``lines`` with the article's paragraphs from the body modules'
    siblings put back around the body's own, and the block of each line
    put back (by ``line_key``)."""
    lines = list(lines)
    put_back: dict[str, lxml.html.HtmlElement] = {}
    known = {line_key(line) for line in lines}
    for module, series in body_modules(container):
        inside = set(module.iter())
        placed = [i for i, line in enumerate(lines) if _block_of(line, put_back, blocks) in inside]
        if not placed:
            break
        before: list[str] = []
        after: list[str] = []
        seen_module = False
        for sibling in series:
            if sibling is module:
                seen_module = True
                continue
            for block, paragraph in _paragraphs(sibling):
                key = line_key(paragraph)
                if key in known:
                    continue
                known.add(key)
                put_back[key] = block
                (after if seen_module else before).append(paragraph)
        first, last = placed[0], placed[-1]
        lines = [*lines[:first], *before, *lines[first : last + 1], *after, *lines[last + 1 :]]
    return lines, put_back
