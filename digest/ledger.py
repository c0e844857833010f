"""The digest ledger (``digest_run``): one row per digest day and target.

Claim a day, deliver, mark it sent.  A day whose delivery the target
confirmed is never sent again (unless forced, and a forced resend that fails
leaves it sent, with the failure noted); a failure is recorded with its
reason and retried by the next check; a claim left behind by a process that
died is taken over after a while.  Only days that are over are recorded."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import DigestRun

STALE_CLAIM = dt.timedelta(minutes=15)
DONE = ("sent", "skipped")
EMAIL = "email"  # the digest mail's target; notification targets get their own name


@dataclasses.dataclass(frozen=True, slots=True)
class SentMessage:
    """What was delivered, kept with the ledger row (the web view's /digests)."""

    subject: str
    text: str
    html: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Claim:
    day: dt.date
    target: str
    # True when the day was already done and --force sends it again: the
    # row stays done whatever happens to this attempt.
    resend: bool


def _row(session: Session, day: dt.date, target: str, *, lock: bool = False) -> DigestRun:
    query = select(DigestRun).where(DigestRun.digest_date == day, DigestRun.target == target)
    return session.scalars(query.with_for_update() if lock else query).one()


def finished_days(session: Session, target: str = EMAIL) -> list[dt.date]:
    return list(
        session.scalars(
            select(DigestRun.digest_date).where(DigestRun.target == target, DigestRun.status.in_(DONE))
        )
    )


def day_status(session: Session, day: dt.date, target: str = EMAIL) -> str | None:
    return session.scalar(select(DigestRun.status).where(DigestRun.digest_date == day, DigestRun.target == target))


def claim(
    session: Session, day: dt.date, message_id: str, now: dt.datetime, *, target: str = EMAIL, force: bool = False
) -> Claim | None:
    """Take the day for sending; None when it is done (or claimed by a live sender)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(DigestRun)
        .values(
            digest_date=day,
            target=target,
            status="failed",
            attempts=0,
            message_id=message_id,
            new_articles=0,
            changed_articles=0,
            removed_articles=0,
        )
        .on_conflict_do_nothing(index_elements=["digest_date", "target"])
    )
    run = _row(session, day, target, lock=True)
    live_claim = run.status == "claimed" and run.claimed_at is not None and now - run.claimed_at < STALE_CLAIM
    if (run.status in DONE or live_claim) and not force:
        return None
    resend = run.status in DONE
    if not resend:
        run.status = "claimed"
    run.claimed_at = now
    run.attempts += 1
    run.message_id = message_id
    return Claim(day, target, resend)


def mark_sent(
    session: Session, claimed: Claim, now: dt.datetime, transport: str, counts: tuple[int, int, int],
    *, skipped: bool = False, message: SentMessage | None = None,
) -> None:
    run = _row(session, claimed.day, claimed.target)
    run.status = "skipped" if skipped else "sent"
    run.sent_at = now
    run.transport = transport
    run.last_error = None
    run.new_articles, run.changed_articles, run.removed_articles = counts
    if message is not None:
        run.subject, run.body_text, run.body_html = message.subject, message.text, message.html


def mark_failed(session: Session, claimed: Claim, reason: str) -> None:
    """Note the failure; a day that was done before this attempt stays done."""
    run = _row(session, claimed.day, claimed.target)
    if not claimed.resend:
        run.status = "failed"
    run.last_error = reason[:2000]
