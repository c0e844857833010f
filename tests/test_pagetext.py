"""What a page says (storywatch/pagetext.py), on strings: the visible text
as letters and digits, and whether a line of the extracted body is on it."""

from __future__ import annotations

from storywatch.content import compress_html
from storywatch.pagetext import MIN_LETTERS, letters, link_words, page_said, stored_page_said, times_said

PAGE = """<!DOCTYPE html><html><head><title>Artists leak Sora</title>
<script>var state = {"lead": "An old copy of the lead that nobody sees any more."};</script>
<style>.lead { color: #123456 }</style></head><body>
<nav><ul><li><a href="/ai">AI</a></li><li><a href="/tech">Tech</a></li></ul></nav>
<article><p>A group of <a href="/artists">artists</a> leaked access to <b>Sora</b> on Tuesday.</p>
<table><tr><td>Sora</td><td>14 artists in the program</td></tr></table>
<noscript><p>Please turn JavaScript on to see the comments below the article.</p></noscript>
<template><p>A reply template nobody sees until someone answers.</p></template>
</article><aside><p>Sign up for The Replica Daily, every weekday morning.</p></aside></body></html>"""


def test_letters_keep_what_a_line_says_and_nothing_of_its_shape() -> None:
    assert letters("- A group of artists leaked it.") == "agroupofartistsleakedit"
    assert letters("| Sora | 14 artists |") == letters("Sora 14 artists") == "sora14artists"
    assert letters("ﬁve ＳＯＲＡ") == "fivesora"  # NFKC, casefolded
    assert letters("killed 12") != letters("killed 14")


def test_the_page_names_its_links_texts_by_their_letters_and_words() -> None:
    page = PAGE.replace("</body>", '<p><a href="/next">OpenAI pauses Sora access</a></p></body>')
    said = page_said(page)
    assert said.links == {"ai": {"ai"}, "tech": {"tech"}, "artists": {"artists"},
                          "openaipausessoraaccess": {"openai", "pauses", "sora", "access"}}
    assert page_said("").links == {}



def test_a_link_written_without_spaces_has_its_character_pairs_for_words() -> None:
    # A Japanese title is one run of characters: as one word it is never a
    # title of two words, as single characters two titles share a few.
    assert link_words("アフリカ") == {"アフ", "フリ", "リカ"}
    assert not link_words("アフリカ") & link_words("ナイジェリア")  # ア and リ in both
    assert link_words("写真でafpの歴史") == {"写真", "真で", "afp", "の歴", "歴史"}
    assert link_words("中") == {"中"}
    assert link_words("sora leaked, today") == {"sora", "leaked", "today"}

def test_the_page_says_its_visible_text_across_elements() -> None:
    page = page_said(PAGE).letters
    # An extracted line joins inline elements; a table row is its cells.
    assert times_said("A group of artists leaked access to Sora on Tuesday.", page)
    assert times_said("| Sora | 14 artists in the program |", page)
    assert times_said("Sign up for The Replica Daily, every weekday morning.", page)
    # What a reader does not see is not said: scripts, styles, <noscript>
    # and <template>.
    for hidden in ("An old copy of the lead that nobody sees any more.", "color: #123456 and more",
                   "Please turn JavaScript on to see the comments below the article.",
                   "A reply template nobody sees until someone answers."):
        assert not times_said(hidden, page), hidden
    # A changed word or number is not on the page.
    assert not times_said("A group of artists leaked access to Sora on Wednesday.", page)
    assert not times_said("| Sora | 15 artists in the program |", page)


def test_a_short_line_is_never_judged_by_its_presence() -> None:
    page = page_said(PAGE).letters
    assert "tosora" in page and len(letters("to Sora.")) < MIN_LETTERS
    assert not times_said("to Sora.", page)
    assert times_said("on Tuesday.", page) == 1  # 9 letters


def test_an_unreadable_page_says_nothing() -> None:
    assert page_said("").letters == page_said("   ").letters == ""
    assert not times_said("A group of artists leaked access to Sora on Tuesday.", page_said("").letters)


def test_a_stored_page_is_read_as_the_extraction_decodes_it() -> None:
    # A KOI8-R page whose charset only the response declared (read as the
    # fallback cp1252, it would say something else).
    line = "Художники открыли доступ к Sora во вторник."
    page = f"<html><body><p>{line}</p></body></html>"
    stored = compress_html(page.encode("koi8-r"))
    assert times_said(line, stored_page_said(stored, "koi8-r").letters)
    assert not times_said(line, stored_page_said(stored).letters)
    # Its own <meta charset> is read when the response said nothing.
    declared = page.replace("<html>", '<html><head><meta charset="koi8-r"></head>')
    assert times_said(line, stored_page_said(compress_html(declared.encode("koi8-r"))).letters)


def test_a_line_is_counted_as_often_as_the_page_says_it() -> None:
    lead = "A group of artists leaked access to OpenAI's Sora on Tuesday."
    once = page_said(f"<p>{lead}</p><p>Sign up for The Replica Daily.</p>").letters
    twice = page_said(f"<p>{lead}</p><div class='tab'><p>{lead}</p></div>").letters
    assert times_said(lead, once) == 1 and times_said(lead, twice) == 2
    assert times_said("Not on either page, and long enough to be judged.", twice) == 0
