"""A web component's link (``<pp-link href>``) is read as a link: by the
extractor's chrome rules, by link discovery and by the churn rules' view of
the page (crawler/component_links.py), on small pages of our own."""

from __future__ import annotations

import lxml.html

from crawler.component_links import anchor_component_links
from crawler.discovery import article_links
from crawler.extract import extract_article
from storywatch.churn import extracted_identity
from storywatch.pagetext import page_said

BODY = (
    "<p>OpenAI paused access to Sora on Tuesday after a group of artists calling themselves PR Puppets "
    "published an interface that let anyone generate videos with the unreleased model.</p>"
    "<p>The artists said they had been invited to test the tool and were asked to do unpaid work for "
    "a company valued at 150 billion dollars; OpenAI said taking part in the programme was voluntary.</p>"
    "<p>The company said it would restore access once it had reviewed what happened.</p>"
)
RELATED = ("Artists protest unpaid testing programmes", "What the Sora leak means for video models",
           "OpenAI's developer day, in five points")


def _page(related: tuple[str, ...] = RELATED) -> str:
    # A design system's related list: each entry a <pp-link>, its text in a
    # paragraph of its own, inside the article's container.
    items = "".join(f'<pp-list-item><pp-link href="/de/{n}.html"><div data-slot="pp-text"><p class="text">{title}'
                    f"</p></div></pp-link></pp-list-item>" for n, title in enumerate(related))
    return (f"<html><head><title>Sora leak</title></head><body><main><article><h1>Artists leak OpenAI's Sora</h1>"
            f'<div class="body-text">{BODY}<pp-list>{items}</pp-list></div></article></main></body></html>')


def test_a_custom_element_with_an_address_becomes_a_link() -> None:
    page = ('<html><head><link rel="stylesheet" href="/s.css"></head><body>'
            '<pp-link href="/de/a.html"><p>Leistungen</p></pp-link><pp-card><p>Sora</p></pp-card>'
            '<map><area href="/x" alt="x"></map><a href="/b">b</a></body></html>')
    tree = lxml.html.document_fromstring(page)
    anchor_component_links(tree, page)
    assert [(e.tag, e.get("href")) for e in tree.iter("a")] == [("a", "/de/a.html"), ("a", "/b")]
    # A custom element without an address, <link> and <area> are what they were.
    assert [e.tag for e in tree.iter("pp-card", "link", "area")] == ["link", "pp-card", "area"]
    assert tree.find(".//a/p").text == "Leistungen"


def test_a_related_list_of_component_links_is_chrome_and_never_a_version() -> None:
    read = extract_article(_page(), "https://www.example.org/sora.html")
    assert read is not None
    lines = read.text.split("\n")
    assert [lines[i] for i in read.chrome] == list(RELATED)
    assert "unpaid work" in lines[1] and 1 not in read.chrome
    rotated = extract_article(_page(("Sora's makers answer the artists", "Five things to know about Sora")),
                              "https://www.example.org/sora.html")
    assert rotated is not None
    assert extracted_identity(rotated) == extracted_identity(read)


def test_discovery_and_the_churn_rules_see_component_links() -> None:
    section = b'<html><body><pp-link href="/2024/11/26/sora-leak"><p>Sora leak</p></pp-link></body></html>'
    assert article_links(section, "https://a.com/ai") == ["https://a.com/2024/11/26/sora-leak"]
    said = page_said(_page())
    assert said.links["artistsprotestunpaidtestingprogrammes"] == {"artists", "protest", "unpaid", "testing",
                                                                   "programmes"}
