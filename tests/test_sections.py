"""An article laid out as a run of sibling modules: the modules the
extractor dropped are put back, in order, and nothing that only looks like
one (a list of teasers, a comment thread, a related box) is
(crawler/sections.py)."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.blocks import line_blocks
from crawler.container import body_container, placing_blocks
from crawler.extract import extract_article
from crawler.sections import missing_sections

# Paragraphs long enough that trafilatura keeps the longest module only
# (with short ones it reads the page whole).
PARAGRAPHS = [
    f"Paragraph {n} of the story: the artists who leaked OpenAI's Sora said they had been used as unpaid testers."
    " They said the company asked for feedback and free art, and gave them little in return for months of work."
    for n in range(12)
]
MODULE = 'editorial-module editorial-module--text'


def _module(paragraphs: list[str], classes: str = MODULE) -> str:
    return f'<div class="{classes}"><div class="text">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></div>"


# A picture or a video between the article's modules, as interview pages lay them out.
MEDIA = '<div class="editorial-module editorial-module--video"><video src="clip.mp4"></video><button>Sound on</button></div>'


def _page(*modules: str) -> str:
    return ("<html><head><title>Sora leaked</title></head><body><div class='shell'><section id='content'>"
            "<div class='single-wrapper'><h1>Artists leak OpenAI's Sora</h1>"
            + MEDIA.join(modules) + "</div></section></div></body></html>")


ARTICLE = _page(_module(PARAGRAPHS[:2]), _module(PARAGRAPHS[2:4]), _module(PARAGRAPHS[4:10]), _module(PARAGRAPHS[10:]))


def _put_back(html: str, kept: list[str]) -> list[str]:
    """The lines after putting back, when the extractor kept ``kept``."""
    tree = lxml.html.document_fromstring(html)
    blocks = line_blocks(tree, kept)
    container = body_container(placing_blocks(blocks))
    assert container is not None
    return missing_sections(kept, blocks, container)[0]


def test_the_modules_the_extractor_dropped_are_put_back_in_the_pages_order() -> None:
    assert _put_back(ARTICLE, PARAGRAPHS[4:10]) == PARAGRAPHS


def test_modules_inside_modules_are_put_back_in_the_pages_order() -> None:
    # Two sections of rows; the extractor kept one row of the second.
    def section(*rows: list[str]) -> str:
        return '<div class="section">' + "".join(
            '<div class="row">' + "".join(f"<p>{p}</p>" for p in row) + "</div>" for row in rows) + "</div>"
    html = _page(section(PARAGRAPHS[:1], PARAGRAPHS[1:2]), section(PARAGRAPHS[2:3], PARAGRAPHS[3:5]))
    assert _put_back(html, PARAGRAPHS[3:5]) == PARAGRAPHS[:5]


def test_a_module_already_in_the_body_is_not_added_twice() -> None:
    assert _put_back(ARTICLE, PARAGRAPHS) == PARAGRAPHS


# Teaser cards of the body's own classes: a linked title over a dek.
TEASERS = "".join(
    f'<div class="{MODULE}"><h3><a href="/story-{n}">Another story, number {n}, about a video tool and its maker</a>'
    f'</h3><p>The dek of story {n}: what happened to a different tool, told in one sentence of its own.</p></div>'
    for n in range(3))


@pytest.mark.parametrize("sibling", [
    # A list of teasers of the same class: link text.
    TEASERS,
    # Marked as not the article, by its id or inside it.
    _module(["Reader one says: I never trusted these tools and this leak proves me right, frankly."]
            ).replace("<div class", '<div id="comments" class', 1),
    _module(["Reader one says: I never trusted these tools and this leak proves me right, frankly."]
            ).replace('<div class="text">', '<div class="text"><div class="comment-list">', 1) + "</div>",
    # Another article of its own, with its headline.
    f'<div class="{MODULE}"><h1>Another story</h1><p>{"A whole other story, told in a full sentence here. " * 2}</p></div>',
    # No sentence: a row of labels.
    _module(["Artists and AI video tools", "OpenAI and the Sora leak news", "More from our technology desk"]),
    # Another kind of module (a caption box), not of the body's classes.
    _module(["Photo: the artists' open letter, as it was posted on Hugging Face by the group on Tuesday."],
            "caption-module"),
])
def test_what_only_looks_like_a_module_of_the_article_is_not_put_back(sibling: str) -> None:
    html = _page(_module(PARAGRAPHS[:6])).replace("</h1>", "</h1>" + sibling)
    assert _put_back(html, PARAGRAPHS[:6]) == PARAGRAPHS[:6]


def test_a_line_of_links_in_a_module_put_back_is_left_out() -> None:
    read_more = '<p>Read more: <a href="/sora-explainer">What is Sora, and why did the artists leak it?</a></p>'
    html = _page(_module(PARAGRAPHS[:10]), _module(PARAGRAPHS[10:]).replace("</p></div>", f"</p>{read_more}</div>"))
    assert _put_back(html, PARAGRAPHS[:10]) == PARAGRAPHS


def test_the_article_read_from_a_page_of_modules_is_whole_and_an_edit_in_any_module_is_an_edit() -> None:
    url = "https://a.test/2024/11/27/sora-interview"
    extracted = extract_article(ARTICLE, url)
    assert extracted is not None
    assert extracted.text.split("\n") == PARAGRAPHS
    # The edit in the first module, which the extractor alone drops.
    edited = extract_article(ARTICLE.replace("Paragraph 1 of", "Paragraph one of"), url)
    assert edited is not None and edited.content_hash != extracted.content_hash
    # A module that is not the article coming and going is no edit.
    with_teasers = extract_article(ARTICLE.replace("</h1>", "</h1>" + TEASERS), url)
    assert with_teasers is not None and with_teasers.content_hash == extracted.content_hash
