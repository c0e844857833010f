"""The paragraph-level comparison (storywatch/churn.py), on strings: a
fetch whose identity moved only by page furniture or moved lines is churn;
every real edit is a version."""

from __future__ import annotations

import pytest

from storywatch.churn import (
    changed_sides,
    is_churn,
    is_furniture,
    line_identity,
    only_churn_changed,
)

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
        # Edit notices, lists and tables, long lines: never furniture.
        ("Update: OpenAI responded", False),
        ("Correction: Nov 27", False),
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
    # A version stored before its chrome lines were kept, or a subscriber
    # page (its standfirst is in its identity): compared by hash alone.
    assert line_identity("Artists leak Sora", (), text, None, False) is None
    assert line_identity("Artists leak Sora", (), text, (), True) is None
    assert not is_churn(None, before)
