"""The body's container, and what the extractor read past it
(crawler/container.py), on small pages written for this test."""

from __future__ import annotations

import lxml.html

from crawler.blocks import line_blocks
from crawler.container import body_container, placing_blocks, trailing_outside
from crawler.extract import extract_article

BODY = (
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
    *(f"Paragraph {i} of the story about the leak goes on, with enough words in it to count as a line." for i in range(5)),
)
COMMENT = "What a story. I always wondered how these early access programs pay the people who test the tools."
NEWSLETTER = "Sign up for the Replica Daily and get the five stories everyone is talking about every morning."
UPDATE = "Update: OpenAI said on Wednesday that participation in the early access program had been voluntary."
KICKER = "The leak: what the artists who call themselves PR Puppets did, and why they say they did it."
PAGE = """<html><body><div id="page">
<div class="kicker"><p>{kicker}</p></div>
<div class="story"><h1>Artists leak Sora</h1><div class="post-content">{body}</div></div>
<div class="talk"><p>{comment}</p></div>
<div class="signup"><p>{newsletter}</p></div>
<div class="box"><p>{update}</p></div>
</div></body></html>"""


def _cut(lines: tuple[str, ...]) -> int:
    html = PAGE.format(body="".join(f"<p>{p}</p>" for p in BODY), comment=COMMENT, newsletter=NEWSLETTER,
                       update=UPDATE, kicker=KICKER)
    tree = lxml.html.document_fromstring(html)
    blocks = line_blocks(tree, lines)
    container = body_container(placing_blocks(blocks))
    assert container is not None and container.get("class") == "post-content"
    return trailing_outside(tree, lines, blocks, container)


def test_what_the_extractor_read_past_the_body_is_cut() -> None:
    # (The container holds 80 % of the lines' blocks: a tail as long as
    # a fifth of the body widens it to take the tail in, and nothing is
    # cut.)
    assert _cut((*BODY, COMMENT, NEWSLETTER)) == 2
    # a line found in no block, between or after them, goes with them
    assert _cut((*BODY, COMMENT, "Reply", NEWSLETTER, "")) == 4


def test_the_body_itself_and_a_correction_after_it_stay() -> None:
    assert _cut(BODY) == 0
    assert _cut((*BODY, "Reply", "")) == 0  # nothing known to be outside
    # An edit notice after the container is the article's, and so is
    # everything before it.
    assert _cut((*BODY, COMMENT, UPDATE)) == 0
    assert _cut((*BODY, UPDATE, COMMENT)) == 1


def test_only_what_comes_after_the_container_is_cut() -> None:
    # A comment read before the body's last line: the body goes on after
    # it, so it is not a tail.
    assert _cut((BODY[0], COMMENT, *BODY[1:])) == 0
    # A block from before the container, read last: not a tail either.
    assert _cut((*BODY, KICKER)) == 0


def test_an_article_with_a_readers_forum_below_it() -> None:
    # trafilatura reads on past the article into the forum below it (its
    # markup does not say "comments"); the body ends where its container
    # does.
    forum = "".join(f"<div class='msg'><p>{c}</p></div>" for c in (COMMENT, NEWSLETTER))
    html = f"""<html><body><div id="main"><div class="wrap">{''.join(f'<p>{p}</p>' for p in BODY)}</div>
    <div class="discussion"><h3>Discussion</h3>{forum}</div></div></body></html>"""
    extracted = extract_article(html, "https://a.test/2024/11/26/sora")
    assert extracted is not None
    assert extracted.text.split("\n")[-1] == BODY[-1]
    assert COMMENT not in extracted.text and NEWSLETTER not in extracted.text


def test_lines_of_a_split_paragraph_at_the_end_go_with_what_follows_them() -> None:
    # A membership promo typed into the body's last paragraph, read
    # before the newsletter box after the container: the promo's lines
    # neither end the run nor start one.
    promo = ("We have done journalism for 106 years, and now as ever it matters to the public.",
             "BECOME A MEMBER AND ENJOY EXCLUSIVE BENEFITS")
    body = "".join(f"<p>{p}</p>" for p in BODY) + "<p>{}<br>{}</p>".format(*promo)
    html = PAGE.format(body=body, comment=COMMENT, newsletter=NEWSLETTER, update=UPDATE, kicker=KICKER)
    tree = lxml.html.document_fromstring(html)
    for lines, cut in (((*BODY, *promo, NEWSLETTER), 3), ((*BODY, *promo), 0)):
        blocks = line_blocks(tree, lines)
        container = body_container(placing_blocks(blocks))
        assert container is not None and container.get("class") == "post-content"
        assert trailing_outside(tree, lines, blocks, container) == cut
