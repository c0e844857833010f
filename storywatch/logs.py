"""The one logging setup, for the CLI, the daemon and the crawl child.

One line per event at INFO (journald, log shippers): libraries' chatter
(APScheduler's per-job lines, Scrapy's banners and settings dumps, Alembic)
only at DEBUG.  ``text`` is ``time level logger: message``; ``json`` is one
object a line with ``time``, ``level``, ``logger``, ``message`` and the
event's fields (``extra={"crawl_run": 3, ...}``).  A leaf: standard library
only (rich is imported only for a live terminal display)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterable
from typing import Any

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("text", "json")
# Loggers that speak at INFO about their own workings: quiet unless DEBUG.
CHATTY = ("alembic", "sqlalchemy", "apscheduler", "scrapy", "scrapy-playwright", "twisted", "py.warnings", "filelock",
          "asyncio")
# Attributes every LogRecord has; anything else came in through ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def make_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


class QuietLibraries(logging.Filter):
    """Drops the chatty libraries' records below WARNING (unless at DEBUG).

    On the handler, not only on the loggers, because Scrapy resets its
    loggers' levels with ``dictConfig`` and then logs its banner."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.debug = level <= logging.DEBUG

    def filter(self, record: logging.LogRecord) -> bool:
        return self.debug or record.levelno >= logging.WARNING or record.name.partition(".")[0] not in CHATTY


def quiet_libraries(level: int) -> None:
    """Libraries log at WARNING and above unless we run at DEBUG."""
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)


def setup_logging(level: str = "INFO", log_format: str = "text") -> None:
    """Configure the root logger once for this process (replacing handlers)."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(QuietLibraries(numeric))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    quiet_libraries(numeric)
    logging.captureWarnings(True)


def record_from_json_line(line: str) -> logging.LogRecord | None:
    """A record another storywatch process wrote as one JSON line (see
    JsonFormatter), rebuilt so this process's handler writes it; None when
    the line is not such an object (a library or a grandchild writing
    straight to the stream)."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict) or not {"time", "level", "logger", "message"} <= entry.keys():
        return None
    level = logging.getLevelName(str(entry.pop("level")))
    if not isinstance(level, int):
        return None
    try:
        created = dt.datetime.fromisoformat(str(entry.pop("time"))).timestamp()
    except ValueError:
        return None
    fields = {key: value for key, value in entry.items() if key not in _STANDARD}
    record = logging.makeLogRecord({**fields, "name": str(entry["logger"]), "msg": str(entry["message"]), "args": None,
                                    "levelno": level, "levelname": logging.getLevelName(level), "created": created})
    record.msecs = (created - int(created)) * 1000
    return record


def relay_lines(stream: Iterable[bytes], source: str, extra: dict[str, Any]) -> None:
    """Relay a child process's stderr into this process's log: its JSON
    records as they were, and any other line (a library or a grandchild
    writing straight to the stream) as a WARNING of ``source``, so the
    daemon's stderr stays one JSON object a line."""
    fallback = logging.getLogger(source)
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line.strip():
            continue
        record = record_from_json_line(line)
        if record is None:
            fallback.warning("%s", line, extra={**extra, "event": "raw_output"})
        else:
            logging.getLogger(record.name).handle(record)
