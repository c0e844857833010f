"""A flat JSON-LD articleBody split at the page's own paragraphs
(crawler/paragraphs.py), on strings and through the extraction."""

from __future__ import annotations

from crawler.extract import extract_article
from crawler.paragraphs import split_at_paragraphs
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
