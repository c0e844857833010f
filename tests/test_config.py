"""Config loading: the shipped file, defaults, and one clear line per bad config."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storywatch.config import ConfigError, load_config, parse_duration, redact_url
from tests.conftest import REPO

GOOD = """
[story]
name = "Test"
query = "sora AND leak*"
since = 2024-11-26

[[outlets]]
key = "a"
name = "A"
home = "https://a.example/"
"""


def check(tmp_path: Path, text: str | bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "storywatch.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "storywatch.cli", "--config", str(path), "config", "check"],
        capture_output=True, text=True, cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)}, timeout=60,
    )


def test_shipped_config_is_valid() -> None:
    config = load_config(REPO / "storywatch.toml", environ={})
    assert {o.key for o in config.outlets} == {"theverge", "techcrunch", "forbes", "washingtonpost", "ft", "msn"}
    assert config.story.since == dt.date(2024, 11, 26)
    assert config.crawl.allow_private_addresses is False
    assert config.schedule.crawl_every == dt.timedelta(minutes=30)


def test_defaults_and_environment_override(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD)
    config = load_config(path, environ={})
    assert config.database.url == "sqlite:///storywatch.db"
    assert config.crawl.max_page_bytes == 10_000_000
    assert config.smtp is None
    overridden = load_config(path, environ={"STORYWATCH_DATABASE_URL": "sqlite:///other.db"})
    assert overridden.database.url == "sqlite:///other.db"
    from_env = load_config(None, environ={"STORYWATCH_CONFIG": str(path)})
    assert from_env.story.name == "Test"


@pytest.mark.parametrize(
    ("value", "seconds"), [("20s", 20), ("30m", 1800), ("6h", 21600), ("2d", 172800), (15, 15)]
)
def test_durations(value: object, seconds: int) -> None:
    assert parse_duration(value).total_seconds() == seconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace('since = 2024-11-26', 'since = "yesterday"'), "story.since"),
        (GOOD + "\n[crawl]\nconcurrency = 'many'\n", "crawl.concurrency"),
        (GOOD + "\n[crawl]\nturbo = true\n", "crawl.turbo: unknown key"),
        (GOOD + '\n[[outlets]]\nname = "B"\nhome = "https://b.example/"\n', "outlets[1].key"),
        (GOOD + '\n[[outlets]]\nkey = "b"\nname = "B"\n', "outlets[b].home"),
        (GOOD + '\n[[outlets]]\nkey = "b"\nname = "B"\nhome = "https://b .example/"\n', "outlets[b].home: not an http(s) URL"),
        (GOOD + '\n[[outlets]]\nkey = "b"\nname = "B"\nhome = "https://b.example/"\nfeeds = ["b.example/rss"]\n',
         "outlets[b].feeds"),
        (GOOD + '\n[database]\nurl = "mysql://u:pw@db.example/x"\n', "database.url: unsupported database 'mysql'"),
        (GOOD + '\n[database]\nurl = "notaurl"\n', "database.url: not a database URL"),
        (GOOD + '\n[[outlets]]\nkey = "a"\nname = "B"\nhome = "https://b.example/"\n', "duplicate outlet key 'a'"),
        (GOOD + '\n[schedule]\ncrawl_every = "often"\n', "schedule.crawl_every: bad duration"),
        (GOOD + '\n[schedule]\ntimezone = "Mars/Olympus"\n', "schedule.timezone: unknown time zone"),
        (GOOD + "\n[story\n", "malformed TOML"),
        (GOOD.replace('query = "sora AND leak*"', 'query = "sora AND (leak"'), "story.query"),
    ],
)
def test_bad_config_is_one_line_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    result = check(tmp_path, text)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", environ={})
    result = check(tmp_path, b"\xff\xfe not utf-8")
    assert result.returncode == 2 and "not UTF-8" in result.stderr
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(folder, environ={})


def test_password_in_world_readable_config_is_warned_and_redacted(tmp_path: Path) -> None:
    text = GOOD + '\n[database]\nurl = "postgresql://ana:s3cret@db.example/sw"\n'
    path = tmp_path / "storywatch.toml"
    path.write_text(text)
    path.chmod(0o644)
    from storywatch.config import config_file_warnings

    config = load_config(path, environ={})
    warnings = config_file_warnings(path, config, {})
    assert warnings and "STORYWATCH_DATABASE_URL" in warnings[0]
    assert "s3cret" not in redact_url(config.database.url)
    path.chmod(0o600)
    assert config_file_warnings(path, config, {}) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://ana:s3cret@db.example/sw", "$STORYWATCH_DATABASE_URL: unsupported database 'mysql'"),
        ("notaurl", "$STORYWATCH_DATABASE_URL: not a database URL"),
        ("postgresql+psycopg2://ana:s3cret@db.example/sw", "unsupported database 'postgresql+psycopg2'"),
    ],
)
def test_bad_database_url_from_the_environment_is_one_line(tmp_path: Path, url: str, expected: str) -> None:
    path = tmp_path / "storywatch.toml"
    path.write_text(GOOD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")}
    for command in (["config", "check"], ["status"]):
        result = subprocess.run(
            [sys.executable, "-m", "storywatch.cli", "--config", str(path), *command],
            capture_output=True, text=True, cwd=tmp_path, timeout=60,
            env={**env, "PYTHONPATH": str(REPO), "STORYWATCH_DATABASE_URL": url},
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [f"error: {result.stderr.strip()[7:]}"]
        assert expected in result.stderr and "s3cret" not in result.stderr


def test_unreachable_database_is_one_line_without_the_password(tmp_path: Path) -> None:
    from tests.smtp import free_port

    path = tmp_path / "storywatch.toml"
    path.write_text(GOOD + f'\n[database]\nurl = "postgresql://ana:s3cret@127.0.0.1:{free_port()}/sw"\n')
    path.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")}
    assert subprocess.run(
        [sys.executable, "-m", "storywatch.cli", "--config", str(path), "config", "check"],
        capture_output=True, text=True, cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)}, timeout=60,
    ).returncode == 0  # config check does not connect
    for command in (["status"], ["articles"], ["crawl"], ["db", "upgrade"]):
        result = subprocess.run(
            [sys.executable, "-m", "storywatch.cli", "--config", str(path), *command],
            capture_output=True, text=True, cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)}, timeout=60,
        )
        assert result.returncode == 1, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: cannot use the database"), (command, result.stderr)
        assert "s3cret" not in result.stderr and "***" in result.stderr


@pytest.mark.parametrize("preload", [True, False])
def test_the_extractor_warm_up_follows_the_config(tmp_path: Path, preload: bool) -> None:
    from crawler.settings import crawl_inputs
    from storage.queries import CrawlPlan

    path = tmp_path / "storywatch.toml"
    path.write_text(GOOD + f"\n[crawl]\npreload_extractor = {str(preload).lower()}\n")
    config = load_config(path, environ={})
    inputs = crawl_inputs(config, config.outlets, CrawlPlan(known={}, due=()), discovery=True)
    assert inputs.storage.preload_extractor is preload
