"""The digest ledger (``digest_run``): claim a day, send, mark it sent.

A day whose send the server confirmed is never sent again (unless forced);
a failure is recorded with its reason and retried by the next check; a claim
left behind by a process that died is taken over after a while."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import DigestRun

STALE_CLAIM = dt.timedelta(minutes=15)
DONE = ("sent", "skipped")


def finished_days(session: Session) -> list[dt.date]:
    return list(session.scalars(select(DigestRun.digest_date).where(DigestRun.status.in_(DONE))))


def claim(session: Session, day: dt.date, message_id: str, now: dt.datetime, force: bool = False) -> DigestRun | None:
    """Take the day for sending; None when it is done (or claimed by a live sender)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(DigestRun)
        .values(
            digest_date=day,
            status="failed",
            attempts=0,
            message_id=message_id,
            new_articles=0,
            changed_articles=0,
            removed_articles=0,
        )
        .on_conflict_do_nothing(index_elements=["digest_date"])
    )
    run = session.scalars(select(DigestRun).where(DigestRun.digest_date == day).with_for_update()).one()
    if run.status in DONE and not force:
        return None
    if run.status == "claimed" and run.claimed_at is not None and now - run.claimed_at < STALE_CLAIM and not force:
        return None
    run.status = "claimed"
    run.claimed_at = now
    run.attempts += 1
    run.message_id = message_id
    return run


def mark_sent(session: Session, day: dt.date, now: dt.datetime, transport: str, counts: tuple[int, int, int], skipped: bool = False) -> None:
    run = session.scalars(select(DigestRun).where(DigestRun.digest_date == day)).one()
    run.status = "skipped" if skipped else "sent"
    run.sent_at = now
    run.transport = transport
    run.last_error = None
    run.new_articles, run.changed_articles, run.removed_articles = counts


def mark_failed(session: Session, day: dt.date, reason: str) -> None:
    run = session.scalars(select(DigestRun).where(DigestRun.digest_date == day)).one()
    run.status = "failed"
    run.last_error = reason[:2000]
