"""Engine setup: SQLite in WAL mode with a busy timeout and foreign keys,
PostgreSQL through psycopg 3; and read-only engines for the commands that
only read (they never create, migrate or write a database)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseMissing(Exception):
    """A read-only command was pointed at a SQLite file that does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no database at {path}: run `storywatch db upgrade`")
        self.path = path


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory ones."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn: Any, *, write: bool) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    if write:
        cursor.execute("PRAGMA journal_mode = WAL")  # a write when the file is new
        cursor.execute("PRAGMA synchronous = NORMAL")
    else:
        cursor.execute("PRAGMA query_only = ON")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def make_engine(url: str, *, immediate: bool = True, **kwargs: Any) -> Engine:
    """Create an engine for a writer.

    On SQLite every connection gets WAL, busy_timeout and foreign_keys, and
    (with ``immediate``) every transaction starts with BEGIN IMMEDIATE so a
    read-then-write transaction takes the write lock up front instead of
    failing with "database is locked" when another writer got there first.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _listen_sqlite(engine, write=True, begin="BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _listen_sqlite(engine: Engine, *, write: bool, begin: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN below
        _sqlite_pragmas(dbapi_conn, write=write)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


@dataclasses.dataclass(frozen=True, slots=True)
class ReadOnlyEngine:
    engine: Engine
    # True when SQLite was opened ``immutable=1`` (a read-only file system):
    # it does not see a writer's changes made after the snapshot was opened.
    may_be_stale: bool = False


def _folder_writable(folder: Path) -> bool:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def make_readonly_engine(url: str) -> ReadOnlyEngine:
    """An engine that can only read.

    SQLite: ``mode=ro`` (a live reader beside a crawl that writes; it may
    create the WAL's ``-shm`` file, so its folder must be writable), else
    ``immutable=1`` when the folder is not writable (a read-only file system,
    where ``mode=ro`` cannot open a WAL database).  A missing file raises
    :class:`DatabaseMissing` instead of creating an empty one.
    PostgreSQL: every transaction is READ ONLY, so a role with SELECT only
    is enough."""
    path = sqlite_path(url)
    if path is None:
        if make_url(normalise_url(url)).get_backend_name() == "sqlite":
            return ReadOnlyEngine(make_engine(url, immediate=False))
        engine = create_engine(
            normalise_url(url), pool_pre_ping=True,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
        return ReadOnlyEngine(engine)
    path = path.resolve()
    if not path.is_file():
        raise DatabaseMissing(path)
    immutable = not _folder_writable(path.parent)
    uri = f"file:{quote(str(path))}?{'immutable=1' if immutable else 'mode=ro'}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

    engine = create_engine("sqlite://", creator=connect)
    _listen_sqlite(engine, write=False, begin="BEGIN")
    return ReadOnlyEngine(engine, may_be_stale=immutable)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
