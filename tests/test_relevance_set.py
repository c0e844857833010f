"""The shipped story query, scored on the labelled set in bench/ (texts
written for this project: coverage in sixteen languages and registers, and
the hard negatives real prose holds)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bench.relevance import DEFAULT_SET, load_set, score
from crawler.match import StoryQuery

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_query_reaches_098_on_the_labelled_set() -> None:
    query = tomllib.loads((ROOT / "storywatch.toml").read_text("utf-8"))["story"]["query"]
    items = load_set(DEFAULT_SET)
    assert len(items) >= 100
    assert {"coverage", "videogame", "sora2-app", "fact-check", "open-sora", "local-leak"} <= {i.kind for i in items}
    result = score(StoryQuery(query), items)
    assert result.precision >= 0.98, result.errors
    assert result.recall >= 0.98, result.errors


def test_the_set_tells_a_weak_query_from_the_shipped_one() -> None:
    result = score(StoryQuery('sora AND (leak* OR "PR Puppets" OR "Hugging Face")'), load_set(DEFAULT_SET))
    assert result.precision < 0.9
