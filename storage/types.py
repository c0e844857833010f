"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime in Python.

    PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text
    ("2024-11-26 10:00:00.000000"), which its date functions understand.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def json_text(value: Any) -> str:
    """A value as a ``JSONText`` column stores it (a string in it is
    written so: a ``LIKE`` finds it inside a stored list)."""
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))


class JSONText(TypeDecorator[Any]):
    """A list or mapping stored as JSON text (the same text on SQLite and
    PostgreSQL, so views and SQL users read it alike: ``json_each`` /
    ``::jsonb``).  Encoded and decoded here, never by hand."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)
