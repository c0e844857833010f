"""Extraction rules, each on a small page written for this test."""

from __future__ import annotations

import datetime as dt
import json

import lxml.html

from crawler.extract import extract_article
from crawler.metadata import clean_authors, clean_title, visible_bylines
from storage.record import held_back, is_truncated
from storywatch.article import Extracted
from tests.support.pages import BODY, page


def test_title_site_suffix_and_heading() -> None:
    assert clean_title("Artists leak Sora | The Verge", "The Verge") == "Artists leak Sora"
    assert clean_title("TechCrunch - Artists leak Sora", "TechCrunch") == "Artists leak Sora"
    assert clean_title("A long enough headline here - Example News", None) == "A long enough headline here"
    assert clean_title("Faire Lieferketten - Evangelisches Jugendwerk", None, ("Faire Lieferketten",)) == "Faire Lieferketten"
    assert clean_title("Short - Thing", None) == "Short - Thing"  # nothing to drop


def test_json_ld_first_and_entities_unescaped() -> None:
    ld = {"@type": "NewsArticle", "headline": "Record of the week: &#8216;Pale Blue Dot&#8217;",
          "author": [{"@type": "Person", "name": "Ana Diaz"}, {"@type": "Organization", "name": "Example Media"}],
          "datePublished": "2024-11-26T22:30:00-05:00", "dateModified": "2024-11-27T10:00:00-05:00"}
    extracted = extract_article(page(ld=ld), "https://example.org/x")
    assert extracted is not None
    assert extracted.title == "Record of the week: ‘Pale Blue Dot’"
    assert extracted.authors == ("Ana Diaz",)  # the publisher is not a byline
    # Published and modified kept apart, each on the outlet's own day.
    assert extracted.published_at is not None and extracted.published_at.date() == dt.date(2024, 11, 26)
    assert extracted.modified_at is not None and extracted.modified_at.date() == dt.date(2024, 11, 27)


def test_og_and_meta_when_no_json_ld() -> None:
    head = ('<meta property="og:title" content="OG headline"><meta property="og:site_name" content="Site">'
            '<meta name="author" content="By Sam Lee and Kim Park"><link rel="canonical" href="/canonical/path">'
            '<meta property="article:published_time" content="2024-11-26T09:00:00Z">')
    extracted = extract_article(page(head=head), "https://example.org/x?utm_source=a")
    assert extracted is not None
    assert extracted.title == "OG headline"
    assert extracted.authors == ("Sam Lee", "Kim Park")
    assert extracted.canonical_url == "https://example.org/canonical/path"
    assert extracted.published_at == dt.datetime(2024, 11, 26, 9, tzinfo=dt.UTC)


def test_byline_normalisation() -> None:
    assert clean_authors(["By Jane Doe, Senior Reporter"]) == ("Jane Doe",)
    assert clean_authors(["View all posts by Daniel Lemire"]) == ("Daniel Lemire",)
    assert clean_authors(["Von Vanessa Franke"]) == ("Vanessa Franke",)
    assert clean_authors(["Isabel Caro, Rocío Latorre y José Wilson"]) == ("Isabel Caro", "Rocío Latorre", "José Wilson")
    assert clean_authors(["Staff Writer"]) == ("Staff Writer",)
    assert clean_authors(["https://example.org/people/jane", "jane@example.org", "Jane Doe", "jane doe"]) == ("Jane Doe",)


def test_paywall_flags() -> None:
    ld = {"@type": "NewsArticle", "headline": "Locked", "isAccessibleForFree": "False"}
    locked = extract_article(page(ld=ld), "https://example.org/x")
    assert locked is not None and locked.is_partial and locked.partial_reason == "paywall"
    teaser = page(body="<p>The first paragraph of a story about the leak, long enough to be read as text by the extractor.</p>"
                       "<div class='paywall'>Subscribe to continue reading</div>")
    extracted = extract_article(teaser, "https://example.org/y")
    assert extracted is not None and extracted.is_partial
    free = extract_article(page(), "https://example.org/z")
    assert free is not None and not free.is_partial


def test_truncation_against_the_last_version() -> None:
    assert is_truncated("x" * 4000, "x" * 1000)
    assert not is_truncated("x" * 4000, "x" * 3000)
    assert not is_truncated("x" * 500, "x" * 10)  # too short to judge


def test_what_never_replaces_a_complete_version() -> None:
    def fetched(text: str, partial: bool = False) -> Extracted:
        return Extracted(title="Sora leak", authors=(), published_at=None, modified_at=None, text=text,
                         description=None, language="en", tags=(), is_partial=partial,
                         partial_reason="paywall" if partial else None, extractor_version="32")

    assert held_back("x" * 4000, fetched("x" * 900, partial=True)) == "partial"
    assert held_back("x" * 4000, fetched("x" * 1000)) == "truncated"
    assert held_back("x" * 4000, fetched("x" * 3900)) is None
    assert held_back(None, fetched("x" * 900, partial=True)) is None  # nothing complete to keep


def test_xml_declaration_and_encodings() -> None:
    xhtml = b'<?xml version="1.0" encoding="UTF-8" ?>\n' + page()
    assert extract_article(xhtml, "https://example.org/x") is not None
    latin = page(body=BODY + "<p>Café crème in a Latin-1 page, written so that the text is long enough.</p>",
                 head='<meta charset="iso-8859-1">').decode().encode("latin-1")
    extracted = extract_article(latin, "https://example.org/l")
    assert extracted is not None and "Café crème" in extracted.text


def test_pages_without_text() -> None:
    assert extract_article(b"", None) is None
    assert extract_article(b"<html><body><div id='root'></div><script>render()</script></body></html>", None) is None


def test_a_page_trafilatura_refuses_is_read_from_its_metadata() -> None:
    """A document trafilatura's loader refuses as not HTML (an XML root
    with one child) gives no body from trafilatura; its JSON-LD's
    articleBody, naming the page's headline, is still the article."""
    body = "Artists leaked access to OpenAI's Sora on Tuesday, saying they were used for unpaid testing. " * 8
    ld = json.dumps({"@type": "NewsArticle", "headline": "Sora leaked by artists", "articleBody": body})
    extracted = extract_article(f'<?xml version="1.0"?><rss><script type="application/ld+json">{ld}</script></rss>',
                                "https://example.org/x")
    assert extracted is not None and extracted.title == "Sora leaked by artists"
    assert extracted.text.startswith("Artists leaked access to OpenAI's Sora on Tuesday")


def test_visible_byline_markup_as_last_resort() -> None:
    marked = page(body=BODY + '<p class="byline">By <span itemprop="author"><span itemprop="name">Mia Sato</span></span></p>')
    extracted = extract_article(marked, "https://example.org/b")
    assert extracted is not None and extracted.authors == ("Mia Sato",)
    rel = page(body=BODY + '<footer>Written by <a rel="author" href="/people/ana">Ana Diaz</a></footer>')
    extracted = extract_article(rel, "https://example.org/r")
    assert extracted is not None and extracted.authors == ("Ana Diaz",)


def test_visible_bylines_by_their_markup_in_order() -> None:
    """schema.org's author first, then rel=author, then a class naming a
    byline or an author (in German too); a comment's author is not one."""
    def read(body: str) -> tuple[str, ...]:
        return visible_bylines(lxml.html.document_fromstring(f"<html><body>{body}</body></html>"))

    assert read('<p class="post-author-name">Ana Diaz</p><p itemprop="author">Mia Sato</p>') == ("Mia Sato",)
    assert read('<p class="byline-wrap">By Ana Diaz</p><a rel="author" href="/mia">Mia Sato</a>') == ("Mia Sato",)
    assert read('<span class="autor">Jana Muster</span>') == ("Jana Muster",)
    assert read('<div class="entry-byline">By Ana Diaz</div>') == ("By Ana Diaz",)
    assert read('<div class="comment-author">Troll</div><div class="post-author-name">Ana Diaz</div>') == ("Ana Diaz",)
    assert read('<p class="headline">Sora leaked</p>') == ()


def test_the_identity_holds_the_stated_byline_not_a_guessed_one() -> None:
    """Issue 20: a byline read from the page's text moves when the page
    around the article does (a "More by ..." link); the identity holds the
    authors the page states in its metadata."""
    guessed = [extract_article(page(body=BODY + f'<p class="byline">By <span itemprop="author">{name}</span></p>'),
                               "https://example.org/b") for name in ("Mia Sato", "Ana Diaz")]
    assert guessed[0] is not None and guessed[1] is not None
    assert (guessed[0].authors, guessed[0].stated_authors) == (("Mia Sato",), ())
    assert guessed[0].content_hash == guessed[1].content_hash
    stated = [extract_article(page(ld={"@type": "NewsArticle", "headline": "Sora leaked",
                                       "author": {"@type": "Person", "name": name}}), "https://example.org/s")
              for name in ("Mia Sato", "Ana Diaz")]
    assert stated[0] is not None and stated[1] is not None
    assert stated[0].stated_authors == stated[0].authors == ("Mia Sato",)
    assert stated[0].content_hash != stated[1].content_hash  # a corrected byline is an edit


def test_a_comment_forms_heading_is_not_the_headline() -> None:
    # A WordPress theme that marks its headline with no h1 and no title
    # class; the comment form's heading has both "title" words.
    form = ('<div id="respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply <small>'
            '<a id="cancel-comment-reply-link" href="#respond">Cancel reply</a></small></h3></div>')
    extracted = extract_article(page(body=BODY + form, title="Artists leak Sora in protest at OpenAI"), "https://blog.test/p")
    assert extracted is not None and extracted.title == "Artists leak Sora in protest at OpenAI"


def test_placeholders_are_not_names() -> None:
    assert clean_authors(["Posted"]) == ()
    assert clean_authors(["Name"]) == ()
    assert clean_authors(["Frank Bueltge - http://bueltge.de"]) == ("Frank Bueltge",)
    assert clean_authors(["cipha[at]cipha.net"]) == ()


def _ld_body(body: str) -> dict[str, str]:
    return {"@type": "NewsArticle", "headline": "Artists leak Sora", "articleBody": body}


def test_a_complete_article_body_that_agrees_with_the_page_is_read_as_text() -> None:
    # The CMS put the body's HTML there, with one paragraph more than the
    # page's container shows (the article continues in a second container).
    paragraphs = [f"Paragraph {i} of a news story about an AI video tool that leaked, with enough words to count as text."
                  for i in range(8)]
    more = "The artists said the &quot;art washing&quot; had to stop, and OpenAI paused access the same day."
    markup = "".join(f"<p>{p}</p>" for p in [*paragraphs, more])
    extracted = extract_article(page(ld=_ld_body(markup)), "https://example.org/x")
    assert extracted is not None
    assert extracted.text.split("\n") == [*paragraphs, 'The artists said the "art washing" had to stop, and OpenAI'
                                          " paused access the same day."]


def test_an_article_body_that_disagrees_with_the_page_is_not_used() -> None:
    # A stale or foreign articleBody, long as it is, is not what the page says.
    foreign = " ".join(f"Sentence {i} of another article entirely, about the weather in a far away town." for i in range(20))
    extracted = extract_article(page(ld=_ld_body(foreign)), "https://example.org/x")
    assert extracted is not None
    assert "weather" not in extracted.text
    assert "Paragraph 0 of a news story" in extracted.text


def test_a_page_showing_only_a_caption_reads_its_own_article_body() -> None:
    # The page draws its article by script: on it, only a photo's caption.
    # Too little to agree with, so the articleBody must name the page's
    # headline (a CMS cuts it short with an ellipsis).
    shown = ("Artists who tested Sora for OpenAI protest outside the company's offices in San Francisco on Tuesday,"
             " the day the group published its open letter and a page that let anyone make videos with the tool"
             " for about three hours. Photo: AP. Sign in or subscribe to read the full story.")
    caption = f"<p>{shown}</p>"
    story = " ".join(f"Sentence {i} of the story of the artists who leaked OpenAI's video tool in protest." for i in range(20))
    ld = {"@type": "NewsArticle", "headline": "Artists leak Sora, saying OpenAI used them...", "articleBody": story}
    own = extract_article(page(body=caption, ld=ld, title="Artists leak Sora, saying OpenAI used them for art washing | Site"),
                          "https://example.org/x")
    assert own is not None and own.text == story
    foreign = extract_article(page(body=caption, ld=ld, title="Weather in a far away town | Site"), "https://example.org/x")
    assert foreign is not None and foreign.text.endswith(shown) and "Sentence" not in foreign.text


def test_an_article_body_in_markdown_is_read_as_its_text() -> None:
    # Some CMSs write the articleBody in Markdown: a link is its text, and
    # strong or emphasised words are their words, not asterisks.
    paragraphs = [f"Paragraph {i} of a news story about an AI video tool that leaked, with enough words to count as text."
                  for i in range(8)]
    markdown = "\n\n".join([
        *paragraphs[:3],
        "The group published [a statement](https://example.org/statement) on **Hugging Face**, calling it *art washing*.",
        *paragraphs[3:],
    ])
    extracted = extract_article(page(ld=_ld_body(markdown)), "https://example.org/x")
    assert extracted is not None
    assert "The group published a statement on Hugging Face, calling it art washing." in extracted.text.split("\n")
    assert "](" not in extracted.text and "*" not in extracted.text
    # Condé Nast's own marks: a heading's hashes, an attribute list after
    # a link, a gallery's fences, an image embed (its caption is the
    # page's text, its credit and its photo's id are not), a rule.
    verso = "\n\n".join([
        *paragraphs[:3],
        "## Where the artists met",
        "They met at [a gallery](https://example.org/g){: target=\"_blank\"} in Berlin, the group said.",
        "+++group-2",
        "[#image: /photos/61979e4b849388156b5a9ae5]|||The gallery, seen from the street.|||Photo: Jane Doe",
        "[#video: https://example.org/video/1]",
        "+++",
        *paragraphs[3:],
        "***",
    ])
    conde = extract_article(page(ld=_ld_body(verso)), "https://example.org/z")
    assert conde is not None
    assert conde.text.split("\n") == [
        *paragraphs[:3], "Where the artists met", "They met at a gallery in Berlin, the group said.",
        "The gallery, seen from the street.", *paragraphs[3:],
    ]
    # Code and arithmetic keep their characters.
    kept = "Call __init__.py with *args and **kwargs; 2*3*4 is 24, and x*y* is y*x* here."
    code = extract_article(page(ld=_ld_body("\n\n".join([*paragraphs, kept]))), "https://example.org/y")
    assert code is not None and kept in code.text.split("\n")
