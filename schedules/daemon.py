"""`storywatch run`: one APScheduler 3.x process that keeps it all going.

Jobs: discovery every ``crawl_every``, due revisits every ``revisit_every``
(one crawl child at a time; a discovery crawl includes the due revisits, so
both due at once make one child), and the digest check every few minutes.
State that must survive a restart lives in our tables, not in the job store."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from digest.notify import AppriseChannel, change_notice, channels
from digest.send import DeliveryError
from digest.service import DigestService
from schedules.crawljob import CrawlRequest, run_crawl_child
from schedules.lock import AlreadyRunning, DaemonLock, acquire
from schedules.stopping import StopRequest
from storage.models import CrawlRun
from storage.queries import changes_between, count_due
from storywatch.clock import format_duration, utcnow
from storywatch.config import Config

__all__ = ["AlreadyRunning", "Daemon"]

log = logging.getLogger(__name__)

LOCK_CHECK_EVERY = dt.timedelta(seconds=15)


class Daemon:
    def __init__(
        self, config: Config, config_path: str | None, sessions: sessionmaker[Session],
        *, log_level: str = "INFO", log_format: str = "text",
    ) -> None:
        self.config = config
        self.log_level = log_level
        self.log_format = log_format
        self.config_path = config_path
        self.sessions = sessions
        # Targets first: a URL Apprise does not know is a config error, before the lock is taken.
        self.digest = DigestService(config, sessions)
        self.change_channels: list[AppriseChannel] = (
            list(channels(config.notify, dict(os.environ), config.web.base_url)) if "change" in config.notify.on else []
        )
        self.lock: DaemonLock = acquire(config.database.url)
        self.stop = StopRequest()
        self.exit_code = 0
        self._crawl_lock = threading.Lock()
        self._discovery_pending = threading.Event()
        self.scheduler = BackgroundScheduler(timezone=config.schedule.zone)

    # -- jobs ------------------------------------------------------------

    def discovery_job(self) -> None:
        self._discovery_pending.set()
        self._crawl()

    def revisit_job(self) -> None:
        self._crawl()

    def _crawl(self) -> None:
        """Run crawl children one at a time.  A discovery asked for while a
        crawl runs is remembered and run right after it."""
        if not self._crawl_lock.acquire(blocking=False):
            return
        try:
            while not self.stop.requested.is_set():
                discovery = self._discovery_pending.is_set()
                self._discovery_pending.clear()
                if not discovery and not self._revisits_due():
                    return
                run = run_crawl_child(
                    self.config,
                    CrawlRequest(
                        config_path=self.config_path,
                        discovery=discovery,
                        trigger="daemon",
                        timeout=self.config.crawl.crawl_timeout,
                        grace=self.config.schedule.crawl_grace,
                        log_level=self.log_level,
                        log_format=self.log_format,
                    ),
                    stop=self.stop,
                )
                seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
                log.info(
                    "crawl %d (%s): %s in %s; fetched %d, new articles %d, new versions %d, not modified %d, errors %d%s",
                    run.id, run.kind, run.status, format_duration(seconds), run.fetched, run.new_articles,
                    run.new_versions, run.not_modified, run.errors, f" -- {run.message}" if run.message else "",
                    extra={"event": "crawl_finished", "crawl_run": run.id, "status": run.status, "pages": run.fetched,
                           "new_articles": run.new_articles, "new_versions": run.new_versions, "seconds": seconds},
                )
                self._notify_changes(run)
                if not self._discovery_pending.is_set():
                    return
        except SQLAlchemyError as exc:
            log.error("crawl job failed: database error: %s", exc)
        finally:
            self._crawl_lock.release()

    def _notify_changes(self, run: CrawlRun) -> None:
        """After a crawl that recorded edits of tracked articles, a short
        message to every target (``[notify] on`` has "change")."""
        if not self.change_channels or not run.new_versions or run.finished_at is None:
            return
        with self.sessions() as session:
            changes = changes_between(session, run.started_at, run.finished_at, new=False)
        if not changes:
            return
        title, body = change_notice(changes, self.config.story.name, self.config.web.base_url)
        for channel in self.change_channels:
            try:
                channel.send(title, body)
            except DeliveryError as exc:
                log.warning("change notice after crawl %d not sent: %s", run.id, exc)
            else:
                log.info("change notice after crawl %d sent to %s", run.id, channel.name,
                         extra={"event": "change_notice", "crawl_run": run.id, "target": channel.name})

    def _revisits_due(self) -> bool:
        with self.sessions() as session:
            return count_due(session, utcnow()) > 0

    def digest_job(self) -> None:
        try:
            outcomes = self.digest.send_due()
            log.debug("digest check: %d day(s) due", len(outcomes))
            for outcome in outcomes:
                log.log(logging.WARNING if not outcome.ok else logging.INFO, "%s", outcome.describe(),
                        extra={"event": "digest", "day": outcome.day.isoformat(), "status": outcome.status})
        except SQLAlchemyError as exc:
            log.error("digest check failed: database error: %s", exc)

    def lock_job(self) -> None:
        if not self.lock.check():
            log.error("the daemon lock is gone; stopping")
            self.exit_code = 1
            self.stop.request(reason="the daemon lock was lost")

    # -- life cycle ------------------------------------------------------

    def _schedule(self) -> None:
        schedule = self.config.schedule
        now = utcnow()
        common = {
            "replace_existing": True,
            "max_instances": 1,
            "coalesce": True,
            # The library default of 1 s silently drops late runs.
            "misfire_grace_time": int(schedule.misfire_grace.total_seconds()),
        }
        # Discovery right away: after downtime the first crawl catches up on
        # everything that became due meanwhile.
        self.scheduler.add_job(
            self.discovery_job, IntervalTrigger(seconds=schedule.crawl_every.total_seconds()),
            id="discovery", name="discovery crawl", next_run_time=now, **common,
        )
        self.scheduler.add_job(
            self.revisit_job, IntervalTrigger(seconds=schedule.revisit_every.total_seconds()),
            id="revisits", name="due revisits", **common,
        )
        self.scheduler.add_job(
            self.digest_job, IntervalTrigger(seconds=schedule.digest_check_every.total_seconds()),
            id="digest", name="digest check", next_run_time=now + dt.timedelta(seconds=2), **common,
        )
        self.scheduler.add_job(
            self.lock_job, IntervalTrigger(seconds=LOCK_CHECK_EVERY.total_seconds()),
            id="lock", name="daemon lock check", **common,
        )

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if not self.stop.requested.is_set():
            log.info("received %s: stopping (a running crawl gets %s to finish)",
                     signal.Signals(signum).name, format_duration(self.config.schedule.crawl_grace.total_seconds()))
        self.stop.request(signal.Signals(signum))

    def run_forever(self) -> int:
        schedule = self.config.schedule
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        self._schedule()
        self.scheduler.start()
        log.info(
            "storywatch daemon started: discovery every %s, revisits every %s, digest due at %s %s",
            schedule.crawl_every, schedule.revisit_every, schedule.digest_at.strftime("%H:%M"), schedule.timezone,
        )
        try:
            self.stop.wait()
        finally:
            self.scheduler.shutdown(wait=True)  # waits for the crawl child to end
            self.lock.release()
            log.info("storywatch daemon stopped")
        return self.exit_code
