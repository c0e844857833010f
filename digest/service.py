"""The digest, end to end: which days are due, and sending each one once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from digest.days import day_is_over, due_days
from digest.ledger import DONE, claim, day_status, finished_days, mark_failed, mark_sent
from digest.render import build_message, message_id, render
from digest.select import DigestContent, select_day
from digest.send import DeliveryError, OutboxTransport, SmtpTransport, Transport
from storage.models import CrawlRun
from storywatch.clock import utcnow
from storywatch.config import Config

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class SendOutcome:
    day: dt.date
    status: str  # sent | skipped | already_sent | busy | failed
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def describe(self) -> str:
        text = {
            "sent": "digest for {day} sent",
            "skipped": "digest for {day}: nothing new, skipped (skip_empty_days)",
            "already_sent": "digest for {day} was already sent (use --force to send it again)",
            "busy": "digest for {day} is being sent by another process",
            "failed": "digest for {day} NOT sent",
        }[self.status].format(day=self.day.isoformat())
        return f"{text}: {self.detail}" if self.detail else text


class DayNotOver(ValueError):
    """A digest day that is not over yet in the configured time zone."""


class DigestService:
    def __init__(
        self,
        config: Config,
        sessions: sessionmaker[Session],
        *,
        outbox_override: Path | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.config = config
        self.sessions = sessions
        if transport is not None:
            self.transport = transport
        elif outbox_override is not None or config.smtp is None:
            self.transport = OutboxTransport(outbox_override or Path(config.digest.outbox))
        else:
            self.transport = SmtpTransport(config.smtp)

    def content(self, day: dt.date) -> DigestContent:
        with self.sessions() as session:
            return select_day(session, day, self.config.story.name, self.config.digest.excerpt_chars)

    def preview(self, day: dt.date) -> str:
        text, _ = render(self.content(day), self.config.schedule.zone)
        return text

    def write_files(self, day: dt.date, folder: Path) -> None:
        """Write the day's ``.eml`` and ``.html`` into ``folder`` without
        touching the ledger (a preview, or an export beside SMTP)."""
        OutboxTransport(folder).deliver(self._message(self.content(day), utcnow()))

    def _message(self, content: DigestContent, now: dt.datetime) -> EmailMessage:
        digest = self.config.digest
        return build_message(content, sender=digest.sender, to=digest.to, zone=self.config.schedule.zone, now=now)

    def mailing_status(self, day: dt.date) -> str | None:
        with self.sessions() as session:
            return day_status(session, day)

    def check_over(self, day: dt.date, now: dt.datetime | None = None) -> None:
        zone = self.config.schedule.zone
        if not day_is_over(day, now or utcnow(), zone):
            raise DayNotOver(f"the digest day {day} is not over yet in {zone.key}: only a preview (--dry-run) is possible")

    def due(self, now: dt.datetime) -> list[dt.date]:
        zone = self.config.schedule.zone
        with self.sessions() as session:
            first = session.scalar(select(func.min(CrawlRun.started_at)))
            done = finished_days(session)
        return due_days(
            first_crawl_day=first.astimezone(zone).date() if first else None,
            now=now,
            digest_at=self.config.schedule.digest_at,
            zone=zone,
            done=done,
        )

    def send_due(self, now: dt.datetime | None = None) -> list[SendOutcome]:
        """Send every due, unsent day, oldest first; stop at the first failure
        (the next check retries it)."""
        now = now or utcnow()
        outcomes = []
        for day in self.due(now):
            outcome = self.send_day(day, now=now)
            outcomes.append(outcome)
            if outcome.status == "failed":
                break
        return outcomes

    def send_day(self, day: dt.date, force: bool = False, now: dt.datetime | None = None) -> SendOutcome:
        """Deliver one day's digest and record it; raises DayNotOver for a
        day that is not over at ``now`` (default: the clock's now), since its
        digest would miss what is still to come."""
        digest = self.config.digest
        self.check_over(day, now)
        started = utcnow()
        ident = message_id(self.config.story.name, day, digest.sender)
        with self.sessions.begin() as session:
            claimed = claim(session, day, ident, started, force=force)
        if claimed is None:
            return self._not_claimed(day)
        content = self.content(day)
        counts = (content.new_count, len(content.changed), len(content.removed))
        if content.is_empty and digest.skip_empty_days:
            with self.sessions.begin() as session:
                mark_sent(session, claimed, utcnow(), "none", counts, skipped=True)
            return SendOutcome(day, "skipped")
        if not digest.to and self.transport.name == "smtp":
            with self.sessions.begin() as session:
                mark_failed(session, claimed, "[digest] to is empty")
            return SendOutcome(day, "failed", "[digest] to is empty")
        try:
            self.transport.deliver(self._message(content, started))
        except DeliveryError as exc:
            # Reported once by the caller (the CLI's output, the daemon's log line).
            log.debug("digest for %s not sent: %s", day, exc)
            with self.sessions.begin() as session:
                mark_failed(session, claimed, str(exc))
            detail = f"{exc} (it stays recorded as sent before)" if claimed.resend else str(exc)
            return SendOutcome(day, "failed", detail)
        with self.sessions.begin() as session:
            mark_sent(session, claimed, utcnow(), self.transport.name, counts)
        log.debug("digest for %s sent by %s (%d new, %d changed, %d removed)", day, self.transport.name, *counts)
        return SendOutcome(day, "sent", f"{counts[0]} new, {counts[1]} changed, {counts[2]} removed")

    def _not_claimed(self, day: dt.date) -> SendOutcome:
        return SendOutcome(day, "already_sent" if self.mailing_status(day) in DONE else "busy")
