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

from schedules.reaper import SETTLE, become_subreaper, children, end_orphans
from schedules.stopping import StopRequest
from storage.engine import make_engine, make_sessionmaker
from storage.models import CrawlRun
from storage.runs import close_stale_runs, fail_crawl_run, interrupt_crawl_run, start_crawl_run
from storywatch.clock import format_duration, utcnow
from storywatch.config import Config
from storywatch.logs import relay_lines

log = logging.getLogger(__name__)
# After the crawl's tree has ended, its stderr reaches end of file at once; a
# process that escaped the reaper and holds it open is not waited for longer.
RELAY_DRAIN_SECONDS = 5.0


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
    log_level: str = "INFO"
    log_format: str = "text"


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


@dataclasses.dataclass(frozen=True, slots=True)
class ChildEnd:
    failure: str | None = None  # why the run failed, when it did
    interrupted: str | None = None  # why it was stopped, when it was


def run_crawl_child(config: Config, request: CrawlRequest, stop: StopRequest | None = None) -> CrawlRun:
    """Start the child, wait for it (up to the timeout, or until ``stop`` is
    requested: then it is asked to stop, and killed after the grace period
    or a second request), and return its finished run row."""
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
        command += ["--log-level", request.log_level, "--log-format", request.log_format]
        log.info("crawl %d started (%s)", run_id, kind, extra={"event": "crawl_started", "crawl_run": run_id})
        reaping = become_subreaper()
        before = children() if reaping else set()
        # In JSON, the caller's stderr must stay one object a line: the
        # child's stderr is relayed, and a line something else in its tree
        # wrote (a library, a browser) becomes a record of its own.
        relay = request.log_format == "json"
        process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE if relay else None)
        relaying = _start_relay(process, run_id) if relay else None
        end = _wait(process, request, stop)
        if reaping:
            # What escaped the child's process group (Chromium) and outlived it.
            browser = any(o.fetch == "browser" for o in config.outlets)
            end_orphans(before | {process.pid}, settle=SETTLE if browser else 0.0)
        if relaying is not None:
            relaying.join(RELAY_DRAIN_SECONDS)
            if not relaying.is_alive() and process.stderr is not None:
                process.stderr.close()
        with sessions.begin() as session:
            if end.interrupted is not None:
                interrupt_crawl_run(session, run_id, end.interrupted, utcnow())
            elif end.failure is not None:
                fail_crawl_run(session, run_id, end.failure, utcnow())
            finished = session.get(CrawlRun, run_id)
            assert finished is not None
            if finished.status == "running":
                # The child exited 0 but never wrote its outcome.
                fail_crawl_run(session, run_id, _describe_exit(process.returncode), utcnow())
                session.refresh(finished)
        return finished
    finally:
        engine.dispose()


def _start_relay(process: subprocess.Popen[bytes], run_id: int) -> threading.Thread:
    assert process.stderr is not None
    thread = threading.Thread(target=relay_lines, args=(process.stderr, __name__, {"crawl_run": run_id}),
                              name=f"crawl-{run_id}-stderr", daemon=True)
    thread.start()
    return thread


def _wait(process: subprocess.Popen[bytes], request: CrawlRequest, stop: StopRequest | None) -> ChildEnd:
    """Wait for the child and say how it ended."""
    deadline = utcnow() + request.timeout
    reason: str | None = None
    while True:
        try:
            code = process.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
        if stop is not None and stop.requested.is_set():
            reason = stop.describe()
        elif utcnow() >= deadline:
            reason = f"timed out after {format_duration(request.timeout.total_seconds())}"
        else:
            continue
        log.warning("crawl child %d: %s; asking it to stop", process.pid, reason)
        _kill_group(process, signal.SIGINT)  # Scrapy shuts down gracefully on SIGINT
        code = _wait_or_kill(process, request, stop)
        break
    _kill_group(process, signal.SIGKILL)  # leftover extraction workers, if any
    if stop is not None and stop.requested.is_set():
        return ChildEnd(interrupted=stop.describe())
    if reason is not None:
        return ChildEnd(failure=reason)
    if code != 0:
        return ChildEnd(failure=_describe_exit(code))
    return ChildEnd()


def _wait_or_kill(process: subprocess.Popen[bytes], request: CrawlRequest, stop: StopRequest | None) -> int:
    """After the stop request: wait for the child up to the grace period, or
    until a second request forces it; then kill its whole group."""
    deadline = utcnow() + request.grace
    while utcnow() < deadline and not (stop is not None and stop.forced.is_set()):
        try:
            return process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
    log.warning("crawl child %d did not stop; killing it", process.pid)
    _kill_group(process, signal.SIGKILL)
    return process.wait()
