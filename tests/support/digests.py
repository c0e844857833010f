"""Helpers for tests of digest days: move history back in time, point a
config at a loopback SMTP server, a DigestService on a config file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

from digest.service import DigestService
from storage.engine import make_engine, make_sessionmaker
from storywatch.config import load_config
from tests.support.config import update_config

LONDON = "Europe/London"


def shift_back(url: str, days: int) -> None:
    """Pretend everything recorded so far happened ``days`` earlier."""
    engine = make_engine(url)
    delta = f"-{days} days"
    shifts = {"d": delta}
    with engine.begin() as conn:
        conn.execute(text("UPDATE crawl_run SET started_at = datetime(started_at, :d), finished_at = datetime(finished_at, :d)"), shifts)
        conn.execute(text("UPDATE article SET first_seen_at = datetime(first_seen_at, :d), first_seen_day = date(first_seen_day, :d), "
                          "last_checked_at = datetime(last_checked_at, :d)"), {"d": delta})
        conn.execute(text("UPDATE article_version SET fetched_at = datetime(fetched_at, :d), fetched_day = date(fetched_day, :d)"), shifts)
    engine.dispose()


def with_smtp(config: Path, port: int) -> None:
    update_config(config, smtp={"host": "127.0.0.1", "port": port, "security": "none"})


def service(config_path: Path) -> DigestService:
    config = load_config(config_path, environ={})
    engine = make_engine(config.database.url)
    return DigestService(config, make_sessionmaker(engine))


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo(LONDON)).date()


def tomorrow_morning() -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=1), dt.time(8), tzinfo=ZoneInfo(LONDON))


