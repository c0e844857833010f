"""Which block each body line came from (crawler/blocks.py), above all the
lines of a paragraph split by ``<br>``, on small pages written for this
test."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.blocks import as_line, block_densities, is_segment, line_blocks, line_key, prefer_inside, segments
from crawler.container import body_container, placing_blocks
from crawler.extract import extract_article

BODY = (
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
    *(f"Paragraph {i} of the story about the leak goes on, with enough words in it to count as a line." for i in range(4)),
)
URL = "https://replica.test/2024/11/26/sora"


def _element(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def test_a_paragraph_split_by_breaks_is_read_as_its_lines() -> None:
    paragraph = _element(
        "<p>Replica News<br>12 Main Street, <b>Springfield<br>Ohio</b> 45501<br>"
        "<a href='/more'>More from <b>the desk</b></a><script>var x = 1;</script><br><span>Call us</span> any time</p>"
    )
    # Each line with how much of it is link text; a bold run across a
    # break belongs to both lines; a script's text is nobody's.
    assert segments(paragraph) == {
        "ReplicaNews": 0,
        "12MainStreet,Springfield": 0,
        "Ohio45501": 0,
        "Morefromthedesk": len("Morefromthedesk"),
        "Callusanytime": 0,
    }


def test_a_block_inside_ends_a_line_and_is_not_part_of_one() -> None:
    division = _element("<div>Before the list<br>and after a break<ul><li>an item</li></ul>the tail<br>last</div>")
    assert segments(division) == {"Beforethelist": 0, "andafterabreak": 0, "thetail": 0, "last": 0}


def test_lines_of_a_split_paragraph_find_it_in_the_page_order() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><div class='story'><p>Jane Doe<br>Staff writer</p>"
        f"<p>{BODY[0]}</p><p>Related:<br><a href='/a'>The leak, explained</a><br>"
        "Artists say they were <a href='/b'>unpaid</a></p><p>Staff writer</p></div></body></html>"
    )
    lines = ["Jane Doe", "Staff writer", BODY[0], "Related:", "The leak, explained", "Artists say they were unpaid"]
    blocks = line_blocks(tree, lines)
    # A line that is a whole block somewhere is that block, not a segment.
    assert blocks[line_key("Staff writer")].text_content() == "Staff writer"
    assert blocks[line_key("Jane Doe")].text_content() == "Jane DoeStaff writer"
    assert list(blocks) == [line_key(line) for line in ("Jane Doe", BODY[0], "Related:", "The leak, explained",
                                                         "Artists say they were unpaid", "Staff writer")]
    densities = block_densities(blocks)
    # A linked line's density is its own, not its paragraph's.
    assert densities[line_key("The leak, explained")] == 1.0
    assert densities[line_key("Related:")] == 0.0
    assert 0.2 < densities[line_key("Artists say they were unpaid")] < 0.3
    assert is_segment(line_key("Jane Doe"), blocks[line_key("Jane Doe")])
    assert not is_segment(line_key(BODY[0]), blocks[line_key(BODY[0])])


def test_a_split_paragraph_places_the_body_once() -> None:
    # The body ends with a poem of ten lines in a box of its own; counted
    # once a line it would pull the container down into that box and
    # leave the rest of the article outside.
    poem = "<br>".join(f"Line {i} of the poem the artists posted with the leak, read aloud" for i in range(10))
    tree = lxml.html.document_fromstring(
        "<html><body><div class='article'>" + "".join(f"<p>{p}</p>" for p in BODY[:2])
        + f"<div class='poem'><p>{poem}</p></div></div></body></html>"
    )
    lines = [*BODY[:2], *poem.split("<br>")]
    container = body_container(placing_blocks(line_blocks(tree, lines)))
    assert container is not None and container.get("class") == "article"


def test_a_related_list_typed_into_the_body_is_not_the_article() -> None:
    def page(headlines: tuple[str, str], body: tuple[str, ...] = BODY) -> str:
        related = "<br>".join(f"<a href='/story/{i}'>{h}</a>" for i, h in enumerate(headlines))
        paragraphs = "".join(f"<p>{p}</p>" for p in body)
        return (f"<html><head><title>Artists leak Sora</title></head><body><article><h1>Artists leak Sora</h1>"
                f"<div class='body'>{paragraphs}<p><strong>Read more</strong><br>{related}</p>"
                "<p>Replica News<br>12 Main Street, Springfield, Ohio 45501, where the desk is</p>"
                "</div></article></body></html>")

    served = extract_article(page(("The struggle to save lives inside the hospitals",
                                   "The best inventions of the year so far")), URL)
    assert served is not None and "The best inventions of the year so far" in served.text
    rotated = extract_article(page(("Why the snooze button is bad for you", "A love story of chosen family")), URL)
    assert rotated is not None and rotated.content_hash == served.content_hash
    # A word changed in a line of a split paragraph that is not linked is
    # an edit.
    moved = extract_article(page(("The struggle to save lives inside the hospitals",
                                  "The best inventions of the year so far")).replace("12 Main", "14 Main"), URL)
    assert moved is not None and moved.content_hash != served.content_hash


def _sectioned_page(heading: str, contents_inside: bool) -> str:
    """An article with a section ``heading`` that a list of links names
    too: a menu above the article, or a table of contents in it."""
    links = f"<ul class='jump'><li><a href='#s'>{heading}</a></li><li><a href='#faq'>Questions</a></li></ul>"
    body = "".join(f"<p>{p}</p>" for p in BODY[:4]) + f"<h2 id='s'>{heading}</h2>" + "".join(
        f"<p>{p}</p>" for p in BODY[4:])
    menu, contents = ("", f"<div class='toc'><p>Contents</p>{links}</div>") if contents_inside else (
        f"<nav>{links}</nav>", "")
    return (f"<html><head><title>Artists leak Sora</title></head><body>{menu}<article><h1>Artists leak Sora</h1>"
            f"<div class='story'>{contents}{body}</div></article></body></html>")


@pytest.mark.parametrize("contents_inside", [False, True])
def test_a_heading_repeated_as_a_link_is_the_bodys_heading(contents_inside: bool) -> None:
    # A line is found at its first place on the page: the menu above the
    # article, or its own table of contents, where it is a link. The
    # heading is the body's (outside the container first: the block
    # inside; inside: the one that is not a link), and its edit is one.
    served = extract_article(_sectioned_page("What the artists want", contents_inside), URL)
    assert served is not None
    lines = served.text.split("\n")
    assert [i for i, line in enumerate(lines) if line == "What the artists want" and i not in served.chrome]
    edited = extract_article(_sectioned_page("What the artists demand", contents_inside), URL)
    assert edited is not None and edited.content_hash != served.content_hash


def test_prefer_inside_maps_a_repeated_line_to_its_block_in_the_container() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><nav><p>Final verdict</p></nav><div class='story'><p>Final verdict</p>"
        f"<p>{BODY[0]}</p></div><footer><p>Final verdict</p></footer></body></html>"
    )
    others: dict[str, list[lxml.html.HtmlElement]] = {}
    blocks = line_blocks(tree, ["Final verdict", BODY[0]], others)
    nav, story, footer = tree.findall(".//p")[0], tree.find(".//div"), tree.findall(".//p")[-1]
    assert blocks[line_key("Final verdict")] is nav
    assert others[line_key("Final verdict")] == [story[0], footer]
    preferred = prefer_inside(blocks, others, story)
    assert preferred[line_key("Final verdict")] is story[0]
    assert preferred[line_key(BODY[0])] is story[1]
    # Found only outside: left where it was.
    assert prefer_inside(blocks, {}, story)[line_key("Final verdict")] is nav


def test_prefer_inside_maps_a_table_of_contents_entry_to_its_heading() -> None:
    """A table of contents' entry jumps to a heading of the article: the
    line is the heading's, whether the entry is the link (a plugin's) or
    a word inside it (MediaWiki's ``toctext``), and when a menu outside
    names the heading first."""
    tree = lxml.html.document_fromstring(
        "<html><body><nav><ul><li><a href='/history'>History</a></li></ul></nav><div class='story'>"
        "<div class='toc'><ul><li><a href='#why'>Why it matters</a></li>"
        "<li><a href='#history'><span class='tocnumber'>2</span> <span class='toctext'>History</span></a></li></ul></div>"
        f"<p>{BODY[0]}</p><h2 id='why'>Why it matters</h2><p>{BODY[1]}</p>"
        f"<h2><span id='history'>History</span></h2><p>{BODY[2]}</p></div></body></html>"
    )
    lines = ["Why it matters", "History", *BODY[:3]]
    others: dict[str, list[lxml.html.HtmlElement]] = {}
    blocks = line_blocks(tree, lines, others)
    story = tree.find(".//div")
    assert blocks[line_key("Why it matters")].tag == "li"
    assert blocks[line_key("History")].getparent().getparent().tag == "nav"
    preferred = prefer_inside(blocks, others, story)
    assert [preferred[line_key(line)].tag for line in lines[:2]] == ["h2", "h2"]


def test_a_block_is_keyed_on_its_text_however_much_space_pads_it() -> None:
    """A container's long text is judged on its beginning; a block whose
    text is mostly whitespace (an indented template) is still a block, and
    one longer than a block (2,000 characters without spaces) is not."""
    line = "The artists said the company used them for unpaid research and testing."
    padded = " " * 9000 + line + "\n" * 500
    long_ones = ["word " * 3000, "words " * 450]
    tree = lxml.html.fromstring(f"<html><body><p>{padded}</p><div>{long_ones[0]}</div><div>{long_ones[1]}</div>"
                                "</body></html>")
    blocks = line_blocks(tree, [line, *long_ones])
    assert list(blocks) == [line_key(line)] and blocks[line_key(line)].tag == "p"


def test_blocks_beside_and_around_a_block_too_long_to_be_a_line_are_still_found() -> None:
    """Blocks are read from the innermost out, and what holds a block too
    long to be any line is not read: that must never lose the block beside
    it, the outermost of the blocks wrapping one line, or a line as long
    as the longest asked for."""
    long_paragraph = " ".join(BODY * 3)
    tree = lxml.html.document_fromstring(
        "<html><body><div class='page'><div class='story'>"
        f"<div class='dek'><span><b>{BODY[0]}</b></span></div><p>{long_paragraph}</p>"
        f"<div><p>{BODY[1]}</p></div><p>Short</p></div>"
        f"<aside><div><p>{BODY[2]}</p></div></aside></div></body></html>"
    )
    lines = [BODY[0], BODY[1], "Short", BODY[2]]
    blocks = line_blocks(tree, lines)
    story = tree.find(".//div[@class='story']")
    assert list(blocks) == [line_key(line) for line in lines]
    assert blocks[line_key(BODY[0])] is story[0]  # the outermost of div, span and b
    assert blocks[line_key(BODY[1])] is story[2]
    assert blocks[line_key("Short")] is story[3]
    assert blocks[line_key(BODY[2])].tag == "div" and blocks[line_key(BODY[2])].getparent().tag == "aside"
    # The long paragraph is found when it is a line itself, and so is
    # nothing holding it.
    blocks = line_blocks(tree, [long_paragraph, "Short"])
    assert blocks[line_key(long_paragraph)].tag == "p" and list(blocks) == [line_key(long_paragraph), "Short"]


def test_a_blocks_text_is_what_the_page_shows_and_its_scripts() -> None:
    """The block's text, serialised by libxml2, is ``text_content()``'s: a
    comment is not in it, a child's tail and a script's text are, its own
    tail is not."""
    tree = lxml.html.fromstring("<html><body><div>a <!-- hidden --> b<p>x&shy;y <a>l|k</a></p> tail"
                                "<script>s()</script><?pi x?>z &amp; &#160;w</div> after it</body></html>")
    block = tree.find(".//div")
    key = line_key(block.text_content())
    assert line_blocks(tree, [block.text_content()]) == {key: block}
    assert "hidden" not in key and "tail" in key and "s()" in key and "after" not in key


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("  A paragraph\n\tacross  lines. ", "A paragraph across lines."),
        ("Spaces  and   more ", "Spaces and more"),  # printable throughout: folded, not filtered
        ("Zero\u200bwidth and soft\u00adhyphen\nlines", "Zerowidth and softhyphen lines"),
        ("a \u200b b\n", "a b"),  # a word that prints nothing leaves no word behind
        ("\ufeff\n\u200d", ""),
    ],
)
def test_a_text_as_a_line_is_printable_and_folded(text: str, line: str) -> None:
    assert as_line(text) == line


def test_a_link_to_a_place_on_the_same_page_is_not_link_text() -> None:
    """A heading's own anchor and a table of contents' entry jump within
    the article: its words, not a way to another page (the chrome rules
    read the density: a linked subheading was left out of the identity)."""
    tree = lxml.html.document_fromstring(
        "<html><body><ul><li><a href='#why'>Why it matters</a></li></ul>"
        "<h2><a href='#why' id='why'>Why it matters</a></h2><h2><a href='/more'>More from the desk</a></h2>"
        "<p><a href='#'>Share this story</a></p><p><a href='#!print'>Print this story</a></p></body></html>")
    lines = ["Why it matters", "More from the desk", "Share this story", "Print this story"]
    densities = block_densities(line_blocks(tree, lines))
    assert densities[line_key("Why it matters")] == 0.0
    # Another page, and a button a script opens, are links.
    assert [densities[line_key(line)] for line in lines[1:]] == [1.0, 1.0, 1.0]
