"""The story query, matched directly on strings."""

from __future__ import annotations

import pytest

from crawler.match import QueryError, StoryQuery

QUERY = 'sora AND (leak* OR "PR Puppets" OR "Hugging Face")'


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        ("Artists leak Sora", "", True),
        ("OpenAI's SORA", "The tool was LEAKED on Tuesday.", True),  # case, prefix
        ("Sora", "a project by PR Puppets", True),  # phrase
        ("Sora", "PR and Puppets", False),  # phrase words apart
        ("OpenAI launches Sora", "Available to all subscribers.", False),  # hard negative
        ("Hugging Face model", "no mention of the video tool", False),
        ("Sora", "posted on Hugging Face", True),
        ("Sora", "leakage", True),
    ],
)
def test_story_query(title: str, text: str, relevant: bool) -> None:
    assert StoryQuery(QUERY).match(title, None, text).relevant is relevant


def test_terms_and_score_say_why() -> None:
    result = StoryQuery(QUERY).match("Sora leak", "", "Sora leaked by PR Puppets; the leak spread.")
    assert result.relevant
    assert set(result.terms) == {"sora", "leak*", '"PR Puppets"'}
    weaker = StoryQuery(QUERY).match("News", "", "Sora leak")
    assert result.score > weaker.score > 0


def test_not_implicit_and_fields_and_star() -> None:
    assert StoryQuery("sora -launch").match("Sora leak", None, "").relevant
    assert not StoryQuery("sora NOT launch").match("Sora launch", None, "").relevant
    assert not StoryQuery("sora leak").match("Sora", None, "nothing else").relevant  # implicit AND
    assert StoryQuery("title:sora").match("Sora", None, "").relevant
    assert not StoryQuery("title:sora").match("Other", None, "sora").relevant
    assert StoryQuery("*").match(None, None, "anything").relevant
    assert StoryQuery("café").match("CAFÉ news", None, "").relevant  # Unicode casefold


@pytest.mark.parametrize("query", ["sora AND (leak", "author:someone", "sora~2", "date:[2024 TO 2025]"])
def test_bad_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        StoryQuery(query)
