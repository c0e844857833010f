"""Small helpers for tests that read the database directly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from storage.engine import make_engine, make_sessionmaker
from storage.models import Article, ArticleVersion, CrawlRun


def db_state(url: str) -> dict[str, Any]:
    engine = make_engine(url, immediate=False)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        articles = {a.url: a for a in session.scalars(select(Article))}
        versions: dict[str, list[ArticleVersion]] = {u: [] for u in articles}
        by_id = {a.id: a.url for a in articles.values()}
        for version in session.scalars(select(ArticleVersion).order_by(ArticleVersion.article_id, ArticleVersion.number)):
            versions[by_id[version.article_id]].append(version)
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    engine.dispose()
    return {"articles": articles, "versions": versions, "runs": runs}


def ledger(url: str) -> list[tuple[str, str, str]]:
    """The digest ledger's (day, target, status) rows, by day and target."""
    engine = make_engine(url, immediate=False)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT digest_date, target, status FROM digest_run ORDER BY digest_date, target")).all()
    engine.dispose()
    return [(str(day), target, status) for day, target, status in rows]
