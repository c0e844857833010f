"""The web view's pure parts, on values: the paragraph-keeping word diff,
the timeline's layout, the Atom feed, search words, dates in parameters."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import feedparser
import pytest

from storage.queries import ChangeRow
from web.app import BadRequest, parse_since
from web.atom import changes_feed
from web.data import BadSearch, fts5_query
from web.diffview import Run, word_diff
from web.timeline import BAR_MAX, CELL, LABEL_WIDTH, layout


def test_word_diff_keeps_paragraphs_and_gives_both_sides() -> None:
    diff = word_diff("One two three.\nFour five.", "One 2 three.\nFour five.\nUpdate: six.")
    assert diff.inline == [
        [Run("equal", "One"), Run("delete", "two"), Run("insert", "2"), Run("equal", "three.")],
        [Run("equal", "Four five.")],
        [Run("insert", "Update: six.")],
    ]
    assert diff.before == [[Run("equal", "One"), Run("delete", "two"), Run("equal", "three.")], [Run("equal", "Four five.")]]
    assert diff.after[-1] == [Run("insert", "Update: six.")]
    assert (diff.inserted, diff.deleted) == (3, 1)
    assert word_diff("Same.\n\nText.", "Same.\nText.").unchanged


def test_the_lines_around_the_article_are_marked_in_every_view() -> None:
    # Blank lines hold no paragraph: line 2 of each text is its second.
    old = "The artists leaked Sora.\n\nRead more: OpenAI's dev day\nOpenAI paused access."
    new = "The artists leaked Sora.\n  \nRead more: five tools to try\nOpenAI paused access for all."
    diff = word_diff(old, new, frozenset({2}), frozenset({2}))

    def marked(paragraphs: list[list[Run]], around: frozenset[int]) -> list[str]:
        return [" ".join(r.text for r in p) for i, p in enumerate(paragraphs) if i in around]

    assert marked(diff.before, diff.before_around) == ["Read more: OpenAI's dev day"]
    assert marked(diff.after, diff.after_around) == ["Read more: five tools to try"]
    assert marked(diff.inline, diff.inline_around) == ["Read more: OpenAI's dev day five tools to try"]
    # A line only one side calls the page around the article is not grey inline.
    one_sided = word_diff(old, new, frozenset({2}), frozenset())
    assert one_sided.before_around == frozenset({1}) and not one_sided.after_around and not one_sided.inline_around
    assert not word_diff(old, new).inline_around
    same = "The artists leaked Sora.\nRead more: OpenAI's dev day"
    assert not word_diff(same, same, frozenset({1}), frozenset()).inline_around
    assert word_diff(same, same, frozenset({1}), frozenset({1})).inline_around == frozenset({1})


def test_a_removed_paragraph_is_one_deleted_run() -> None:
    diff = word_diff("A b.\nGone now.\nC d.", "A b.\nC d.")
    assert diff.inline == [[Run("equal", "A b.")], [Run("delete", "Gone now.")], [Run("equal", "C d.")]]
    assert diff.after == [[Run("equal", "A b.")], [Run("equal", "C d.")]]


def test_timeline_layout_scales_bars_and_places_days() -> None:
    first = dt.date(2024, 11, 20)
    timeline = layout(first, dt.date(2024, 11, 29), [("verge", "The Verge"), ("ft", "FT")],
                      {("verge", dt.date(2024, 11, 26)): 4, ("ft", dt.date(2024, 11, 27)): 1},
                      {("verge", dt.date(2024, 11, 27)): 2})
    bars = {(m.outlet, m.day): m for m in timeline.marks if m.kind == "new"}
    verge = bars[("The Verge", dt.date(2024, 11, 26))]
    assert verge.height == BAR_MAX and verge.x == LABEL_WIDTH + 6 * CELL + 1
    assert bars[("FT", dt.date(2024, 11, 27))].height == BAR_MAX / 4
    [tick] = [m for m in timeline.marks if m.kind == "changed"]
    assert (tick.outlet, tick.count) == ("The Verge", 2)
    assert [label.text for label in timeline.rows] == ["The Verge", "FT"]
    assert timeline.ticks[0].text == "29 Nov" and timeline.width > LABEL_WIDTH + 10 * CELL
    assert layout(first, first, [("a", "A")], {}, {}).empty


def _change(number: int, version_id: int, title: str) -> ChangeRow:
    return ChangeRow(3, version_id, number, "ft", "FT", "https://ft.example/a?x=1&y=2", title,
                     dt.datetime(2024, 11, 27, 10, number, tzinfo=dt.UTC), ("headline",) if number > 1 else (),
                     False, True, None)


def test_the_atom_feed_is_valid_and_escapes_crawled_text() -> None:
    body = changes_feed([_change(2, 11, "New <b>title</b> & more"), _change(1, 10, "Old")], story="Sora leak",
                        self_url="https://s.example/feeds/changes.atom", site_url="https://s.example",
                        now=dt.datetime(2024, 11, 28, tzinfo=dt.UTC))
    assert b"&lt;b&gt;title&lt;/b&gt; &amp; more" in body and b"x=1&amp;y=2" in body
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert feed.feed.updated == "2024-11-27T10:02:00Z"
    first, second = feed.entries
    assert first.title == "Changed (FT, headline): New <b>title</b> & more"
    assert first.link == "https://s.example/articles/3" and "subscriber-only" in first.summary
    assert first.id != second.id and second.tags[0].term == "new"
    again = feedparser.parse(changes_feed([_change(1, 10, "Old")], story="Sora leak", self_url="x", site_url="y",
                                          now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))
    assert again.entries[0].id == second.id  # stable across requests


def test_search_words_are_quoted_for_fts5() -> None:
    assert fts5_query('sora "leak" AND puppet* NOT') == '"sora" "leak" "AND" "puppet"* "NOT"'
    with pytest.raises(BadSearch):
        fts5_query('" * "')


def test_since_is_a_date_in_the_digest_zone_or_a_datetime() -> None:
    london = ZoneInfo("Europe/London")
    assert parse_since("2024-07-01", london) == dt.datetime(2024, 6, 30, 23, tzinfo=dt.UTC)
    assert parse_since("2024-11-27T10:00:00", london) == dt.datetime(2024, 11, 27, 10, tzinfo=dt.UTC)
    assert parse_since("2024-11-27T10:00:00Z", london) == dt.datetime(2024, 11, 27, 10, tzinfo=dt.UTC)
    assert parse_since("2024-11-27T12:00:00+02:00", london) == dt.datetime(2024, 11, 27, 10, tzinfo=dt.UTC)
    for bad in ("", "yesterday", "2024-13-01"):
        with pytest.raises(BadRequest, match="since"):
            parse_since(bad, london)
