"""Digest days: calendar days in the configured time zone.  Pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo


def due_at(day: dt.date, digest_at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """When the digest for ``day`` becomes due: ``digest_at`` on the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), digest_at, tzinfo=zone)


def due_days(
    *,
    first_crawl_day: dt.date | None,
    now: dt.datetime,
    digest_at: dt.time,
    zone: ZoneInfo,
    done: Iterable[dt.date],
) -> list[dt.date]:
    """Every day from the first crawl's day whose digest is due and not done.

    The ledger decides, not a trigger: days missed during downtime are all
    returned, oldest first, and a clock that jumps back only delays them."""
    if first_crawl_day is None:
        return []
    finished = set(done)
    days = []
    day = first_crawl_day
    while due_at(day, digest_at, zone) <= now:
        if day not in finished:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def day_is_over(day: dt.date, now: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the local calendar day ``day`` has ended at ``now``."""
    return now.astimezone(zone).date() > day
