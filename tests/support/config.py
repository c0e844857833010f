"""Test configs as data: one builder (dict -> TOML) instead of TOML by hand."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import tomli_w


def write_toml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(data))
    return path


def update_config(path: Path, **sections: dict[str, Any]) -> None:
    """Merge keys into sections of the config at ``path`` (a section that is
    not there yet is added)."""
    write_toml(path, _merged(tomllib.loads(path.read_text()), sections))


def _merged(data: dict[str, Any], sections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return data


def minimal_config(database_url: str, outlets: list[dict[str, Any]], **sections: dict[str, Any]) -> dict[str, Any]:
    """A valid config with a one-line story; more sections as keyword arguments."""
    data: dict[str, Any] = {
        "story": {"name": "test", "query": "sora AND leak*", "since": dt.date(2024, 11, 26)},
        "database": {"url": database_url},
        # The extractor's warm-up is 4 s of CPU a crawl; tests/test_crawl.py's
        # first crawl runs with it on, as users do.
        "crawl": {"preload_extractor": False},
        "outlets": outlets,
    }
    return _merged(data, sections)
