"""The paragraph-level comparison (storywatch/churn.py), on strings: a
fetch whose identity moved only by page furniture or moved lines is churn;
every real edit is a version."""

from __future__ import annotations

import pytest

from storywatch.churn import (
    LineIdentity,
    _said_around,
    _said_with_other_links,
    changed_sides,
    is_churn,
    is_furniture,
    line_identity,
    only_churn_changed,
    refigured_lines,
    reworded_lines,
    still_said,
)
from storywatch.pagetext import PageSaid, page_said

BODY = [
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday.",
    "28 December 2014",
    "The group said it was used for unpaid labor and art washing, and that 14 people had been involved.",
    "OpenAI paused the program.",
    "Page 1 of 2",
]


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("28 December 2014", True),
        ("02.12.2022", True),
        ("Page 1 of 2", True),
        ("2018年6月18日 10:01　発信地：カノ/ナイジェリア", True),
        ("Quelle: Technische Universität Darmstadt, Pressemitteilung", True),
        ("Photo: Reuters/Getty Images", True),
        # Longer lines without a full stop are body text split by the page
        # as often as furniture: a caption's first half, a data line.
        ("Relatives of the missing passengers on board the AirAsia plane pray at", False),
        ("Perihelion (closest): 128,400,000 miles (206,600,000 km). By comparison: 1.404 times that of Earth", False),
        ("Zum Angebot", True),
        ("Google News.", True),
        ("", True),
        # Sentences, however short, and the clause that opens a list.
        ("He was 45.", False),
        ("OpenAI paused the program.", False),
        ("Common driver mutations in lung cancer include (for starters):", False),
        ("彼は本日午後に辞任した。", False),
        # ... and one after its dateline, a space between them.
        ("新华社北京11月17日电 记者17日从国家卫生健康委获悉，相关部门持续依托短缺药品供应保障工作会商联动机制。", False),
        # Edit notices, lists and tables, long lines: never furniture.
        ("Update: OpenAI responded", False),
        ("Correction: Nov 27", False),  # a notice box's heading, its text below
        ("Update: Nov. 27", False),
        # ... but not the page saying when it was updated, and nothing else.
        ("Updated: Jan 23, 2020, 10.45 AM IST", True),
        ("Updated: 3 hours ago", True),  # ... or how long ago
        ("Update: an hour ago", True),
        ("UPDATED: 11/27/2024 3:05 p.m. EST", True),
        ("- Sora leaked on November 26", False),
        ("| Sora | 14 |", False),
        ("The artists behind the leak said they had been working with the tool for months before OpenAI closed"
         " their access", False),
    ],
)
def test_furniture(line: str, furniture: bool) -> None:
    assert is_furniture(line) is furniture


def _with(index: int, line: str | None) -> list[str]:
    body = list(BODY)
    if line is None:
        del body[index]
    else:
        body[index] = line
    return body


def test_a_changed_dateline_or_page_counter_is_churn() -> None:
    assert only_churn_changed(BODY, _with(1, "29 December 2014"))
    assert only_churn_changed(BODY, _with(4, "Page 2 of 3"))
    assert only_churn_changed(BODY, _with(1, None))  # the dateline gone
    assert only_churn_changed(BODY, [*BODY, "Zum Angebot"])  # a button appeared


def test_every_real_edit_is_a_version() -> None:
    assert not only_churn_changed(BODY, BODY)  # nothing changed: not churn either
    assert not only_churn_changed(BODY, _with(2, BODY[2].replace("14", "12")))
    assert not only_churn_changed(BODY, _with(3, "OpenAI resumed the program."))
    assert not only_churn_changed(BODY, _with(3, None))
    assert not only_churn_changed(BODY, [*BODY, "Update: OpenAI responded"])
    # A furniture change beside a real one is still an edit.
    edited = _with(1, "29 December 2014")
    edited[0] = edited[0].replace("Tuesday", "Wednesday")
    assert not only_churn_changed(BODY, edited)


def test_a_figure_changed_in_a_short_line_is_an_edit() -> None:
    # "killed 12" becoming "killed 14" is an edit in a sentence, and in a
    # line that is not one too.
    offer = "Free shipping if they spend $50 or more"
    assert is_furniture(offer)  # appearing or going, a short line says nothing
    assert not only_churn_changed([*BODY, offer], [*BODY, offer.replace("$50", "$75")])
    assert not only_churn_changed([*BODY, offer], [*BODY, offer.replace("$50", "$50.99")])
    assert only_churn_changed(BODY, [*BODY, offer])
    # A date or a time is not a figure, nor is a line too short to state one.
    for before, after in [
        ("E-Mail eines Mandanten, November 2018", "E-Mail eines Mandanten, November 2019"),
        ("Posted by the news desk on Nov 27", "Posted by the news desk on Nov 28"),
        ("Page 1 of 2 of this long story", "Page 2 of 2 of this long story"),
        ("Seite 17", "Seite 28"),
        ("Intensität 5 Mild", "Intensität 6 Mild"),
    ]:
        assert only_churn_changed([*BODY, before], [*BODY, after]), before


def test_refigured_lines_pair_the_same_words_across_a_change() -> None:
    gone = ["Free shipping if they spend $50 or more", "Only 3 left in our shop today"]
    came = ["Free shipping if they spend $75 or more", "Only 3 left in our store today"]
    assert refigured_lines(gone, came) == {gone[0], came[0]}
    assert refigured_lines(gone, []) == set()


def test_a_figure_edited_in_one_item_of_a_list_of_like_lines_is_an_edit() -> None:
    # A ranking or a test's scores: short lines, furniture on their own,
    # but one figure changed beside a line of the same shape that kept its
    # own is the article edited.
    ranking = ["Here's the full list the magazine printed.", "01. Robert Plant", "02. Rob Halford", "03. Ann Wilson"]
    assert not only_churn_changed(ranking, [ranking[0], "04. Robert Plant", *ranking[2:]])
    scores = ["Testzeugnis:", "Ausstattung Sicherheit: 1", "Ausstattung Komfort: 1", "Fahrleistungen: 2"]
    assert not only_churn_changed(scores, [scores[0], "Ausstattung Sicherheit: 3", *scores[2:]])
    # Every item changing at once is a list ticking, not an edit; a line
    # alone with its figure, or the list's date, is a counter or a date.
    assert only_churn_changed(ranking, [ranking[0], "11. Robert Plant", "12. Rob Halford", "13. Ann Wilson"])
    assert only_churn_changed([*BODY[:3], "Aufrufe: 1234"], [*BODY[:3], "Aufrufe: 1240"])
    dated = [*BODY[:3], "Stand: 3. Januar 2022", "Stand: 5. Januar 2022"]
    assert only_churn_changed(dated, [*dated[:3], "Stand: 4. Januar 2022", dated[4]])


def test_a_short_line_reworded_in_place_is_an_edit() -> None:
    # A subheading rewritten: short and no sentence, but the article's.
    for before, after in [
        ("Why Referrals Matter", "Why Referrals Work"),
        ("Nur die Folie bleibt zurück", "Nur die Folie bleibt liegen"),
        ("Eating & Drinking... Lots", "Eating & Drinking... Plenty"),  # an ellipsis, no sentence's end
        # nor a number's, an initial's or an abbreviation's full stop
        ("5. Pflegen und Reparieren", "5. Pflegen und Flicken"),
        ("Die Drei-Wege-, Ballon- bzw. Vario-Finanzierung", "Die Drei-Wege-, Ballon- bzw. Schlussraten-Finanzierung"),
        ("Was J. K. Rowling sagt", "Was J. K. Rowling schreibt"),
    ]:
        assert is_furniture(before) and is_furniture(after)
        assert not only_churn_changed([*BODY, before], [*BODY, after]), before
    # A button or a label replaced by another, a dateline ticking: churn.
    for before, after in [
        ("Zum Angebot", "Jetzt kaufen"),
        ("Related: Sora's leak", "Most read: Apple's event recap"),
        # one word kept: a button beside a price renamed, or half a heading
        ("Preis: 12,99 € (D) Kaufen", "Preis: 12,99 € (D) Bestellen"),
        ("Physical characteristics", "Physical properties"),
        # sentences, then a button: not a phrase reworded
        ("Details are on the linked page. Read more", "Details are on the linked page. Sign up now"),
        ("Sunday, 28 December 2014, by the news desk", "Monday, 29 December 2014, by the news desk"),
        ("Slide 1 of 12 in this gallery", "Slide 2 of 12 in this gallery"),
    ]:
        assert only_churn_changed([*BODY, before], [*BODY, after]), before
    # Only in place: a short line gone here and a like one come there are
    # not one line reworded.
    assert only_churn_changed(["Why Referrals Matter", *BODY], [*BODY, "Why Referrals Work"])


def test_a_two_word_subheading_between_paragraphs_reworded_is_an_edit() -> None:
    # Between two paragraphs a heading of two words keeps one: an edit.
    prose_above, prose_below = BODY[0], BODY[2]

    def between(heading: str) -> list[str]:
        return [prose_above, heading, prose_below, *BODY[3:]]

    assert not only_churn_changed(between("Physical characteristics"), between("Physical properties"))
    assert not only_churn_changed(between("Construction Weakness"), between("Construction altered"))
    # Nothing kept, a label among data lines or at the body's end, or more
    # than one line at that place: churn, as before.
    assert only_churn_changed(between("Zum Angebot"), between("Jetzt kaufen"))
    data = ["Erscheinungsdatum: 14.08.2017", "Preis: 12,99 € (D) Kaufen", "Reihe: Love is War"]
    assert only_churn_changed([prose_above, *data, prose_below],
                              [prose_above, data[0], "Preis: 12,99 € (D) Bestellen", data[2], prose_below])
    assert only_churn_changed([prose_above, "Physical characteristics"], [prose_above, "Physical properties"])
    assert only_churn_changed([prose_above, "Physical characteristics", "Zum Angebot", prose_below],
                              [prose_above, "Physical properties", "Jetzt kaufen", prose_below])


def test_reworded_lines_keep_half_their_words() -> None:
    assert reworded_lines(["Why Referrals Matter", "Zum Angebot"], ["Why Referrals Work", "Jetzt kaufen"]) == {
        "Why Referrals Matter", "Why Referrals Work"}
    assert reworded_lines(["The leak, in short"], ["A recap of the event"]) == set()
    assert reworded_lines(["Why Referrals Matter"], ["Why Referrals Matter"]) == set()  # not changed


TEASERS = [
    "- Tweet this",
    "- Share this",
    "Millions of discarded laptop batteries could light homes for a year.",
    "There's a bitter fight over the patents for CRISPR.",
]


def test_lines_that_only_moved_are_churn() -> None:
    # A teaser list and share buttons the extractor kept, reshuffled.
    body = [*BODY, *TEASERS]
    assert only_churn_changed(body, [*BODY, *reversed(TEASERS)])
    # Moved beside a changed dateline: still only the page around.
    assert only_churn_changed(body, [*_with(1, "29 December 2014"), *TEASERS[::-1]])


def test_a_move_beside_an_edit_or_a_duplicated_line_is_an_edit() -> None:
    body = [*BODY, *TEASERS]
    moved = [*BODY, *reversed(TEASERS)]
    edited = [*_with(2, BODY[2].replace("14", "12")), *reversed(TEASERS)]
    assert not only_churn_changed(body, edited)
    assert not only_churn_changed(body, [*BODY, TEASERS[3], *reversed(TEASERS)])  # a line that came twice
    assert not only_churn_changed(body, moved[:-1])  # a moved list that lost a line
    assert not only_churn_changed(body, [*moved[:-1], "- Read this"])  # ... or changed one


def test_changed_sides_name_both_sides_of_a_change() -> None:
    assert changed_sides(["a", "b", "c"], ["a", "B", "c", "d"]) == (["b"], ["B", "d"])


def test_the_heading_and_unknown_chrome_make_it_an_edit() -> None:
    text = "\n".join(BODY)
    before = line_identity("Artists leak Sora", ("Jane Doe",), text, (), False)
    dated = text.replace("28 December", "29 December")
    assert is_churn(before, line_identity("Artists leak Sora", ("Jane Doe",), dated, (), False))
    assert not is_churn(before, line_identity("Artists leaked Sora", ("Jane Doe",), dated, (), False))
    assert not is_churn(before, line_identity("Artists leak Sora", ("John Roe",), dated, (), False))
    # Chrome lines leave the comparison as they leave the hash.
    chrome = line_identity("Artists leak Sora", ("Jane Doe",), text + "\nOpenAI's dev day, recapped", (5,), False)
    assert chrome is not None and chrome.lines == before.lines  # type: ignore[union-attr]
    # A version stored before its chrome lines were kept: compared by hash alone.
    assert line_identity("Artists leak Sora", (), text, None, False) is None
    assert not is_churn(None, before)


def test_a_subscriber_page_is_compared_line_by_line_its_standfirst_in_its_heading() -> None:
    text = "\n".join(BODY[:3])
    lead = "Artists who tested OpenAI's video tool say they were used as unpaid testers."

    def teaser(body: str, standfirst: str = lead, partial: bool = True) -> LineIdentity | None:
        return line_identity("Artists leak Sora", ("Jane Doe",), body, (), partial, standfirst)

    before = teaser(text)
    dated = text.replace("28 December", "29 December")
    # The page around the teaser changing (a dateline in it) is churn, as on a complete page ...
    assert is_churn(before, teaser(dated))
    # ... a rewritten standfirst is an edit, whatever else moved with it ...
    assert not is_churn(before, teaser(dated, lead.replace("unpaid", "unpaid beta")))
    # ... and so is the first complete text after teasers.
    assert not is_churn(before, teaser(dated, partial=False))
    assert not is_churn(teaser(text, partial=False), teaser(dated))
    assert not is_churn(teaser(text, ""), teaser(dated, "", partial=False))  # a teaser stating no standfirst


# -- lines both pages say (storywatch.pagetext) --------------------------------

PROMO = "Sign up for The Replica Daily, the five stories everyone at the office is talking about."
LEAD = "A group of artists leaked access to OpenAI's Sora video generator on Tuesday."
NEXT = "The group said it was used for unpaid labor and art washing."


def _page(*paragraphs: str) -> PageSaid:
    return page_said("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>")


def _identity(*lines: str) -> LineIdentity | None:
    return line_identity("Artists leak Sora", ("Jane Doe",), "\n".join(lines), (), False)


def test_a_line_the_extractor_kept_or_dropped_that_both_pages_say_is_churn() -> None:
    """A redeploy lets the extractor keep a promo box the page always had,
    or takes a paragraph out of the container it chose: the page says what
    it said."""
    page = _page(LEAD, PROMO, NEXT)
    assert still_said([], [PROMO], [LEAD, PROMO, NEXT], page.letters, page.letters)
    assert is_churn(_identity(LEAD, NEXT), _identity(LEAD, PROMO, NEXT), lambda: (page, page))
    assert is_churn(_identity(LEAD, NEXT), _identity(LEAD), lambda: (page, page))
    # Without the pages, as before: an edit.
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, PROMO, NEXT))


def test_what_a_page_did_not_say_before_or_no_longer_says_is_an_edit() -> None:
    before = _page(LEAD, PROMO, NEXT)
    edited = LEAD.replace("Tuesday", "Wednesday")
    # A changed word: the new line was not on the previous page.
    assert not is_churn(_identity(LEAD, NEXT), _identity(edited, NEXT), lambda: (before, _page(edited, PROMO, NEXT)))
    # A paragraph removed from the page, and one added to it.
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD), lambda: (before, _page(LEAD, PROMO)))
    added = "The artists published their statement on Hugging Face."
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, NEXT, added),
                        lambda: (before, _page(LEAD, PROMO, NEXT, added)))
    # A page that repeated a paragraph (a print copy, a second tab) and
    # lost one copy of it: the one the body left, or the one the extractor
    # did not read while the body only lost a line both pages say.
    twice = _page(LEAD, NEXT, NEXT)
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD), lambda: (twice, _page(LEAD, NEXT)))
    assert not is_churn(_identity(LEAD, PROMO, NEXT), _identity(LEAD, NEXT),
                        lambda: (_page(LEAD, PROMO, NEXT, NEXT), _page(LEAD, PROMO, NEXT)))
    assert is_churn(_identity(LEAD, PROMO, NEXT), _identity(LEAD, NEXT),
                    lambda: (_page(LEAD, PROMO, NEXT, NEXT), _page(LEAD, PROMO, NEXT, NEXT)))
    # A line the page said elsewhere (a sidebar) that an edit adds to the
    # body: the page says it once more.
    sidebar = "OpenAI responded on Friday."
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, NEXT, sidebar),
                        lambda: (_page(LEAD, NEXT, sidebar), _page(LEAD, NEXT, sidebar, sidebar)))
    # One line both pages say does not excuse one they do not.
    assert not is_churn(_identity(LEAD, NEXT), _identity(edited, PROMO, NEXT),
                        lambda: (before, _page(edited, PROMO, NEXT)))
    # An edit notice is an edit even when the page had it before.
    notice = "Update: OpenAI said it had paused access to Sora for all artists."
    with_notice = _page(LEAD, NEXT, notice)
    assert not still_said([], [notice], [LEAD, NEXT, notice], with_notice.letters, with_notice.letters)
    # A line too short to be found by chance is judged as before.
    short = _page(LEAD, "He was 46.").letters
    assert not still_said([], ["He was 46."], [LEAD, "He was 46."], short, short)


def test_an_edited_list_item_the_previous_page_also_said_elsewhere_is_an_edit() -> None:
    # A ranking's item edited; a reader's comment below the article said
    # "3 Robert Plant" already: both pages say both lines, but the old
    # one less often now, which no extractor's shift does.
    ranking = ["Here's the full list the magazine printed.", "01. Robert Plant", "02. Rob Halford"]
    edited = [ranking[0], "3. Robert Plant", ranking[2]]
    comment = "My own list: 1 Freddie Mercury 2 Dio 3 Robert Plant"
    before, after = _page(LEAD, *ranking, comment), _page(LEAD, *edited, comment)
    assert not still_said([ranking[1]], [edited[1]], [LEAD, ranking[0]], before.letters, after.letters)
    assert not is_churn(_identity(LEAD, *ranking), _identity(LEAD, *edited), lambda: (before, after))


ROTATING = "Our coverage of the leak continues: {}, with more from the newsroom every day."


def _rotating_page(title: str, href: str = "/2024/11/27/next") -> PageSaid:
    return page_said(f"<p>{LEAD}</p><p>{ROTATING.format(f'<a href={href!r}>{title}</a>')}</p><p>{NEXT}</p>")


def test_a_link_whose_whole_text_was_replaced_in_a_line_of_the_page_is_churn() -> None:
    """A teaser's title inside a line of the page's own words ("Our
    coverage continues: <title>, ...") rotates with what is new on the
    site; the words around it stay.  Not an edit, however the link's
    share of the line keeps it out of the chrome."""
    old, new = "OpenAI pauses Sora's early access", "Apple's event live from Cupertino"

    def judged(before_title: str, after_title: str, after_line: str | None = None) -> bool:
        after_line = after_line or ROTATING.format(after_title)
        return is_churn(_identity(LEAD, ROTATING.format(before_title), NEXT), _identity(LEAD, after_line, NEXT),
                        lambda: (_rotating_page(before_title), _rotating_page(after_title)))

    assert judged(old, new)
    # A word edited inside the link keeps most of its words: an edit.
    assert not judged(old, "OpenAI halts Sora's early access")
    # ... and a two-word link's one word edited keeps half of them.
    assert not judged("Sora leaked", "Sora paused")
    # A one-word link replaced whole is what a one-word edit of it does.
    assert not judged("Washington", "Copenhagen")
    # The page's own words changed too: an edit.
    assert not judged(old, new, ROTATING.format(new).replace("every day", "every hour"))
    # The title is not a link on the new page: the text was edited.
    assert not is_churn(_identity(LEAD, ROTATING.format(old), NEXT), _identity(LEAD, ROTATING.format(new), NEXT),
                        lambda: (_rotating_page(old), _page(LEAD, ROTATING.format(new), NEXT)))
    # A line that is only the link is a link post's item: its edit is one.
    item = "OpenAI pauses Sora's early access program for every artist after the leak"
    other = "Apple's autumn event, live from Cupertino, with each new phone and watch"
    assert not is_churn(_identity(LEAD, item, NEXT), _identity(LEAD, other, NEXT),
                        lambda: (_page(LEAD, f"<a href='/a'>{item}</a>", NEXT), _page(LEAD, f"<a href='/a'>{other}</a>", NEXT)))


def test_the_pages_are_read_only_when_the_lines_do_not_decide() -> None:
    def unread() -> tuple[PageSaid, PageSaid]:
        raise AssertionError("the pages were read")

    assert is_churn(_identity(LEAD, "28 December 2014"), _identity(LEAD, "29 December 2014"), unread)
    assert not is_churn(_identity(LEAD), line_identity("Artists leaked Sora", ("Jane Doe",), LEAD, (), False), unread)


def test_a_line_that_came_or_went_with_a_rotated_title_in_it_is_churn() -> None:
    """A rotated title moves its line over the extractor's link-density
    threshold: the line comes into the body (or leaves it) with no
    partner on the other side, while the page says it as before but for
    the title."""
    old, new = "OpenAI pauses Sora's early access", "Apple's event live from Cupertino"

    def came(before_title: str, after_title: str, after_line: str | None = None) -> bool:
        after_line = after_line or ROTATING.format(after_title)
        return is_churn(_identity(LEAD, NEXT), _identity(LEAD, after_line, NEXT),
                        lambda: (_rotating_page(before_title), _rotating_page(after_title)))

    assert came(old, new)
    assert is_churn(_identity(LEAD, ROTATING.format(old), NEXT), _identity(LEAD, NEXT),
                    lambda: (_rotating_page(old), _rotating_page(new)))
    # A word edited inside the link, a one-word link replaced whole, the
    # page's own words changed: edits, as for a line replaced in place.
    assert not came(old, "OpenAI halts Sora's early access")
    assert not came("Washington", "Copenhagen")
    assert not came(old, new, ROTATING.format(new).replace("every day", "every hour"))
    # The title is no link on the new page: the text was edited.
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, ROTATING.format(new), NEXT),
                        lambda: (_rotating_page(old), _page(LEAD, ROTATING.format(new), NEXT)))
    # A line that is mostly its link is a list's item; an edit notice is an edit.
    item = "More: {}."
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, item.format(new), NEXT),
                        lambda: (_page(LEAD, item.format(f"<a href='/a'>{old}</a>"), NEXT),
                                 _page(LEAD, item.format(f"<a href='/a'>{new}</a>"), NEXT)))
    notice = "Update: this story was updated with OpenAI's statement; see {} for our earlier report."
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, notice.format(new), NEXT),
                        lambda: (_page(LEAD, notice.format(f"<a href='/a'>{old}</a>"), NEXT),
                                 _page(LEAD, notice.format(f"<a href='/a'>{new}</a>"), NEXT)))
    # Two links rotated in one line, one of them a single word: a list's
    # titles moving by one place.
    two = "Did you spot {}? Tell us about {} and we will look into it today."
    assert is_churn(_identity(LEAD, NEXT), _identity(LEAD, two.format("a mistake", new), NEXT),
                    lambda: (_page(LEAD, two.format("<a href='/a'>information</a>", "<a href='/b'>a mistake</a>"), NEXT),
                             _page(LEAD, two.format("<a href='/a'>a mistake</a>", f"<a href='/b'>{new}</a>"), NEXT)))

    # A title at the line's end, and one opening it.
    def at_an_end(line: str) -> bool:
        before, after = (_page(LEAD, line.format(f"<a href='/a'>{title}</a>"), NEXT) for title in (old, new))
        return is_churn(_identity(LEAD, NEXT), _identity(LEAD, line.format(new), NEXT), lambda: (before, after))

    assert at_an_end("The artists' statement, as they published it, is in {}")
    assert at_an_end("{} is where the artists' statement is.")


def test_a_line_is_found_by_a_run_of_its_own_words_long_enough_not_to_be_chance() -> None:
    text = "then" + "thestorycontinuesin" + "soraleaked" + "saidtheartists" + "onmonday"
    titles = {"soraleaked", "openaipaused"}
    assert _said_around(["thestorycontinuesin", "saidtheartists"], titles, text) == ["soraleaked"]
    assert _said_around(["", "saidtheartists"], titles, text) == ["soraleaked"]
    assert _said_around(["thestorycontinuesin", ""], titles, text) == ["soraleaked"]
    assert _said_around(["thestorycontinuesin", "saidtheeditors"], titles, text) is None
    # No run of eight letters: found everywhere by chance, not looked for.
    assert _said_around(["in", "said"], titles, text) is None


def test_a_line_of_many_links_is_a_list_not_a_sentence_around_a_title() -> None:
    # A tag cloud of thousands of links in one line, each rotated: judged
    # as any list's line (an edit), and in bounded time and depth.
    count = 3000
    words = [f"topic{i:04d} news" for i in range(count)]
    line = "Our tags this week, as chosen by the newsroom: " + " ".join(f"{w} and more" for w in words)
    before = page_said("<p>Our tags this week, as chosen by the newsroom: "
                       + " ".join(f"<a href='/{i}'>{w}</a> and more" for i, w in enumerate(words)) + "</p>")
    rotated = words[1:] + words[:1]
    after = page_said("<p>Our tags this week, as chosen by the newsroom: "
                      + " ".join(f"<a href='/{i}'>{w}</a> and more" for i, w in enumerate(rotated)) + "</p>")
    assert not is_churn(_identity(LEAD, NEXT), _identity(LEAD, line.replace(words[0], "zzz"), NEXT),
                        lambda: (before, after))
    assert not _said_with_other_links(line, before, after)


INGREDIENTS = ("- 4 Eier", "- 250 g Mehl", "- 1 TL Zimt", "- 150 g Zucker")


def test_short_lines_the_extractor_dropped_are_found_with_the_lines_around_them() -> None:
    """A list's items are too short to be found on a page alone ("- 4
    Eier" is in "44 Eier" and many other words); read together with the
    items around them, the page still saying the passage, they are what
    the extractor dropped or took, not an edit."""
    page = _page(LEAD, *INGREDIENTS, NEXT)
    with_list, without = _identity(LEAD, *INGREDIENTS, NEXT), _identity(LEAD, NEXT)
    assert is_churn(with_list, without, lambda: (page, page))
    assert is_churn(without, with_list, lambda: (page, page))
    # Without the passage: judged as before, an edit.
    assert not still_said(list(INGREDIENTS), [], [LEAD, NEXT], page.letters, page.letters)


def test_a_short_line_removed_or_added_on_the_page_is_an_edit() -> None:
    before = _page(LEAD, *INGREDIENTS, NEXT)
    fewer = [item for item in INGREDIENTS if item != "- 1 TL Zimt"]
    # One item gone from the page: the passage around it is not said any more.
    assert not is_churn(_identity(LEAD, *INGREDIENTS, NEXT), _identity(LEAD, *fewer, NEXT),
                        lambda: (before, _page(LEAD, *fewer, NEXT)))
    # One added.
    more = [*INGREDIENTS, "- 2 EL Milch"]
    assert not is_churn(_identity(LEAD, *INGREDIENTS, NEXT), _identity(LEAD, *more, NEXT),
                        lambda: (before, _page(LEAD, *more, NEXT)))
    # The list dropped from the body while the page shows it once less (a
    # second copy removed): the passage is said fewer times.
    twice = _page(LEAD, *INGREDIENTS, NEXT, *INGREDIENTS)
    assert not is_churn(_identity(LEAD, *INGREDIENTS, NEXT), _identity(LEAD, NEXT),
                        lambda: (twice, before))


SUBHEADING = "What OpenAI said"
RECIPE = ("1 Würfelzucker", "Zeste", "5 cl Rye Whiskey")


def test_a_short_line_that_left_the_body_and_the_page_is_an_edit() -> None:
    """Page furniture to the line rules (a subheading, a recipe's items
    printed without a list's mark), but the new page no longer says it:
    the article lost it."""
    with_heading, without = _identity(LEAD, SUBHEADING, NEXT), _identity(LEAD, NEXT)
    assert is_furniture(SUBHEADING) and all(is_furniture(item) for item in RECIPE)
    assert not is_churn(with_heading, without, lambda: (_page(LEAD, SUBHEADING, NEXT), _page(LEAD, NEXT)))
    # The page still says it: the extractor dropped it.
    assert is_churn(with_heading, without, lambda: (_page(LEAD, SUBHEADING, NEXT), _page(LEAD, SUBHEADING, NEXT)))
    # A list of short items removed, and one item's word edited.
    recipe = _page(LEAD, *RECIPE, NEXT)
    assert not is_churn(_identity(LEAD, *RECIPE, NEXT), _identity(LEAD, NEXT), lambda: (recipe, _page(LEAD, NEXT)))
    edited = ("1 Zuckerwürfel", *RECIPE[1:])
    assert not is_churn(_identity(LEAD, *RECIPE, NEXT), _identity(LEAD, *edited, NEXT),
                        lambda: (recipe, _page(LEAD, *edited, NEXT)))
    # An item too short to be found alone is found with its neighbours.
    fewer = (RECIPE[0], RECIPE[2])
    assert not is_churn(_identity(LEAD, *RECIPE, NEXT), _identity(LEAD, *fewer, NEXT),
                        lambda: (recipe, _page(LEAD, *fewer, NEXT)))


def test_a_short_line_that_left_with_its_figures_or_a_link_changed_is_churn() -> None:
    # A dateline ticked and the extractor no longer reads it: its words are
    # still said.
    before = _page(LEAD, "28 December 2014", NEXT)
    assert is_churn(_identity(LEAD, "28 December 2014", NEXT), _identity(LEAD, NEXT),
                    lambda: (before, _page(LEAD, "29 December 2014", NEXT)))
    # A teaser's title rotated out of the page, short as the link may be.
    genre = "<a href='/genre/pop'>Pop</a>"
    assert is_churn(_identity(LEAD, "Album › Genre: Pop", NEXT), _identity(LEAD, NEXT),
                    lambda: (page_said(f"<p>{LEAD}</p><p>Album › Genre: {genre}</p><p>{NEXT}</p>"),
                             page_said(f"<p>{LEAD}</p><p>Album › Genre: <a href='/x'>mp4</a></p><p>{NEXT}</p>")))
    # Without the pages, as before: furniture.
    assert is_churn(_identity(LEAD, SUBHEADING, NEXT), _identity(LEAD, NEXT))


def test_a_rotated_title_written_without_spaces_is_churn() -> None:
    """A Japanese title is one run of characters: read by its character
    pairs, another title replacing it is mostly other words, a character
    edited inside it is not."""
    line = "発信地：カノ／ナイジェリア、関連記事 {} をご覧ください。ロイター通信が伝えた。"

    def judged(old: str, new: str) -> bool:
        def page(title: str) -> PageSaid:
            return page_said(f"<p>{LEAD}</p><p>{line.format(f'<a href=/t>{title}</a>')}</p><p>{NEXT}</p>")
        return is_churn(_identity(LEAD, line.format(old), NEXT), _identity(LEAD, line.format(new), NEXT),
                        lambda: (page(old), page(new)))

    assert judged("アフリカの写真", "ナイジェリア大統領選挙")
    assert not judged("アフリカの写真", "アフリカの映像")
