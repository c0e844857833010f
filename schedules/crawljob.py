"""Run one crawl as a child process (``python -m crawler``) with a hard timeout.

A crawl always gets its own process: Twisted's reactor cannot restart, and a
hung or crashing crawl must not take its caller down."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading

from storage.engine import make_engine, make_sessionmaker
from storage.models import CrawlRun
from storage.queries import close_stale_runs, fail_crawl_run, start_crawl_run, utcnow
from storywatch.config import Config

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class CrawlRequest:
    config_path: str | None
    outlets: tuple[str, ...] = ()
    recheck: bool = False
    discovery: bool = True
    trigger: str = "cli"
    timeout: dt.timedelta = dt.timedelta(hours=1)
    grace: dt.timedelta = dt.timedelta(seconds=30)
    progress: bool = False


def _kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"the crawl process was killed by {name}"
    return f"the crawl process exited with code {code}"


def run_crawl_child(config: Config, request: CrawlRequest, stop: threading.Event | None = None) -> CrawlRun:
    """Start the child, wait for it (up to the timeout, or until ``stop`` is
    set and the grace period has passed), and return its finished run row."""
    engine = make_engine(config.database.url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions.begin() as session:
            closed = close_stale_runs(session, utcnow())
            if closed:
                log.warning("marked %d crawl run(s) left unfinished by a dead process as failed", closed)
            kind = "discovery" if request.discovery else "revisit"
            if request.recheck:
                kind += "+recheck"
            run = start_crawl_run(
                session,
                trigger=request.trigger,
                kind=kind,
                outlets=request.outlets or [o.key for o in config.outlets],
                now=utcnow(),
            )
            run_id = run.id
        command = [sys.executable, "-m", "crawler", "--run-id", str(run_id)]
        if request.config_path:
            command += ["--config", str(request.config_path)]
        for key in request.outlets:
            command += ["--outlet", key]
        if request.recheck:
            command.append("--recheck")
        if not request.discovery:
            command.append("--no-discovery")
        if request.progress:
            command.append("--progress")
        log.info("crawl %d started (%s)", run_id, kind)
        process = subprocess.Popen(command, start_new_session=True)
        failure = _wait(process, request, stop)
        with sessions.begin() as session:
            if failure is not None:
                fail_crawl_run(session, run_id, failure, utcnow())
            finished = session.get(CrawlRun, run_id)
            assert finished is not None
            if finished.status == "running":
                # The child exited 0 but never wrote its outcome.
                fail_crawl_run(session, run_id, _describe_exit(process.returncode), utcnow())
                session.refresh(finished)
        log.info("crawl %d finished: %s", run_id, finished.status)
        return finished
    finally:
        engine.dispose()


def _wait(process: subprocess.Popen[bytes], request: CrawlRequest, stop: threading.Event | None) -> str | None:
    """Wait for the child; returns why it failed, or None when it exited on its own."""
    deadline = utcnow() + request.timeout
    reason: str | None = None
    while True:
        try:
            code = process.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            pass
        if utcnow() >= deadline:
            reason = f"timed out after {request.timeout}"
        elif stop is not None and stop.is_set():
            reason = "stopped at shutdown"
        else:
            continue
        log.warning("crawl child %d: %s; asking it to stop", process.pid, reason)
        _kill_group(process, signal.SIGINT)  # Scrapy shuts down gracefully on SIGINT
        try:
            code = process.wait(timeout=request.grace.total_seconds())
        except subprocess.TimeoutExpired:
            log.warning("crawl child %d did not stop within %s; killing it", process.pid, request.grace)
            _kill_group(process, signal.SIGKILL)
            code = process.wait()
        break
    _kill_group(process, signal.SIGKILL)  # leftover extraction workers, if any
    if reason is not None:
        return reason
    if code != 0:
        return _describe_exit(code)
    return None
