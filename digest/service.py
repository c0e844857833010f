"""The digest, end to end: which days are due, and sending each one once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from digest.days import day_is_over, due_days
from digest.ledger import DONE, EMAIL, SentMessage, claim, day_status, finished_days, mark_failed, mark_sent
from digest.notify import AppriseChannel, channels
from digest.render import build_message, message_id, render
from digest.select import DigestContent, select_day
from digest.send import DeliveryError, OutboxTransport, SmtpTransport, Transport
from storage.models import CrawlRun, NotifyTarget
from storage.record import local_day
from storywatch.clock import utcnow
from storywatch.config import Config

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class SendOutcome:
    day: dt.date
    status: str  # sent | skipped | already_sent | busy | failed
    detail: str = ""
    target: str = EMAIL  # the ledger's target name

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def describe(self) -> str:
        what = "digest" if self.target == EMAIL else f"digest notification ({self.target})"
        text = {
            "sent": "{what} for {day} sent",
            "skipped": "{what} for {day}: nothing new, skipped (skip_empty_days)",
            "already_sent": "{what} for {day} was already sent (use --force to send it again)",
            "busy": "{what} for {day} is being sent by another process",
            "failed": "{what} for {day} NOT sent",
        }[self.status].format(what=what, day=self.day.isoformat())
        return f"{text}: {self.detail}" if self.detail else text


class Channel(Protocol):
    """One delivery target of the digest, with a ledger of its own."""

    @property
    def name(self) -> str: ...  # the ledger's target

    @property
    def transport(self) -> str: ...

    def deliver(self, content: DigestContent, now: dt.datetime) -> SentMessage: ...


class EmailChannel:
    """The digest mail, through SMTP or into the outbox folder."""

    name = EMAIL

    def __init__(self, config: Config, transport: Transport) -> None:
        self.config = config
        self.sender = transport

    @property
    def transport(self) -> str:
        return self.sender.name

    def message(self, content: DigestContent, now: dt.datetime) -> EmailMessage:
        digest = self.config.digest
        return build_message(content, sender=digest.sender, to=digest.to, zone=self.config.schedule.zone, now=now)

    def deliver(self, content: DigestContent, now: dt.datetime) -> SentMessage:
        if not self.config.digest.to and self.sender.name == "smtp":
            raise DeliveryError("[digest] to is empty")
        message = self.message(content, now)
        self.sender.deliver(message)
        text, html = (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
        return SentMessage(
            str(message["Subject"]),
            text.get_content() if text is not None else "",
            html.get_content() if html is not None else None,
        )


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
        notifiers: Sequence[AppriseChannel] | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        """``notifiers`` default to the config's ``[notify]`` targets when
        ``on`` has "digest" (ConfigError for a URL Apprise does not know)."""
        self.config = config
        self.sessions = sessions
        if transport is None:
            if outbox_override is not None or config.smtp is None:
                transport = OutboxTransport(outbox_override or Path(config.digest.outbox))
            else:
                transport = SmtpTransport(config.smtp)
        self.transport = transport
        self.email = EmailChannel(config, transport)
        if notifiers is None:
            wanted = "digest" in config.notify.on
            env = dict(os.environ) if environ is None else environ
            notifiers = list(channels(config.notify, env, config.web.base_url)) if wanted else []
        self.notifiers = list(notifiers)

    def content(self, day: dt.date) -> DigestContent:
        with self.sessions() as session:
            return select_day(session, day, self.config.story.name, self.config.digest.excerpt_chars)

    def preview(self, day: dt.date) -> str:
        text, _ = render(self.content(day), self.config.schedule.zone)
        return text

    def write_files(self, day: dt.date, folder: Path) -> None:
        """Write the day's ``.eml`` and ``.html`` into ``folder`` without
        touching the ledger (a preview, or an export beside SMTP)."""
        OutboxTransport(folder).deliver(self.email.message(self.content(day), utcnow()))

    def mailing_status(self, day: dt.date) -> str | None:
        with self.sessions() as session:
            return day_status(session, day)

    def check_over(self, day: dt.date, now: dt.datetime | None = None) -> None:
        zone = self.config.schedule.zone
        if not day_is_over(day, now or utcnow(), zone):
            raise DayNotOver(f"the digest day {day} is not over yet in {zone.key}: only a preview (--dry-run) is possible")

    def due(self, now: dt.datetime, target: str = EMAIL, start: dt.date | None = None) -> list[dt.date]:
        """The target's due days: from the first crawl's day (or ``start``,
        the day a notification target was added, when later)."""
        zone = self.config.schedule.zone
        with self.sessions() as session:
            first = session.scalar(select(func.min(CrawlRun.started_at)))
            done = finished_days(session, target)
        first_day = first.astimezone(zone).date() if first else None
        if first_day is not None and start is not None:
            first_day = max(first_day, start)
        return due_days(first_crawl_day=first_day, now=now, digest_at=self.config.schedule.digest_at, zone=zone, done=done)

    def _first_day(self, channel: AppriseChannel, now: dt.datetime) -> dt.date:
        """The day a notification target was first seen (recorded now if it
        is new): its digests start then, with no backlog."""
        with self.sessions.begin() as session:
            known = session.get(NotifyTarget, channel.name)
            if known is None:
                known = NotifyTarget(name=channel.name, kind=channel.target.kind, added_at=now,
                                     added_day=local_day(now, self.config.schedule.zone))
                session.add(known)
            return known.added_day

    def channels(self) -> list[Channel]:
        return [self.email, *self.notifiers]

    def register_targets(self, now: dt.datetime | None = None) -> dict[str, dt.date]:
        """Record the notification targets not seen before (their digests
        start today) and return every target's first day."""
        now = now or utcnow()
        return {channel.name: self._first_day(channel, now) for channel in self.notifiers}

    def send_due(self, now: dt.datetime | None = None) -> list[SendOutcome]:
        """Send every due, unsent day to every target, oldest first; a
        target stops at its first failure (the next check retries it), the
        others go on."""
        now = now or utcnow()
        starts: dict[str, dt.date | None] = {EMAIL: None, **self.register_targets(now)}
        outcomes = []
        for channel in self.channels():
            for day in self.due(now, channel.name, starts[channel.name]):
                outcome = self._send(channel, day, force=False, now=now)
                outcomes.append(outcome)
                if outcome.status == "failed":
                    break
        return outcomes

    def send_day(self, day: dt.date, force: bool = False, now: dt.datetime | None = None) -> SendOutcome:
        """Deliver one day's digest mail and record it; raises DayNotOver for
        a day that is not over at ``now`` (default: the clock's now), since
        its digest would miss what is still to come."""
        return self._send(self.email, day, force=force, now=now)

    def send_day_everywhere(self, day: dt.date, force: bool = False, now: dt.datetime | None = None) -> list[SendOutcome]:
        """The mail, then every notification target whose start is not after ``day``."""
        outcomes = [self.send_day(day, force=force, now=now)]
        starts = self.register_targets(now)
        for channel in self.notifiers:
            if force or day >= starts[channel.name]:
                outcomes.append(self._send(channel, day, force=force, now=now))
        return outcomes

    def _send(self, channel: Channel, day: dt.date, *, force: bool, now: dt.datetime | None) -> SendOutcome:
        digest = self.config.digest
        self.check_over(day, now)
        started = utcnow()
        ident = message_id(self.config.story.name, day, digest.sender)
        with self.sessions.begin() as session:
            claimed = claim(session, day, ident, started, target=channel.name, force=force)
        if claimed is None:
            return self._not_claimed(day, channel.name)
        content = self.content(day)
        counts = (content.new_count, len(content.changed), len(content.removed))
        if content.is_empty and digest.skip_empty_days:
            with self.sessions.begin() as session:
                mark_sent(session, claimed, utcnow(), "none", counts, skipped=True)
            return SendOutcome(day, "skipped", target=channel.name)
        try:
            sent = channel.deliver(content, started)
        except DeliveryError as exc:
            # Reported once by the caller (the CLI's output, the daemon's log line).
            log.debug("digest for %s not sent to %s: %s", day, channel.name, exc)
            with self.sessions.begin() as session:
                mark_failed(session, claimed, str(exc))
            detail = f"{exc} (it stays recorded as sent before)" if claimed.resend else str(exc)
            return SendOutcome(day, "failed", detail, channel.name)
        # Delivered: a crash before this commit leaves a claim that goes
        # stale and is retried (at least once, never silently lost).
        with self.sessions.begin() as session:
            mark_sent(session, claimed, utcnow(), channel.transport, counts, message=sent)
        log.debug("digest for %s sent to %s by %s (%d new, %d changed, %d removed)", day, channel.name,
                  channel.transport, *counts)
        return SendOutcome(day, "sent", f"{counts[0]} new, {counts[1]} changed, {counts[2]} removed", channel.name)

    def _not_claimed(self, day: dt.date, target: str = EMAIL) -> SendOutcome:
        with self.sessions() as session:
            status = day_status(session, day, target)
        return SendOutcome(day, "already_sent" if status in DONE else "busy", target=target)
