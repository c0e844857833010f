"""Rework on stored data: re-applying a changed story query."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session, sessionmaker

from crawler.admission import admit
from crawler.match import StoryQuery
from storage.queries import stored_texts
from storage.record import apply_relevance
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
    """Admit every article again (story query and date gate) on its latest
    stored text: its latest version, or the text kept when it did not match.

    An article newly admitted from kept text has no version yet: it is queued
    for a full fetch on the next crawl (validators dropped), which writes its
    first version.  Articles with no stored text at all (fetched before texts
    were kept) and published from ``since`` on are queued for a re-check."""
    query = StoryQuery(config.story.query)
    since = config.story.since
    now = utcnow()
    checked = now_relevant = became = dropped = rechecks = 0
    with sessions.begin() as session:
        for article, stored in list(stored_texts(session)):
            if stored is None:
                published = article.published_at
                if article.removed_at is None and (published is None or published.date() >= since):
                    article.next_check_at = now
                    rechecks += 1
                continue
            checked += 1
            relevance = admit(query, stored, since)
            if relevance.relevant and not article.relevant:
                became += 1
                if not stored.in_versions and article.removed_at is None:
                    article.next_check_at = now
                    article.http_etag = article.http_last_modified = article.raw_sha256 = None
                    rechecks += 1
            if article.relevant and not relevance.relevant:
                dropped += 1
            apply_relevance(article, relevance, decide_afresh=True)
            now_relevant += int(relevance.relevant)
    return RematchResult(checked, now_relevant, became, dropped, rechecks)
