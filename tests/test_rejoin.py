"""Paragraphs the extractor split at the page source's line breaks are
joined again (crawler/rejoin.py), on small pages."""

from __future__ import annotations

import lxml.html

from crawler.extract import extract_article
from crawler.rejoin import kept_source_breaks, rejoin_split_blocks

LINKED = """<p>Mitte Januar 2022 hat
    <a href="/tag/strava">Strava</a>

 ein Update für sein Routen-Tool ausgerollt.</p>"""


def _tree(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def test_a_paragraph_split_at_its_source_lines_is_one_line_again() -> None:
    text = "Lead.\nMitte Januar 2022 hat\nStrava\nein Update für sein Routen-Tool ausgerollt.\nNext."
    assert rejoin_split_blocks(text, _tree(f"<p>Lead.</p>{LINKED}<p>Next.</p>")) == (
        "Lead.\nMitte Januar 2022 hat Strava ein Update für sein Routen-Tool ausgerollt.\nNext.")
    # A list item keeps its mark; a hard-wrapped heading is joined too.
    item = "<ul><li>Sora leaked\n   on Tuesday</li></ul><h2>What OpenAI\nsaid</h2>"
    assert rejoin_split_blocks("- Sora leaked\non Tuesday\nWhat OpenAI\nsaid", _tree(item)) == (
        "- Sora leaked on Tuesday\nWhat OpenAI said")


def test_line_breaks_the_page_shows_are_kept() -> None:
    # A <br>, a block inside the block, preformatted text.
    assert rejoin_split_blocks("Jane Doe\nMain Street 1", _tree("<p>Jane Doe<br>\nMain Street 1</p>")) == (
        "Jane Doe\nMain Street 1")
    nested = "<div>Sora leaked\n<p>on Tuesday</p></div>"
    assert rejoin_split_blocks("Sora leaked\non Tuesday", _tree(nested)) == "Sora leaked\non Tuesday"
    code = "<pre><code><div>x = 1\ny = 2</div></code></pre>"
    assert rejoin_split_blocks("x = 1\ny = 2", _tree(code)) == "x = 1\ny = 2"
    # Lines that are only the block's pieces in part, or elsewhere, stay.
    assert rejoin_split_blocks("Mitte Januar 2022 hat\nStrava", _tree(LINKED)) == "Mitte Januar 2022 hat\nStrava"
    assert rejoin_split_blocks("Strava\nMitte Januar 2022 hat", _tree(LINKED)) == "Strava\nMitte Januar 2022 hat"


def test_the_extracted_body_holds_the_paragraph_as_one_line() -> None:
    # trafilatura's fallback keeps the source's line breaks: it reads a
    # body its own rules drop (a container named "teaser").
    filler = " ".join(["The artists said the tool had been used for unpaid labour and art washing."] * 4)
    page = (f"<html><body><h1>Sora leaked</h1><div class='teaser'><p>{filler}</p>{LINKED}<p>{filler}</p>"
            "</div></body></html>")
    read = extract_article(page, "https://example.com/sora")
    assert read is not None
    assert "Mitte Januar 2022 hat Strava ein Update für sein Routen-Tool ausgerollt." in read.text.split("\n")


def test_a_block_holding_a_script_is_left_as_it_is() -> None:
    # Its text is the script's source, which the page does not show.
    block = "<div><script>if (ads) {\n  show('300x250');\n}</script></div>"
    assert rejoin_split_blocks("if (ads) {\nshow('300x250');\n}", _tree(block)) == "if (ads) {\nshow('300x250');\n}"


def test_only_a_text_that_kept_the_source_breaks_is_looked_at() -> None:
    # trafilatura's own reading trims each text; a fallback's keeps the
    # breaks: only then can a paragraph be split.
    assert kept_source_breaks(lxml.html.fromstring("<body><p>Mitte Januar 2022 hat\n Strava</p></body>"))
    assert not kept_source_breaks(lxml.html.fromstring("<body><p>Mitte Januar 2022 hat Strava</p></body>"))
    assert not kept_source_breaks(None)
