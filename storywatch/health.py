"""Per-outlet health from recent crawl runs, and when things run next."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import CrawlRun
from storywatch.config import Config

HEALTH_RUNS = 3


def outlet_health(session: Session, config: Config, runs: int = HEALTH_RUNS) -> dict[str, list[str]]:
    """Problems per outlet over the last few finished discovery crawls."""
    recent = list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.status != "running", CrawlRun.kind.like("discovery%"))
            .order_by(CrawlRun.id.desc())
            .limit(runs)
        )
    )
    health: dict[str, list[str]] = {}
    for outlet in config.outlets:
        rows = []
        for run in recent:
            details = run.details or {}
            row = (details.get("outlets") or {}).get(outlet.key)
            if row is not None:
                rows.append((row, outlet.key in details.get("failed_outlets", [])))
        problems: list[str] = []
        if rows and rows[0][1]:
            problems.append("failed in the last crawl")
        if len(rows) >= runs and all(r.get("discovered", 0) == 0 for r, _ in rows):
            problems.append(f"discovery found nothing in {len(rows)} crawls")
        if len(rows) >= runs and all(r.get("sources_failed", 0) > 0 for r, _ in rows):
            problems.append(f"a feed or sitemap failed in each of the last {len(rows)} crawls")
        fetched = sum(r.get("fetched", 0) for r, _ in rows)
        usable = sum(r.get("usable", 0) for r, _ in rows)
        if fetched >= 3 and usable < fetched / 2:
            problems.append(f"only {usable} of {fetched} pages gave usable text")
        health[outlet.key] = problems
    return health


def next_runs(config: Config, session_factory: sessionmaker[Session], now: dt.datetime) -> dict[str, dt.datetime]:
    """When the daemon would next crawl, revisit and check the digest."""
    with session_factory() as session:
        last_discovery = session.scalar(
            select(CrawlRun.started_at).where(CrawlRun.kind.like("discovery%")).order_by(CrawlRun.id.desc()).limit(1)
        )
        last_any = session.scalar(select(CrawlRun.started_at).order_by(CrawlRun.id.desc()).limit(1))
    schedule = config.schedule
    zone = schedule.zone
    local_now = now.astimezone(zone)
    digest = dt.datetime.combine(local_now.date(), schedule.digest_at, tzinfo=zone)
    if digest <= local_now:
        digest = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), schedule.digest_at, tzinfo=zone)
    return {
        "discovery crawl": max(now, last_discovery + schedule.crawl_every) if last_discovery else now,
        "revisit run": max(now, last_any + schedule.revisit_every) if last_any else now,
        "digest": digest.astimezone(dt.UTC),
    }
