"""A crawl's outcome from its stats: counts, reasons, per-outlet health."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Literal

OUTLET_FIELDS = (
    "discovered",
    "sources_ok",
    "sources_failed",
    "fetched",
    "usable",
    "paywall",
    "empty",
    "relevant",
    "new_articles",
    "new_versions",
    "errors",
)


@dataclasses.dataclass(frozen=True, slots=True)
class CrawlSummary:
    status: Literal["ok", "partial", "failed"]
    counts: dict[str, int]
    skipped: dict[str, int]
    errors: dict[str, int]
    outlets: dict[str, dict[str, int]]
    failed_outlets: tuple[str, ...]

    def details(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "errors": self.errors,
            "outlets": self.outlets,
            "failed_outlets": list(self.failed_outlets),
            "counts": self.counts,
        }


def _prefixed(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix) :]: int(value) for key, value in stats.items() if key.startswith(prefix)}


def summarise(stats: Mapping[str, Any], outlet_keys: Sequence[str], discovery: bool) -> CrawlSummary:
    get = lambda key: int(stats.get(f"storywatch/{key}", 0))  # noqa: E731
    skipped = _prefixed(stats, "storywatch/skipped/")
    errors = _prefixed(stats, "storywatch/errors/")
    for reason, count in _prefixed(stats, "storywatch/source_errors/").items():
        errors[reason] = errors.get(reason, 0) + count
    for reason, count in _prefixed(stats, "storywatch/retry/gave_up/").items():
        errors[f"gave_up_{reason}"] = count
    outlets: dict[str, dict[str, int]] = {}
    failed: list[str] = []
    for key in outlet_keys:
        row = {field: get(f"outlet/{key}/{field}") for field in OUTLET_FIELDS}
        outlets[key] = row
        nothing_worked = row["sources_ok"] == 0 and row["fetched"] == 0
        if nothing_worked and (discovery or row["errors"] > 0):
            failed.append(key)
    counts = {
        "discovered": get("discovered"),
        "fetched": get("fetched"),
        "relevant": get("relevant"),
        "new_articles": get("new_articles"),
        "new_versions": get("new_versions"),
        "not_modified": get("not_modified"),
        "unchanged_body": get("unchanged_body"),
        "extracted": get("extracted"),
        "revisits": get("revisits"),
        "removed": get("removed"),
        "known": get("known"),
        "requests": int(stats.get("downloader/request_count", 0)),
    }
    status: Literal["ok", "partial", "failed"]
    if outlet_keys and len(failed) == len(outlet_keys):
        status = "failed"
    elif failed:
        status = "partial"
    else:
        status = "ok"
    return CrawlSummary(status, counts, skipped, errors, outlets, tuple(failed))
