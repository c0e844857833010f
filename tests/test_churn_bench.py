"""The churn bench's edits (bench/churn.py) on a page of our own: each
changes the body as an outlet's edit does, its JSON-LD copy in step."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from bench.churn import (
    UPDATE_ABOVE_TEXT,
    UPDATE_TEXT,
    Body,
    edit_figure,
    edit_one_word,
    edit_paragraph_removed,
    edit_subheading,
    edit_update,
    edit_update_above,
    evaluate,
    flipped,
    read_page,
)
from bench.eval_extraction import Page

PARAGRAPHS = [
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday afternoon.",
    "The group said about 1,500 people had signed up, and that 14 of them had been involved.",
    "OpenAI paused the program within hours and said it was looking into what had happened.",
    "The company declined to say when access would be restored to the early testers.",
]
HEADING = "The leak, and what the artists said of the leak"
PAGE = f"""<html><head><script type="application/ld+json">
{json.dumps({"@type": "NewsArticle", "articleBody": " ".join([*PARAGRAPHS, HEADING])})}</script></head>
<body><figure><p>{PARAGRAPHS[0]} A caption that the reference holds too.</p></figure>
<div class="body">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<h2>The leak, and what the <em>artists</em> said of the leak</h2></div></body></html>"""


def _page() -> tuple[lxml.html.HtmlElement, Body]:
    tree = lxml.html.document_fromstring(PAGE)
    reference = "\n".join([f"{PARAGRAPHS[0]} A caption that the reference holds too.", *PARAGRAPHS, HEADING])
    return tree, Body(Page("replica", "sora", Path("sora.html"), None, text=reference), tree)


def _article_body(tree: lxml.html.HtmlElement) -> str:
    script = tree.xpath("//script[@type='application/ld+json']")[0]
    return str(json.loads(script.text)["articleBody"])


def test_a_figure_is_changed_in_a_body_paragraph_and_its_copy() -> None:
    tree, body = _page()
    assert edit_figure(tree, body)
    paragraphs = [p.text_content() for p in tree.xpath("//div[@class='body']/p")]
    # A number standing alone, not a part of "1,500".
    assert paragraphs[1] == PARAGRAPHS[1].replace("14 of", "16 of")
    assert paragraphs[:1] + paragraphs[2:] == PARAGRAPHS[:1] + PARAGRAPHS[2:]
    assert "16 of them" in _article_body(tree) and "14 of them" not in _article_body(tree)


def test_an_update_goes_above_the_first_paragraph_of_the_body() -> None:
    tree, body = _page()
    assert edit_update_above(tree, body)
    first = tree.xpath("//div[@class='body']/p")[0]
    assert first.text_content() == UPDATE_ABOVE_TEXT and first[0].tag == "em"
    assert tree.xpath("//figure/p")[0].text_content().startswith(PARAGRAPHS[0])  # not above the caption
    assert _article_body(tree).startswith(UPDATE_ABOVE_TEXT + "\n")


def test_a_subheading_is_reworded_by_its_last_word() -> None:
    tree, body = _page()
    assert edit_subheading(tree, body)
    # The last word, not the same word before it.
    assert tree.xpath("//h2")[0].text_content() == "The leak, and what the artists said of the altered"
    assert tree.xpath("//h2/em")[0].text == "artists"  # the markup kept
    assert _article_body(tree).endswith("The leak, and what the artists said of the altered")


# The same article printed twice (a second layout for small screens) and
# once more in the app's state, as some outlets do.
TWICE = PAGE.replace("</body>", '<div class="mobile">' + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
                     + "<h3>The leak, and what the <em>artists</em> said of the leak</h3></div>"
                     + f"<script>window.state = {json.dumps({'body': PARAGRAPHS})}</script></body>")


def _twice() -> tuple[lxml.html.HtmlElement, Body]:
    tree = lxml.html.document_fromstring(TWICE)
    return tree, Body(Page("replica", "sora", Path("sora.html"), None, text="\n".join([*PARAGRAPHS, HEADING])), tree)


def test_an_edit_reaches_every_copy_of_the_paragraph_the_page_shows() -> None:
    # A CMS renders one paragraph into every place the page shows it: the
    # bench edits them all, or the extractor reading the other copy would
    # rightly see no edit.
    for edit in (edit_figure, edit_one_word):
        tree, body = _twice()
        assert edit(tree, body)
        desktop = [p.text_content() for p in tree.xpath("//div[@class='body']/p")]
        mobile = [p.text_content() for p in tree.xpath("//div[@class='mobile']/p")]
        assert desktop == mobile and desktop != PARAGRAPHS
        state = tree.xpath("//script[not(@type)]")[0].text
        assert json.loads(state.removeprefix("window.state = "))["body"] == desktop
    tree, body = _twice()
    assert edit_paragraph_removed(tree, body)
    assert [p.text_content() for p in tree.xpath("//div[@class='body']/p")] == (
        [p.text_content() for p in tree.xpath("//div[@class='mobile']/p")]) != PARAGRAPHS
    tree, body = _twice()
    assert edit_subheading(tree, body)
    assert tree.xpath("//h3")[0].text_content() == "The leak, and what the artists said of the altered"
    # A paragraph added beside one is added in every copy.
    for edit, expected in ((edit_update, [*PARAGRAPHS, UPDATE_TEXT]), (edit_update_above, [UPDATE_ABOVE_TEXT, *PARAGRAPHS])):
        tree, body = _twice()
        assert edit(tree, body)
        for layout in ("body", "mobile"):
            assert [p.text_content() for p in tree.xpath(f"//div[@class='{layout}']/p")] == expected


DIV_PAGE = f"""<html><body><nav><a href="/">Home</a> <a href="/tech">Tech, 24 hours a day</a></nav>
<div class="story"><div class="para">{PARAGRAPHS[0]}</div><div class="para">{PARAGRAPHS[1]}<br>
{PARAGRAPHS[2]}</div>
<div class="credits">Reporting by <b>A. Writer</b>, 3 other contributors<div class="tag">Leaks</div></div></div>
<footer><p>Copyright 2024, all rights reserved by the outlet</p></footer></body></html>"""


def _div_page(**reference: object) -> tuple[lxml.html.HtmlElement, Body]:
    tree = lxml.html.document_fromstring(DIV_PAGE)
    return tree, Body(Page("replica", "sora", Path("sora.html"), None, **reference), tree, scope="outside")  # type: ignore[arg-type]


def test_paragraphs_written_as_divs_are_the_body() -> None:
    tree, body = _div_page(text="\n".join(PARAGRAPHS))
    assert [element.get("class") for element in body.inside] == ["para", "para"]
    # So the article's container is spared, and only the page around it churns.
    assert body.container is not None and body.container.get("class") == "story"
    assert not body.touches(tree.xpath("//nav/a")[1]) and not body.touches(tree.xpath("//footer/p")[0])


def test_a_snippet_no_paragraph_holds_places_its_deepest_holder() -> None:
    # A "with" snippet in a text beside a <div>: no block holds it.
    tree, body = _div_page(with_snippets=["3 other contributors"])
    assert [element.get("class") for element in body.inside] == ["credits"]
    assert body.touches(tree.xpath("//div[@class='tag']")[0])
    assert not body.touches(tree.xpath("//nav/a")[1])


def test_a_page_the_reference_is_not_on_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "sora.html"
    path.write_text(DIV_PAGE)
    page = Page("replica", "sora", path, "https://example.com/sora", with_snippets=["a sentence printed nowhere"])
    assert evaluate(page, scope="outside") == {
        "page": "sora", "corpus": "replica", "skipped": "reference not on the page"}


def test_two_runs_are_compared_page_by_page() -> None:
    def outcome(page: str, **kinds: bool) -> dict[str, object]:
        return {"corpus": "c", "page": page, "kinds": {k: {"storywatch": v, "trafilatura": v} for k, v in kinds.items()}}

    before: list[dict[str, object]] = [outcome("a", links=True, figure=False), outcome("b", links=False),
                                       {"corpus": "c", "page": "d", "skipped": "unparseable"}]
    after = [outcome("a", links=False, figure=False), outcome("b", links=False, subheading=True),
             outcome("d", digits=False)]
    assert [(f.page, f.kind, f.before, f.after) for f in flipped(before, after)] == [
        ("a", "links", True, False), ("b", "subheading", None, True), ("d", "digits", None, False)]
    assert flipped(after, after) == []


def test_a_page_is_read_in_the_charset_the_crawler_reads_it_in() -> None:
    # A UTF-8 title above the page's <meta charset> (lxml alone has read
    # the title's bytes as Latin-1 by then), a page declaring no charset,
    # and one declaring windows-1252: each read as the crawler decodes it.
    title_first = "<html><head><title>Rückgewinnung</title><meta charset='utf-8'></head><body><p>für</p></body></html>"
    undeclared = "<html><head><title>Übung</title></head><body><p>Größe – 3 €</p></body></html>"
    declared = "<html><head><meta charset='windows-1252'></head><body><p>Größe – 3 €</p></body></html>"
    assert read_page(title_first.encode()).text_content() == "Rückgewinnungfür"
    assert read_page(undeclared.encode()).text_content() == "ÜbungGröße – 3 €"
    assert read_page(declared.encode("cp1252")).text_content() == "Größe – 3 €"
