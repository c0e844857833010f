"""The JSON API's shapes: pydantic models, so /api/schema.json publishes
them and every answer is checked against them on the way out."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from storage.queries import ChangeRow
from web.data import ArticleDetail, ArticlePage, ArticleSummary


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


def article_out(row: ArticleSummary, root: str) -> ArticleOut:
    return ArticleOut(
        id=row.id, outlet=row.outlet, outlet_name=row.outlet_name, url=row.url, title=row.title,
        published_at=row.published_at, first_seen_at=row.first_seen_at, first_seen_day=row.first_seen_day,
        versions=row.versions, removed_at=row.removed_at, is_partial=row.is_partial,
        syndicated_from=row.syndicated_from, link=f"{root}/articles/{row.id}",
    )


def article_list_out(page: ArticlePage, root: str, per_page: int) -> ArticleListOut:
    return ArticleListOut(
        page=page.filter.page, pages=page.pages, per_page=per_page, total=page.total,
        articles=[article_out(row, root) for row in page.articles],
    )


def article_detail_out(detail: ArticleDetail, texts: dict[int, str]) -> ArticleDetailOut:
    def linked(item: object) -> LinkedOut:
        return LinkedOut.model_validate(item, from_attributes=True)

    return ArticleDetailOut(
        id=detail.id, outlet=detail.outlet, outlet_name=detail.outlet_name, url=detail.url, title=detail.title,
        published_at=detail.published_at, first_seen_at=detail.first_seen_at, last_checked_at=detail.last_checked_at,
        check_state=detail.check_state, removed_at=detail.removed_at, relevant=detail.relevant,
        match_score=detail.match_score, match_terms=detail.match_terms, admission=detail.admission,
        churn_count=detail.churn_count,
        original=linked(detail.original) if detail.original else None,
        copies=[linked(copy) for copy in detail.copies],
        versions=[
            VersionOut(
                number=v.number, fetched_at=v.fetched_at, title=v.title, authors=v.authors,
                published_at=v.published_at, change_kinds=list(v.change_kinds), change_size=v.change_size,
                is_minor=v.is_minor, is_partial=v.is_partial, partial_reason=v.partial_reason,
                raw_sha256=v.raw_sha256, text=texts.get(v.number, ""),
            )
            for v in detail.versions
        ],
    )


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
