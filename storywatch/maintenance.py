"""Rework on stored data: re-applying a changed story query."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.match import StoryQuery
from storage.models import Article, ArticleVersion
from storage.record import apply_relevance
from storywatch.article import Relevance
from storywatch.clock import utcnow
from storywatch.config import Config


@dataclasses.dataclass(frozen=True, slots=True)
class RematchResult:
    checked: int
    now_relevant: int
    became_relevant: int
    no_longer_relevant: int
    rechecks: int


def rematch_all(sessions: sessionmaker[Session], config: Config) -> RematchResult:
    """Match the story query again against each article's latest version.

    Articles without versions (non-matching when fetched: their text was not
    kept) published after ``since`` are queued for a re-check on the next
    crawl, which matches them with the new query."""
    query = StoryQuery(config.story.query)
    now = utcnow()
    checked = now_relevant = became = dropped = rechecks = 0
    with sessions.begin() as session:
        for article in session.scalars(select(Article)):
            latest = session.scalars(
                select(ArticleVersion)
                .where(ArticleVersion.article_id == article.id)
                .order_by(ArticleVersion.number.desc())
                .limit(1)
            ).first()
            if latest is None:
                published = article.published_at
                if article.removed_at is None and (published is None or published.date() >= config.story.since):
                    article.next_check_at = now
                    rechecks += 1
                continue
            checked += 1
            match = query.match(latest.title, latest.description, latest.text)
            if match.relevant and not article.relevant:
                became += 1
            if article.relevant and not match.relevant:
                dropped += 1
            apply_relevance(article, Relevance(match.relevant, match.score, match.terms), decide_afresh=True)
            now_relevant += int(match.relevant)
    return RematchResult(checked, now_relevant, became, dropped, rechecks)
