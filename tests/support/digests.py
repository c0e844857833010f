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
    """Pretend everything recorded so far happened ``days`` earlier (later,
    when ``days`` is negative)."""
    engine = make_engine(url)
    delta = f"{-days:+d} days"
    shifts = {"d": delta}

    def moved(column: str) -> str:
        # datetime() drops the fraction of a second; a stored time keeps it.
        return f"{column} = datetime({column}, :d) || substr({column}, 20)"

    with engine.begin() as conn:
        conn.execute(text(f"UPDATE crawl_run SET {moved('started_at')}, {moved('finished_at')}"), shifts)
        conn.execute(text(f"UPDATE article SET {moved('first_seen_at')}, first_seen_day = date(first_seen_day, :d), "
                          f"{moved('last_checked_at')}"), shifts)
        conn.execute(text(f"UPDATE article_version SET {moved('fetched_at')}, fetched_day = date(fetched_day, :d)"),
                     shifts)
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


