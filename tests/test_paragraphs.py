"""A flat JSON-LD articleBody, and a short post trafilatura read as one
line, split at the page's own paragraphs (crawler/paragraphs.py), on
strings and through the extraction."""

from __future__ import annotations

import functools

import lxml.html
import pytest

from crawler.blocks import holds_lines, innermost_block_texts
from crawler.extract import extract_article
from crawler.paragraphs import split_at_paragraphs, split_flat_lines
from tests.support.pages import page

PARAGRAPHS = [
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "Who the artists are",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
    *(f"Paragraph {i} of the story about the leak goes on, with enough words in it to count as a line." for i in range(4)),
]


def test_a_flat_body_is_split_where_the_pages_paragraphs_begin() -> None:
    flat = " ".join(PARAGRAPHS)
    # The short heading is found by the ends of the paragraphs around it.
    assert split_at_paragraphs(flat, "\n".join(PARAGRAPHS)).split("\n") == PARAGRAPHS


def test_numbers_the_page_shows_differently_move_no_break() -> None:
    # Every number on the page ticks ("Paragraph 3" -> "Paragraph 8"), the
    # structured copy keeps its own: the breaks stay where they were.
    flat = " ".join(PARAGRAPHS)
    ticked = "\n".join(p.translate(str.maketrans("0123456789", "5678901234")) for p in PARAGRAPHS)
    assert split_at_paragraphs(flat, ticked).split("\n") == PARAGRAPHS


def test_a_short_visible_line_places_no_break() -> None:
    # "Sora" (a kicker) is a word of the first paragraph too: a line that
    # short could be found anywhere, so it does not split that paragraph.
    flat = " ".join(PARAGRAPHS[:2])
    lines = split_at_paragraphs(flat, "\n".join(["Sora", "x", PARAGRAPHS[1]])).split("\n")
    assert lines == PARAGRAPHS[:2]


def test_what_joined_the_paragraphs_is_neither_paragraphs() -> None:
    # A CMS joins its headings and paragraphs with ". " or ", ".
    heading = "Who the artists are, and what they want"
    lineup = "Line-up: Ana Diaz, Mia Sato and the other artists of the group"  # not on the page
    flat = f"{PARAGRAPHS[0]} {heading}. {PARAGRAPHS[1]}, {PARAGRAPHS[3]}, {lineup}"
    visible = "\n".join([PARAGRAPHS[0], heading, PARAGRAPHS[1], PARAGRAPHS[3]])
    assert split_at_paragraphs(flat, visible).split("\n") == [
        PARAGRAPHS[0], heading, PARAGRAPHS[1], PARAGRAPHS[3], lineup]


def test_text_only_the_flat_copy_holds_stays_as_its_own_line() -> None:
    # The structured copy is complete where the visible text is not (a
    # paragraph in a second container): its words are kept, between breaks.
    extra = "The group later published a list of the artists who had signed the open letter, sixteen names in all."
    flat = " ".join([*PARAGRAPHS[:2], extra, *PARAGRAPHS[3:]])
    lines = split_at_paragraphs(flat, "\n".join([*PARAGRAPHS[:2], *PARAGRAPHS[3:]])).split("\n")
    assert lines == [*PARAGRAPHS[:2], extra, *PARAGRAPHS[3:]]


def test_a_body_that_keeps_its_own_paragraphs_is_left_alone() -> None:
    # (its breaks are the CMS's, where it puts them: two paragraphs as one)
    body = "\n".join([f"{PARAGRAPHS[0]} {PARAGRAPHS[1]}", *PARAGRAPHS[3:]])
    visible = "\n".join(PARAGRAPHS)
    assert split_at_paragraphs(body, visible) == body
    # nor is one the visible text cannot place
    flat = " ".join(p.upper() for p in PARAGRAPHS)
    assert split_at_paragraphs(flat, visible) == flat


RELATED = "(Le puede interesar: Buscan responsables del bus quemado en Anorí, Antioquia)"


def test_a_flat_article_body_is_judged_line_by_line_through_the_extraction() -> None:
    # The page shows paragraphs and, between them, a linked "read also"
    # line; the CMS's articleBody has all of it as one line.  Split, the
    # related line finds its block and is chrome, and an edit of one
    # paragraph is one line of the identity, not the whole article.
    related_html = '<p>(Le puede interesar: <a href="/r">Buscan responsables del bus quemado en Anorí, Antioquia</a>)</p>'
    markup = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + related_html + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    flat = " ".join([*PARAGRAPHS[:2], RELATED, *PARAGRAPHS[3:]])
    ld = {"@type": "NewsArticle", "headline": "Artists leak Sora", "articleBody": flat}
    extracted = extract_article(page(body=markup, ld=ld), "https://example.org/a")
    assert extracted is not None
    lines = extracted.text.split("\n")
    assert lines == [*PARAGRAPHS[:2], RELATED, *PARAGRAPHS[3:]]
    assert extracted.chrome == (2,)

    edited = flat.replace("a few hours later", "an hour later")
    markup_edited = markup.replace("a few hours later", "an hour later")
    again = extract_article(page(body=markup_edited, ld={**ld, "articleBody": edited}), "https://example.org/a")
    assert again is not None
    changed = [line for line in again.text.split("\n") if line not in lines]
    assert changed == [PARAGRAPHS[3].replace("a few hours later", "an hour later")]


HEADLINE = "Charging stations."
DATELINE = "27/11/2024 ~ Ada Park"
POST = (
    "I would put my money into smart, cheap charging stations for electric cars. I wonder why nobody sells them "
    "with service yet.",
    "Thanks for the two percent commission tip, by the way…",
)
SHARE = "Share this: Twitter Facebook"


def test_a_line_that_is_several_of_the_pages_blocks_is_split_at_them() -> None:
    flat = " ".join([HEADLINE, DATELINE, *POST, SHARE])
    blocks = ["Birds fly. Fish swim. I write things down.", DATELINE, *POST, "Other post, other words in it."]
    # The headline and the share line are under 20 characters or no block
    # of their own: they stay where the blocks around them end.
    assert split_flat_lines(["Before.", flat], [1], blocks) == ["Before.", HEADLINE, DATELINE, *POST, SHARE]


def test_a_paragraph_that_holds_another_blocks_words_is_not_split() -> None:
    # A heading's words, or a link's own <div>, inside a long paragraph:
    # what is found whole is not most of the line.
    heading = "Charging stations for everyone"
    paragraph = f"{POST[0]} {heading} is what the shop calls it, and {POST[1]}"
    assert split_flat_lines([paragraph], [0], [heading, "Thanks for the two percent commission tip"]) == [paragraph]
    # nor is one found as a single block (and left as it was written)
    assert split_flat_lines(["\t" + " ".join(POST)], [0], [POST[0]]) == ["\t" + " ".join(POST)]


FLAT_POST = """<!DOCTYPE html><html><head><title>Charging stations. | Notebook</title></head><body>
<div id="page" class="hfeed site">
<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="/">Notebook</a></p>
<p class="site-description">Birds fly. Fish swim. I write things down.</p></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about/">About me</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-1" class="post type-post hentry">
<header class="entry-header"><h1 class="entry-title">{headline}</h1>
<div class="entry-meta"><span class="posted-on"><a href="/2024/11/27/charging/"><time class="entry-date published"
 datetime="2024-11-27T15:14:48+01:00">{day}/11/2024</time></a></span><span class="byline"> ~ <a class="url fn n"
 href="/author/ada/">Ada Park</a></span></div></header>
<div class="entry-content"><p>{first}</p><p><strong>{second}</strong></p>
<div id="post-flair" class="sharedaddy"><h3 class="sd-title">Share this:</h3>
<ul><li><a href="#">{share}</a></li><li><a href="#">Facebook</a></li></ul></div>
</div></article></main></div></div></body></html>"""


def _post_html(day: str = "27", share: str = "Twitter", first: str = POST[0], wrapped: bool = True) -> bytes:
    html = FLAT_POST.format(headline=HEADLINE, day=day, share=share, first=first, second=POST[1])
    if not wrapped:  # the post straight in the page's wrapper: its line is no block's text
        html = html.replace('<div id="content" class="site-content"><main id="main" class="site-main">', "")
        html = html.replace("</article></main></div></div>", "</article></div>")
    return html.encode()


@pytest.mark.parametrize("wrapped", [True, False], ids=["the line is a block holding blocks", "the line is no block"])
def test_a_short_post_read_as_one_line_is_judged_line_by_line(wrapped: bool) -> None:
    # trafilatura reads this post's whole article element as one line
    # (its fallback for few, short paragraphs): the dateline and the share
    # buttons were part of the one line the identity held.
    url = "https://notebook.test/2024/11/27/charging/"
    post = functools.partial(_post_html, wrapped=wrapped)
    extracted = extract_article(post(), url)
    assert extracted is not None
    lines = extracted.text.split("\n")
    assert lines == [HEADLINE, DATELINE, *POST, SHARE]
    assert [lines[i] for i in extracted.chrome] == [DATELINE, SHARE]
    assert "Birds fly" not in extracted.text  # the site's tagline is no standfirst
    # The date and the share buttons change: the same identity; a word of
    # the post changes: another.
    moved = extract_article(post(day="28", share="Bluesky"), url)
    assert moved is not None and moved.content_hash == extracted.content_hash
    edited = extract_article(post(first=POST[0].replace("cheap", "fast")), url)
    assert edited is not None and edited.content_hash != extracted.content_hash


def test_the_pages_innermost_blocks_are_its_paragraphs() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><div class='accordion'><a href='#'>Second office, in the city</a>"
        f"<div class='panel'><p>{POST[0]}</p><p>{POST[1]}</p></div></div>"
        "<p>A paragraph with a <br> break and a <a href='/x'>link in it</a>, long enough to count.</p>"
        "<div>Short.</div></body></html>")
    panel = tree.find_class("panel")[0]
    assert holds_lines(panel) and not holds_lines(panel[0])
    # The panel holds paragraphs (not one itself); a <br> starts a line;
    # under 20 characters is no anchor.
    assert innermost_block_texts(tree) == list(POST)
    # ... and of a part of the page: a panel of two paragraphs is a flat
    # line's candidate, a <div> around one paragraph is not.
    assert innermost_block_texts(panel) == list(POST)
    assert innermost_block_texts(lxml.html.fragment_fromstring(f"<div><p>{POST[0]}</p></div>")) == [POST[0]]
