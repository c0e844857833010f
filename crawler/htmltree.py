"""A decoded page as the lxml tree trafilatura reads: ``str -> HtmlElement | None``.

The same steps as ``trafilatura.utils.load_html`` (its repairs, its parser
options, its fallback to bytes and its rejection of what is not HTML), with
one difference: the parser looks up element classes in C.

lxml.html's own parsers map every element to its Python class through a
Python method (``HtmlElementClassLookup.lookup``), called each time lxml
hands Python an element, about 5,000 times per news page as trafilatura
walks and copies the tree (copies keep the parser, so its lookup too).  A
default-class lookup gives the same ``HtmlElement`` for every element (only
form fields lose lxml.html's form classes, which nothing here uses) and takes
1.5-2 ms, 5%, off a page's extraction; over the 1,973 corpus pages the
extracted articles are identical (tests/test_htmltree.py checks odd inputs).
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from trafilatura.utils import is_dubious_html, repair_faulty_html


def _parser() -> lxml.html.HTMLParser:
    # trafilatura.utils.HTML_PARSER's options.
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


# Read-only after creation, like trafilatura's own module-level parser; one
# per process (the extraction workers are single-threaded).
PARSER = _parser()


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html, parser=PARSER)
    except (ValueError, etree.LxmlError):  # ValueError: a str that declares its encoding
        return None


def load_tree(html_text: str) -> lxml.html.HtmlElement | None:
    """The page's tree, or None when it is not HTML."""
    beginning = html_text[:50].lower()
    dubious = is_dubious_html(beginning)
    html_text = repair_faulty_html(html_text, beginning)
    tree = _parse(html_text)
    if tree is None or len(tree) < 1:
        tree = _parse(html_text.encode("utf8", "surrogatepass"))
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
