"""An edit notice the extractor dropped, put back where the page shows it
(crawler/notices.py), and nothing else put back."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.blocks import line_blocks
from crawler.container import body_container, placing_blocks
from crawler.extract import extract_article
from crawler.notices import missing_notices

PARAGRAPHS = (
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
)
NOTICE = "Update, November 27, 2024, 3:15 p.m. ET: This story has been updated with a statement from OpenAI."


def _put_back(body_html: str, lines: tuple[str, ...] = PARAGRAPHS) -> list[str]:
    """The body's lines (``lines``, as the extractor gave them) with the
    notices of the page whose article element holds ``body_html``."""
    tree = lxml.html.document_fromstring(
        f"<html><body><nav><a href='/'>Home</a></nav><article>{body_html}</article></body></html>")
    blocks = line_blocks(tree, lines)
    container = body_container(placing_blocks(blocks))
    assert container is not None
    return missing_notices(lines, blocks, container)


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_a_notice_above_the_first_paragraph_is_put_back_first() -> None:
    assert _put_back(f"<p><em>{NOTICE}</em></p>" + _paragraphs(*PARAGRAPHS)) == [NOTICE, *PARAGRAPHS]


def test_a_notice_between_paragraphs_is_put_back_in_its_place() -> None:
    correction = "Correction: An earlier version of this story misstated the day the tool was leaked."
    page = _paragraphs(PARAGRAPHS[0], correction, *PARAGRAPHS[1:])
    assert _put_back(page) == [PARAGRAPHS[0], correction, *PARAGRAPHS[1:]]
    # Two notices, each in its place.
    page = f"<div><i>{NOTICE}</i></div>" + _paragraphs(PARAGRAPHS[0], correction, *PARAGRAPHS[1:])
    assert _put_back(page) == [NOTICE, PARAGRAPHS[0], correction, *PARAGRAPHS[1:]]


def test_a_notice_the_body_holds_is_not_put_back_again() -> None:
    page = f"<p><em>{NOTICE}</em></p>" + _paragraphs(*PARAGRAPHS)
    assert _put_back(page, (NOTICE, *PARAGRAPHS)) == [NOTICE, *PARAGRAPHS]
    # ... however the extractor spaced it, or ran it into the next line.
    assert _put_back(page, (NOTICE.replace("ET: ", "ET:"), *PARAGRAPHS))[0] == NOTICE.replace("ET: ", "ET:")
    merged = (f"{NOTICE} {PARAGRAPHS[0]}", *PARAGRAPHS[1:])
    assert _put_back(page, merged) == list(merged)


@pytest.mark.parametrize("where", ["after", "template", "script"])
def test_what_is_not_the_article_s_notice_is_not_put_back(where: str) -> None:
    body = _paragraphs(*PARAGRAPHS)
    comment = "Update: I tried it again this morning and the waiting list is open for everyone now."
    page = {
        # After the body's last paragraph: a reader's comment, however it starts.
        "after": body + f"<div class='comments'><p>{comment}</p></div>",
        "template": f"<template><p>{NOTICE}</p></template>" + body,
        "script": f"<noscript><p>{NOTICE}</p></noscript>" + body,
    }[where]
    assert _put_back(page) == list(PARAGRAPHS)


@pytest.mark.parametrize("line", [
    "Updated: Jan 23, 2020, 10.45 AM IST",  # when, and nothing else: a dateline
    "Updated 3 hours ago",
    "Update your browser to read this article.",  # no colon: not a notice
])
def test_a_line_that_is_no_notice_is_not_put_back(line: str) -> None:
    assert _put_back(f"<p>{line}</p>" + _paragraphs(*PARAGRAPHS)) == list(PARAGRAPHS)


def test_only_a_paragraph_is_a_notice_not_the_element_around_the_article() -> None:
    # A wrapper whose text starts with the notice is the article, not one.
    page = f"<div><p><b>Update:</b> {NOTICE[8:]}</p>{_paragraphs(*PARAGRAPHS)}</div>"
    assert _put_back(page) == [f"Update: {NOTICE[8:]}", *PARAGRAPHS]
    long_note = "Editor's note: " + " ".join(["This story was reported over several weeks."] * 20)
    assert _put_back(f"<p>{long_note}</p>" + _paragraphs(*PARAGRAPHS)) == list(PARAGRAPHS)


def test_a_notice_trafilatura_drops_is_in_the_extracted_body() -> None:
    # A page that prints its intro twice (a slideshow's first slide, then
    # the text marked as the articleBody): trafilatura reads the marked
    # copy, which lacks the notice the first one shows.
    intro = _paragraphs(*PARAGRAPHS)
    page = f"""<html><head><title>Sora leaked</title></head><body><div class="main-column">
<div class="intro-container"><div class="text"><p><em>{NOTICE}</em></p>{intro}</div></div>
<div class="control-bar">1 of 8</div>
<div itemprop="articleBody" class="intro-text"><div class="text">{intro}</div></div>
<div class="footer"><a href="/comments">Post a comment</a></div>
</div></body></html>"""
    extracted = extract_article(page, "https://example.com/sora")
    assert extracted is not None
    assert extracted.text.split("\n") == [NOTICE, *PARAGRAPHS]
    without = extract_article(page.replace(f"<p><em>{NOTICE}</em></p>", ""), "https://example.com/sora")
    assert without is not None and extracted.content_hash != without.content_hash
