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
