"""One daemon per database: a file lock beside a SQLite database, a session
advisory lock on a dedicated connection for PostgreSQL."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

import psycopg
from sqlalchemy.engine import make_url

from storage.engine import normalise_url
from storywatch.config import redact_url

log = logging.getLogger(__name__)

# pg_advisory_lock key: a fixed number, "storywatch" in ASCII, truncated.
ADVISORY_KEY = 0x73746F7279776174


class AlreadyRunning(RuntimeError):
    pass


class DaemonLock(Protocol):
    def check(self) -> bool:
        """Still held (re-taken if the connection was lost)?  False: stop."""

    def release(self) -> None: ...


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = open(path, "a+")  # noqa: SIM115 -- held for the daemon's lifetime
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise AlreadyRunning(f"another storywatch daemon is running on this database (lock {path})") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"{os.getpid()}\n")
        self.handle.flush()

    def check(self) -> bool:
        return True

    def release(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class AdvisoryLock:
    def __init__(self, dsn: str, shown: str) -> None:
        self.dsn = dsn
        self.shown = shown
        self.connection: psycopg.Connection | None = None
        if not self._take():
            raise AlreadyRunning(f"another storywatch daemon is running on this database ({shown})")

    def _take(self) -> bool:
        connection = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
        row = connection.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_KEY,)).fetchone()
        if not row or not row[0]:
            connection.close()
            return False
        self.connection = connection
        return True

    def check(self) -> bool:
        try:
            assert self.connection is not None
            self.connection.execute("SELECT 1")
            return True
        except (psycopg.Error, AssertionError):
            log.warning("lost the connection that holds the daemon lock on %s; re-taking it", self.shown)
        try:
            if self.connection is not None:
                self.connection.close()
            if self._take():
                log.info("daemon lock re-taken")
                return True
            log.error("another daemon took the lock on %s meanwhile", self.shown)
        except psycopg.Error as exc:
            log.error("cannot re-take the daemon lock: %s", exc)
        return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except psycopg.Error:
                pass


def acquire(database_url: str) -> DaemonLock:
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:":
            raise AlreadyRunning("the daemon needs a database file, not an in-memory SQLite database")
        return FileLock(Path(database + ".lock"))
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return AdvisoryLock(dsn, redact_url(database_url))
