"""crawler.htmltree builds the tree trafilatura's own loader would, faster."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree
from trafilatura.utils import load_html

from crawler.extract import extract_article
from crawler.htmltree import load_tree
from tests.test_extract import page

PAGES = [
    page().decode(),
    "<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>Doctype first.</p><form><input value=x>"
    "<select><option>o</option></select><textarea>a</textarea><label>l</label></form></body></html>",
    '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>An XML declaration in a str.</p></body></html>',
    "<html/>\n<body><p>A self-closing html tag.</p></body>",
    "<html><body><p>Control \x0b characters \x01 dropped.</p><!-- a comment --><?pi x?></body></html>",
    "<p>A fragment, not HTML.</p>",
    "<div><p>Two blocks</p></div><div><p>without an html tag.</p></div>",
    "plain text, no markup at all",
    "",
]


@pytest.mark.parametrize("html", PAGES)
def test_the_tree_is_the_one_trafilatura_builds(html: str) -> None:
    ours, theirs = load_tree(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)
        # Every element is an HtmlElement (or lxml.html's comment class), so
        # trafilatura and its helpers read it as they read their own.
        assert all(isinstance(e, (lxml.html.HtmlElement, lxml.html.HtmlComment)) for e in ours.iter())


def test_extraction_from_either_tree_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    html = page()
    ours = extract_article(html, "https://example.org/a")
    assert ours is not None and "Paragraph 7" in ours.text
    monkeypatch.setattr("crawler.extract.load_tree", load_html)
    assert extract_article(html, "https://example.org/a") == ours
