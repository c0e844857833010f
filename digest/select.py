"""What a digest day reports: new relevant articles by outlet, changed and removed ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleVersion, Outlet
from storywatch.article import UPDATED_SINCE
from storywatch.content import identity_text
from storywatch.diffing import FULL_TEXT, Change, classify_change
from storywatch.pagetext import letters


@dataclasses.dataclass(frozen=True, slots=True)
class NewArticle:
    id: int
    outlet: str
    url: str
    title: str | None
    authors: tuple[str, ...]
    published_at: dt.datetime | None
    excerpt: str
    terms: tuple[str, ...]
    copies: tuple[NewArticle, ...] = ()
    copy_of: str | None = None
    copy_provider: str | None = None  # the original publisher, as the copy names it
    subscriber_only: bool = False  # a paywalled page: its teaser

    @property
    def copy_source(self) -> str | None:
        """Who a copy is republished from: its provider, else the original's host."""
        if self.copy_of is None:
            return None
        return self.copy_provider or urlsplit(self.copy_of).hostname


@dataclasses.dataclass(frozen=True, slots=True)
class ChangedArticle:
    id: int
    outlet: str
    url: str
    title: str | None
    from_version: int
    to_version: int
    change: Change
    subscriber_only: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class RemovedArticle:
    id: int
    outlet: str
    url: str
    title: str | None
    removed_at: dt.datetime
    note: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class DigestContent:
    day: dt.date
    story: str
    new_by_outlet: dict[str, list[NewArticle]]  # outlet name -> articles
    changed: list[ChangedArticle]
    removed: list[RemovedArticle]
    # Pages published before the story that were updated to mention it
    # (admission "updated_since"): coverage, but not new coverage.
    updated: list[NewArticle] = dataclasses.field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 + len(a.copies) for items in self.new_by_outlet.values() for a in items)

    @property
    def is_empty(self) -> bool:
        return not (self.new_by_outlet or self.changed or self.removed or self.updated)


def lead(text: str, chrome: Sequence[int] | None, title: str | None) -> str:
    """The article's own first words: its identity (no dateline or audio
    player's label above them) without the headline the body repeats at
    its top (a fifth of the corpora's pages open with it), which the
    digest prints just above."""
    lines = identity_text(text, chrome).split("\n")
    # Said as the title says it, case, punctuation and quote marks aside
    # ("Artists Leak Sora." and "Artists leak Sora").
    headline = letters(title or "")
    said = [i for i, line in enumerate(lines) if line.strip()]
    if headline and len(said) > 1 and letters(lines[said[0]]) == headline:
        lines = lines[said[1]:]
    return "\n".join(lines)


def _excerpt(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def select_day(session: Session, day: dt.date, story: str, excerpt_chars: int = 280) -> DigestContent:
    outlets = {o.id: o for o in session.scalars(select(Outlet))}

    # New: relevant articles whose first version was recorded that day.
    firsts = session.execute(
        select(Article, ArticleVersion)
        .join(ArticleVersion, ArticleVersion.article_id == Article.id)
        .where(Article.relevant.is_(True), ArticleVersion.number == 1, ArticleVersion.fetched_day == day)
        .order_by(ArticleVersion.fetched_at, Article.id)
    ).all()
    items = [
        NewArticle(
            id=article.id,
            outlet=outlets[article.outlet_id].name,
            url=article.url,
            title=version.title,
            authors=tuple(version.authors),
            published_at=version.published_at,
            excerpt=_excerpt(lead(version.text, version.chrome_lines, version.title), excerpt_chars),
            terms=tuple(article.match_terms or ()),
            copy_of=article.syndicated_from,
            copy_provider=article.syndicated_provider,
            subscriber_only=version.is_partial,
        )
        for article, version in firsts
    ]
    updated_ids = {article.id for article, _ in firsts if article.admission == UPDATED_SINCE}
    updated = [item for item in items if item.id in updated_ids]
    items = [item for item in items if item.id not in updated_ids]
    originals = {a.url: a for a in items if a.copy_of is None}
    copies: dict[str, list[NewArticle]] = {}
    new_by_outlet: dict[str, list[NewArticle]] = {}
    for item in items:
        if item.copy_of is not None and item.copy_of in originals:
            copies.setdefault(item.copy_of, []).append(item)
    for item in items:
        if item.copy_of is not None and item.copy_of in originals:
            continue  # shown under its original
        if item.url in copies:
            item = dataclasses.replace(item, copies=tuple(copies[item.url]))
        new_by_outlet.setdefault(item.outlet, []).append(item)

    # Changed: versions after the first recorded that day, one entry per
    # article from the version before the day's first change to the last.
    changed_versions = session.execute(
        select(Article, ArticleVersion)
        .join(ArticleVersion, ArticleVersion.article_id == Article.id)
        .where(Article.relevant.is_(True), ArticleVersion.number > 1, ArticleVersion.fetched_day == day)
        .order_by(Article.id, ArticleVersion.number)
    ).all()
    spans: dict[int, tuple[Article, int, ArticleVersion]] = {}
    complete_from: dict[int, int] = {}
    for article, version in changed_versions:
        if version.change_kinds == FULL_TEXT:
            # The first complete text after teasers is more of the article,
            # not a change: the day's changes count from it.
            spans.pop(article.id, None)
            complete_from[article.id] = version.number
            continue
        first = spans[article.id][1] if article.id in spans else complete_from.get(article.id, version.number - 1)
        spans[article.id] = (article, first, version)
    changed = []
    for article, from_number, last in spans.values():
        before = session.scalar(
            select(ArticleVersion).where(ArticleVersion.article_id == article.id, ArticleVersion.number == from_number)
        )
        if before is None:
            continue
        change = classify_change(
            before.title, before.authors, identity_text(before.text, before.chrome_lines),
            last.title, last.authors, identity_text(last.text, last.chrome_lines),
        )
        changed.append(
            ChangedArticle(article.id, outlets[article.outlet_id].name, article.url, last.title, from_number, last.number,
                           change, last.is_partial)
        )
    changed.sort(key=lambda c: (c.change.is_minor, c.outlet, c.id))

    removed = [
        RemovedArticle(a.id, outlets[a.outlet_id].name, a.url, a.title, a.removed_at, a.check_note)
        for a in session.scalars(
            select(Article).where(Article.relevant.is_(True), Article.removed_day == day).order_by(Article.id)
        )
        if a.removed_at is not None
    ]
    return DigestContent(day, story, dict(sorted(new_by_outlet.items())), changed, removed, updated)
