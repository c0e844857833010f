"""Revisit policy: when should an article be fetched again?  Pure functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

Ladder = Sequence[tuple[dt.timedelta, dt.timedelta]]  # (age up to, revisit every)

DEFAULT_LADDER: Ladder = (
    (dt.timedelta(hours=3), dt.timedelta(minutes=15)),
    (dt.timedelta(days=1), dt.timedelta(hours=1)),
    (dt.timedelta(days=7), dt.timedelta(hours=3)),
    (dt.timedelta(days=30), dt.timedelta(days=1)),
)


@dataclasses.dataclass(frozen=True, slots=True)
class RevisitPolicy:
    ladder: Ladder = DEFAULT_LADDER
    irrelevant_days: int = 3
    since: dt.date | None = None

    def interval(self, age: dt.timedelta) -> dt.timedelta | None:
        """How often to revisit at this age (time since the newest version); None: retired."""
        for limit, every in self.ladder:
            if age < limit:
                return every
        return None

    def next_check(
        self,
        *,
        relevant: bool,
        checked_at: dt.datetime,
        newest_version_at: dt.datetime | None,
        first_seen_at: dt.datetime,
        published_at: dt.datetime | None,
    ) -> dt.datetime | None:
        """When to fetch next after a check at ``checked_at``; None means retired.

        Relevant articles decay with the age of their newest version (a new
        version resets the clock).  Non-matching articles published after
        ``since`` are re-checked daily for ``irrelevant_days`` after first sight,
        in case an update brings them into the story."""
        if relevant:
            anchor = newest_version_at or first_seen_at
            every = self.interval(checked_at - anchor)
            return None if every is None else checked_at + every
        if self.irrelevant_days <= 0:
            return None
        if published_at is not None and self.since is not None and published_at.date() < self.since:
            return None
        following = checked_at + dt.timedelta(days=1)
        if following - first_seen_at > dt.timedelta(days=self.irrelevant_days):
            return None
        return following
