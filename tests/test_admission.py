"""The date gate (crawler.admission), directly on values."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.admission import BEFORE_SINCE, UPDATED_SINCE, admit, date_gate
from crawler.match import StoryQuery
from storage.queries import StoredText
from storywatch.article import Relevance

SINCE = dt.date(2024, 11, 26)
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("published", "modified", "gate"),
    [
        (None, None, None),  # no date: the query alone decides
        (None, at("2024-03-01T00:00:00+00:00"), None),
        (at("2024-11-26T00:00:00+00:00"), None, None),  # on since
        (at("2024-11-27T08:00:00+00:00"), None, None),
        (at("2024-03-14T10:00:00+00:00"), None, BEFORE_SINCE),
        (at("2024-03-14T10:00:00+00:00"), at("2024-06-01T10:00:00+00:00"), BEFORE_SINCE),  # updated, but before
        (at("2024-03-14T10:00:00+00:00"), at("2024-11-26T00:00:00+00:00"), UPDATED_SINCE),
        (at("2024-11-25T23:30:00-05:00"), None, None),  # 04:30 UTC on the 26th
        (at("2024-11-25T23:30:00+01:00"), None, BEFORE_SINCE),  # 22:30 UTC on the 25th
    ],
)
def test_date_gate(published: dt.datetime | None, modified: dt.datetime | None, gate: str | None) -> None:
    assert date_gate(published, modified, SINCE) == gate


def test_admit_joins_the_query_and_the_dates() -> None:
    query = StoryQuery("sora AND leak*")
    old = at("2024-03-14T10:00:00+00:00")

    def judge(text: str, published: dt.datetime | None, modified: dt.datetime | None = None) -> Relevance:
        return admit(query, StoredText(None, None, text, published, modified, in_versions=False), SINCE)

    before = judge("Sora leaked", old)
    assert not before.relevant and before.admission == BEFORE_SINCE and before.terms == ("sora", "leak*")
    updated = judge("Sora leaked", old, at("2024-11-27T10:00:00+00:00"))
    assert updated.relevant and updated.admission == UPDATED_SINCE and updated.score > 0
    assert judge("Sora leaked", None).relevant and judge("Sora leaked", None).admission is None
    unrelated = judge("Sora launched", old, at("2024-11-27T10:00:00+00:00"))
    assert not unrelated.relevant and unrelated.admission is None  # the dates never make a page relevant


def test_the_query_reads_the_article_not_the_lines_around_it() -> None:
    """A page naming the story only in a line marked as the page around
    its article (a related-stories list, a trending bar: chrome or
    template lines) links to coverage; it is not coverage."""
    query = StoryQuery("sora AND leak*")
    body = "\n".join([
        "Apple released a software update that fixes a bug in the camera app.",
        "More from us: Artists leak OpenAI's Sora video tool in protest",
        "The update is rolling out to all users over the coming days.",
    ])

    def judge(chrome: tuple[int, ...] | None) -> Relevance:
        return admit(query, StoredText(None, None, body, None, None, in_versions=False, chrome=chrome), SINCE)

    assert not judge((1,)).relevant
    # Kept before chrome lines were (None), or not marked: every line is the article's.
    assert judge(None).relevant and judge(()).relevant
    # A page whose every line is marked is read whole, as its identity is.
    assert judge((0, 1, 2)).relevant


def test_the_lead_starts_at_the_article() -> None:
    """``lead:`` is the first 120 words of the article, not of a share row
    or a breadcrumb above it."""
    query = StoryQuery("lead:sora")
    furniture = " ".join(["Share"] * 130)
    text = f"{furniture}\nOpenAI's Sora was leaked by artists on Tuesday."

    def judge(chrome: tuple[int, ...]) -> bool:
        return admit(query, StoredText(None, None, text, None, None, in_versions=False, chrome=chrome), SINCE).relevant

    assert judge((0,)) and not judge(())
