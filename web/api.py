"""The JSON API's shapes: pydantic models, so /api/schema.json publishes
them and every answer is checked against them on the way out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from storage.queries import ChangeRow
from web.data import ArticleDetail, ArticlePage, ArticleSummary, VersionInfo, VersionText


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArticleOut(_Model):
    id: int
    outlet: str
    outlet_name: str
    url: str
    title: str | None
    published_at: dt.datetime | None
    first_seen_at: dt.datetime
    first_seen_day: dt.date
    versions: int
    removed_at: dt.datetime | None
    is_partial: bool
    syndicated_from: str | None
    link: str  # this article's page in the web view


class ArticleListOut(_Model):
    page: int
    pages: int
    per_page: int
    total: int
    articles: list[ArticleOut]


class VersionOut(_Model):
    number: int
    fetched_at: dt.datetime
    title: str | None
    authors: list[str]
    published_at: dt.datetime | None
    change_kinds: list[str]
    change_size: int | None
    is_minor: bool
    is_partial: bool
    partial_reason: str | None
    raw_sha256: str
    text: str
    # Indices (from 0) of the text's lines left out of the version's
    # identity: the page around the article, whose changes make no version.
    chrome_lines: list[int]


class LinkedOut(_Model):
    id: int | None
    url: str
    outlet_name: str | None
    title: str | None


class ArticleDetailOut(_Model):
    id: int
    outlet: str
    outlet_name: str
    url: str
    title: str | None
    published_at: dt.datetime | None
    first_seen_at: dt.datetime
    last_checked_at: dt.datetime | None
    check_state: str
    removed_at: dt.datetime | None
    relevant: bool
    match_score: float
    match_terms: list[str]
    admission: str | None
    churn_count: int
    original: LinkedOut | None
    copies: list[LinkedOut]
    versions: list[VersionOut]


class ChangeOut(_Model):
    kind: str  # "new" | "changed"
    article_id: int
    version: int
    outlet: str
    url: str
    title: str | None
    fetched_at: dt.datetime
    change_kinds: list[str]
    is_minor: bool
    is_partial: bool
    link: str


class ChangesOut(_Model):
    since: dt.datetime
    truncated: bool
    changes: list[ChangeOut]


class ErrorOut(_Model):
    error: str


def _shared(source: object, model: type[BaseModel]) -> dict[str, Any]:
    """The fields of ``model`` that ``source`` (a read model of web/data.py) has."""
    return {name: getattr(source, name) for name in model.model_fields if hasattr(source, name)}


def article_out(row: ArticleSummary, root: str) -> ArticleOut:
    return ArticleOut(**_shared(row, ArticleOut), link=f"{root}/articles/{row.id}")


def article_list_out(page: ArticlePage, root: str, per_page: int) -> ArticleListOut:
    return ArticleListOut(
        page=page.filter.page, pages=page.pages, per_page=per_page, total=page.total,
        articles=[article_out(row, root) for row in page.articles],
    )


def _version_out(version: VersionInfo, stored: VersionText | None) -> VersionOut:
    return VersionOut(**{**_shared(version, VersionOut), "text": stored.text if stored else "",
                         "chrome_lines": sorted(stored.chrome) if stored else []})


def article_detail_out(detail: ArticleDetail, texts: dict[int, VersionText]) -> ArticleDetailOut:
    def linked(item: object) -> LinkedOut:
        return LinkedOut.model_validate(item, from_attributes=True)

    return ArticleDetailOut(**{
        **_shared(detail, ArticleDetailOut),
        "original": linked(detail.original) if detail.original else None,
        "copies": [linked(copy) for copy in detail.copies],
        "versions": [_version_out(v, texts.get(v.number)) for v in detail.versions],
    })


def change_out(change: ChangeRow, root: str) -> ChangeOut:
    return ChangeOut(
        kind="new" if change.is_new else "changed", article_id=change.article_id, version=change.number,
        outlet=change.outlet, url=change.url, title=change.title, fetched_at=change.fetched_at,
        change_kinds=list(change.change_kinds), is_minor=change.is_minor, is_partial=change.is_partial,
        link=f"{root}/articles/{change.article_id}",
    )


SCHEMAS: dict[str, type[BaseModel]] = {
    "/api/articles": ArticleListOut,
    "/api/articles/{id}": ArticleDetailOut,
    "/api/changes": ChangesOut,
    "errors": ErrorOut,
}
