"""crawler.htmltree builds the tree trafilatura's own loader would, faster."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree
from trafilatura.utils import load_html

from crawler.extract import extract_article
from crawler.htmltree import load_tree
from tests.support.pages import page

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
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    "<html><body><p>An XHTML doctype, which libxml2 trips on.</p></body></html>",
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"><html><body><p>All on one line.</p></body></html>',
    "<!doctype html>\n<html/>\n<body><p>A doctype and a self-closing html tag.</p></body>",
    # Read from its UTF-8 bytes: the declared charset must not win over them.
    "<html><head><meta charset='iso-8859-1'></head><body><p>Emoji \U0001f600, \u00fc, \u4e2d\u6587.</p></body></html>",
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'></head>"
    "<body><p>\u201cQuoted\u201d \u2014 caf\u00e9</p></body></html>",
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


def test_a_lone_surrogate_does_not_end_the_text() -> None:
    # crawler.textdecode never produces one; a str that has one loses the
    # rest of its text when lxml reads the str (trafilatura's way), not when
    # it reads the bytes.
    tree = load_tree("<html><body><p>Before \ud800 after.</p></body></html>")
    assert tree is not None
    assert "after." in tree.text_content()


def test_extraction_from_either_tree_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    html = page()
    ours = extract_article(html, "https://example.org/a")
    assert ours is not None and "Paragraph 7" in ours.text
    monkeypatch.setattr("crawler.extract.load_tree", load_html)
    assert extract_article(html, "https://example.org/a") == ours
