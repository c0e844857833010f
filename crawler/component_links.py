"""Web components' links read as links: ``HtmlElement -> None``, in place.

A page built from web components writes its links as custom elements
(``<pp-link href="...">``); the extractor, the chrome rules and link
discovery know a link only by its ``<a>`` tag.  Pure lxml, no trafilatura:
discovery runs it in the crawl's own process.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# A web component's link: an element whose name holds a hyphen (HTML's mark
# of a custom element) and that carries an href, as design systems write
# their links and menu items (<pp-link href>, <b-dropdown-item href>,
# <sl-button href>).
_COMPONENT_LINKS = etree.XPath("//*[contains(local-name(), '-')][@href]")
# A custom element's start tag in the page's source: most pages have none,
# and searching the source costs a third of walking the tree.
_CUSTOM_TAG = re.compile(r"<[a-zA-Z][\w.:]*-")


def anchor_component_links(tree: lxml.html.HtmlElement, source: str) -> None:
    """Rename each web component's link in ``tree`` (parsed from
    ``source``) to ``<a>``: the extractor, the chrome rules and link
    discovery know a link by its tag, and a site menu of ``<pp-link>``
    items was otherwise read as the article's text (hundreds of lines, the
    article itself cut after them)."""
    if _CUSTOM_TAG.search(source) is None:
        return
    for element in _COMPONENT_LINKS(tree):
        element.tag = "a"
