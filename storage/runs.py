"""A crawl run's life in ``crawl_run``, in one place: started by the
process that launches the crawl child, claimed by the child (its pid),
finished by the child with its counts, or failed / interrupted by the
launcher, and closed when a dead process left it running."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import CrawlRun, CrawlStatus


def start_crawl_run(
    session: Session, *, trigger: str, kind: str, outlets: Sequence[str], now: dt.datetime, pid: int | None = None
) -> CrawlRun:
    """A new run, status 'running'.  ``pid`` is the crawling process (the
    crawl child sets it when it starts), so a dead run can be told."""
    run = CrawlRun(
        started_at=now,
        status="running",
        trigger=trigger,
        kind=kind,
        outlets=list(outlets),
        pid=pid,
        host=socket.gethostname(),
        discovered=0,
        fetched=0,
        relevant=0,
        new_articles=0,
        new_versions=0,
        not_modified=0,
        skipped=0,
        errors=0,
        details={},
    )
    session.add(run)
    session.flush()
    return run


def fail_crawl_run(session: Session, run_id: int, message: str, now: dt.datetime) -> None:
    """Mark a run failed unless it already finished."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id, CrawlRun.status == "running")
        .values(status="failed", finished_at=now, message=message)
    )


def interrupt_crawl_run(session: Session, run_id: int, message: str, now: dt.datetime) -> None:
    """Mark a run stopped by a signal: ``interrupted``, whatever the child
    managed to write (its counts are kept)."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status="interrupted", finished_at=func.coalesce(CrawlRun.finished_at, now), message=message)
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_stale_runs(session: Session, now: dt.datetime, older_than: dt.timedelta = dt.timedelta(hours=6)) -> int:
    """Runs left 'running' by a process that died: mark them failed."""
    host = socket.gethostname()
    closed = 0
    for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
        dead = run.host == host and run.pid is not None and not _pid_alive(run.pid)
        if dead or now - run.started_at > older_than:
            run.status, run.finished_at = "failed", now
            run.message = run.message or "the crawl process ended without finishing its run"
            closed += 1
    return closed


def recent_crawl_runs(session: Session, limit: int = 10) -> list[CrawlRun]:
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)))


def claim_crawl_run(session: Session, run_id: int, pid: int) -> None:
    """The crawl child owns the run from now on: if it dies, its pid tells."""
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(pid=pid))


def finish_crawl_run(
    session: Session,
    run_id: int,
    *,
    status: CrawlStatus,
    counts: Mapping[str, int],
    skipped: int,
    errors: int,
    details: Mapping[str, Any],
    message: str | None,
    now: dt.datetime,
) -> None:
    """The child's outcome: status, counts and per-outlet details."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(
            status=status,
            finished_at=now,
            discovered=counts["discovered"],
            fetched=counts["fetched"],
            relevant=counts["relevant"],
            new_articles=counts["new_articles"],
            new_versions=counts["new_versions"],
            not_modified=counts["not_modified"],
            skipped=skipped,
            errors=errors,
            details=dict(details),
            message=message,
        )
    )
