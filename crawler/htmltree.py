"""A decoded page as the lxml tree trafilatura reads: ``str -> HtmlElement | None``.

The same steps as ``trafilatura.utils.load_html`` (its repairs, its parser
options, its fallbacks and its rejection of what is not HTML), with two
differences that make extraction cheaper in CPU and memory: the parser looks
up element classes in C (lxml.html's Python lookup runs for every element
trafilatura touches), and it parses the page's UTF-8 bytes first and the
``str`` only if that fails.  The trees are the same (tests/test_htmltree.py;
trafilatura's constants are checked in tests/test_library_internals.py);
figures in CHANGELOG.md (throughput rounds).
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html


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


def repair_faulty_html(html_text: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html``'s result, copying the page
    only when it changes it: trafilatura splits off and rejoins the first
    line of every page that has a doctype, two copies of the whole ``str``
    (a page with one emoji in it is four bytes a character)."""
    html_text = INVALID_XML_CHARS.sub("", html_text)  # the same object when nothing matches
    if "doctype" in beginning:
        end = html_text.find("\n")
        if end == -1:
            html_text = DOCTYPE_TAG.sub("", html_text, count=1) + "\n"
        else:
            first_line = html_text[:end]
            repaired = DOCTYPE_TAG.sub("", first_line, count=1)
            if repaired != first_line:
                html_text = repaired + html_text[end:]
    # a self-closing <html/> in the first lines
    for line in html_text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html_text = FAULTY_HTML.sub(r"\1>", html_text, count=1)
            break
    return html_text


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
    tree = _parse(html_text.encode("utf8", "surrogatepass"))  # the parser reads it as UTF-8
    if tree is None or len(tree) < 1:
        # trafilatura would have read the str first and these bytes only if
        # that failed: the str's tree, when it has one, is what it returns.
        from_text = _parse(html_text)
        if from_text is not None and len(from_text) >= 1:
            tree = from_text
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
