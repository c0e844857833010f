"""Configuration: pydantic models loaded from TOML.

A leaf module (pydantic + tomllib only) so any package may import it without
pulling in the rest of storywatch.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

DEFAULT_CONFIG_NAME = "storywatch.toml"
CONFIG_ENV = "STORYWATCH_CONFIG"
DATABASE_URL_ENV = "STORYWATCH_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///storywatch.db"

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(Exception):
    """A configuration problem, worded as one line that names the key."""


def parse_duration(value: object) -> dt.timedelta:
    """Parse "20s", "30m", "6h", "2d" (or a number of seconds) into a timedelta."""
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("a duration is a string like '20s', '30m', '6h' or '2d'")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        match = _DURATION_RE.match(value)
        if not match:
            raise ValueError(
                f"bad duration {value!r}: use a number and a unit, like '20s', '30m', '6h' or '2d'"
            )
        seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2)]
    else:
        raise ValueError("a duration is a string like '20s', '30m', '6h' or '2d'")
    if seconds <= 0:
        raise ValueError("a duration must be greater than zero")
    return dt.timedelta(seconds=seconds)


Duration = Annotated[dt.timedelta, BeforeValidator(parse_duration)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_HOSTNAME_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$|^[0-9a-f:.]+$")


def _http_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"not an http(s) URL: {value!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    if any(c.isspace() for c in value) or not _HOSTNAME_RE.match(parts.hostname):
        raise ValueError(f"not an http(s) URL (bad host name {parts.hostname!r}): {value!r}")
    return value


# Databases storywatch runs on, by URL scheme (``dialect+driver``).
DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg")


def database_url_problem(url: str) -> str | None:
    """Why ``url`` is not a database storywatch can use, or None.  Checks the
    scheme and driver only: it does not connect.  Never repeats the URL (it
    may hold a password)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme or not re.fullmatch(r"[a-z][a-z0-9+]*", scheme):
        return "not a database URL (use sqlite:///PATH or postgresql://USER@HOST/NAME)"
    if scheme not in DATABASE_SCHEMES:
        return (
            f"unsupported database {scheme!r}: use sqlite:///PATH or postgresql://USER@HOST/NAME "
            "(driver psycopg 3)"
        )
    if scheme.startswith("sqlite") and not rest.startswith("/"):
        return "a SQLite URL is sqlite:///relative/path.db or sqlite:////absolute/path.db"
    if scheme.startswith("postgres") and not urlsplit(url).hostname and "host=" not in url:
        return "a PostgreSQL URL names a host: postgresql://USER@HOST/NAME"
    return None


class StoryConfig(_Section):
    name: str
    query: str
    since: dt.date
    seeds: list[str] = Field(default_factory=list)

    @field_validator("seeds")
    @classmethod
    def _seeds_are_urls(cls, seeds: list[str]) -> list[str]:
        return [_http_url(s) for s in seeds]

    @field_validator("query")
    @classmethod
    def _query_not_empty(cls, query: str) -> str:
        if not query.strip():
            raise ValueError("the story query is empty (use '*' to match everything)")
        return query


class DatabaseConfig(_Section):
    url: str = DEFAULT_DATABASE_URL

    @field_validator("url")
    @classmethod
    def _url_is_supported(cls, url: str) -> str:
        problem = database_url_problem(url)
        if problem:
            raise ValueError(problem)
        return url


class CrawlConfig(_Section):
    user_agent: str = "storywatch/0.1 (+https://example.org/storywatch)"
    allow_private_addresses: bool = False
    per_host_delay: float = Field(default=1.0, ge=0)
    per_host_concurrency: int = Field(default=2, ge=1, le=16)
    concurrency: int = Field(default=16, ge=1, le=256)
    autothrottle: bool = True
    extract_workers: int = Field(default=0, ge=0, le=64)
    # Load the extractor's lazy tables (date parser locales, stoplists) in the
    # first worker before it forks the others, so they share them: less
    # memory, about 4 s more CPU at each crawl's start.
    preload_extractor: bool = True
    timeout: float = Field(default=30, gt=0)
    max_page_bytes: int = Field(default=10_000_000, gt=0)
    max_feed_bytes: int = Field(default=20_000_000, gt=0)
    retries: int = Field(default=3, ge=0, le=10)
    max_retry_after: Duration = dt.timedelta(minutes=5)
    max_pages_per_outlet: int = Field(default=2000, ge=1)
    crawl_timeout: Duration = dt.timedelta(hours=1)
    # Archive sitemaps to walk per outlet when backfilling; guards against
    # a sitemap index of thousands of children.
    max_sitemaps_per_outlet: int = Field(default=200, ge=1)
    # fetch = "browser": Chromium (a command or a path; "auto" takes
    # Debian's chromium-headless-shell, else chromium), and how long one
    # page may take to render.
    browser: str = "auto"
    browser_timeout: Duration = dt.timedelta(seconds=30)


class OutletConfig(_Section):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    home: str
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    # Regular expressions an article URL's path matches (section-page links).
    # Empty: a default that recognises dated and slugged article paths.
    article_patterns: list[str] = Field(default_factory=list)
    extra_hosts: list[str] = Field(default_factory=list)
    # How article pages are read (crawler/fetchmodes.py): "http" fetches the
    # page; "msn" reads MSN's content API (api_base, default MSN's own);
    # "browser" renders it in headless Chromium (pages written by script).
    fetch: Literal["http", "msn", "browser"] = "http"
    api_base: str | None = None
    # CSS or XPath pinning fields the general extraction gets wrong
    # (crawler/selectors.py; checked by `config check` and at crawl start).
    selectors: dict[Literal["body", "title", "byline", "date"], str] = Field(default_factory=dict)

    @field_validator("home")
    @classmethod
    def _home_is_url(cls, home: str) -> str:
        return _http_url(home)

    @field_validator("feeds", "sitemaps", "sections")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        return [_http_url(u) for u in urls]

    @field_validator("api_base")
    @classmethod
    def _api_base_is_url(cls, api_base: str | None) -> str | None:
        return None if api_base is None else _http_url(api_base)

    @model_validator(mode="after")
    def _api_base_needs_its_mode(self) -> OutletConfig:
        if self.api_base is not None and self.fetch != "msn":
            raise ValueError(f'outlets[{self.key}].api_base: only for fetch = "msn"')
        return self

    @field_validator("article_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return patterns


class ScheduleConfig(_Section):
    crawl_every: Duration = dt.timedelta(minutes=30)
    revisit_every: Duration = dt.timedelta(minutes=5)
    digest_at: dt.time = dt.time(7, 0)
    timezone: str = "Europe/London"
    digest_check_every: Duration = dt.timedelta(minutes=5)
    # Revisit ladder: "AGE:EVERY" -- while the newest version is younger than
    # AGE, revisit every EVERY.  Past the last AGE an article is retired.
    revisit_steps: list[str] = Field(
        default_factory=lambda: ["3h:15m", "1d:1h", "7d:3h", "30d:1d"]
    )
    # Non-matching articles published after `since` are re-checked daily
    # for this many days, in case an update brings them into the story.
    recheck_irrelevant_days: int = Field(default=3, ge=0)
    crawl_grace: Duration = dt.timedelta(seconds=30)
    misfire_grace: Duration = dt.timedelta(minutes=10)

    @field_validator("digest_at", mode="before")
    @classmethod
    def _parse_time(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
            if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
                raise ValueError(f"bad time {value!r}: use HH:MM, like '07:00'")
            return dt.time(int(match.group(1)), int(match.group(2)))
        return value

    @field_validator("timezone")
    @classmethod
    def _zone_exists(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} (use an IANA name like 'Europe/London')") from None
        return name

    @field_validator("revisit_steps")
    @classmethod
    def _steps_parse(cls, steps: list[str]) -> list[str]:
        previous = dt.timedelta(0)
        for step in steps:
            age_text, sep, every_text = step.partition(":")
            if not sep:
                raise ValueError(f"bad revisit step {step!r}: use 'AGE:EVERY', like '3h:15m'")
            age = parse_duration(age_text)
            parse_duration(every_text)
            if age <= previous:
                raise ValueError("revisit steps must have increasing ages")
            previous = age
        return steps

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def revisit_ladder(self) -> list[tuple[dt.timedelta, dt.timedelta]]:
        ladder = []
        for step in self.revisit_steps:
            age_text, _, every_text = step.partition(":")
            ladder.append((parse_duration(age_text), parse_duration(every_text)))
        return ladder


class DigestConfig(_Section):
    to: list[str] = Field(default_factory=list)
    sender: str = "storywatch@localhost"
    outbox: str = "outbox"
    skip_empty_days: bool = False
    excerpt_chars: int = Field(default=280, ge=0)


class SmtpConfig(_Section):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str = "STORYWATCH_SMTP_PASSWORD"
    timeout: float = Field(default=60, gt=0)


class WebConfig(_Section):
    # The address the web view is reached at by its readers (behind a proxy,
    # say): links in notifications point there.  Unset: no links.
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _base_is_url(cls, base_url: str | None) -> str | None:
        return None if base_url is None else _http_url(base_url).rstrip("/")


NotifyEvent = Literal["digest", "change"]


class NotifyConfig(_Section):
    # Apprise URLs without secrets; those with tokens go in the environment
    # variable named by urls_env (whitespace-separated), never in this file.
    urls: list[str] = Field(default_factory=list)
    urls_env: str = Field(default="STORYWATCH_NOTIFY_URLS", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    on: list[NotifyEvent] = Field(default_factory=lambda: list[NotifyEvent](["digest"]))

    @field_validator("urls")
    @classmethod
    def _urls_have_a_scheme(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if "://" not in url or any(c.isspace() for c in url):
                raise ValueError(f"not a notification URL (Apprise's SCHEME://...): {url!r}")
        return urls

    def target_urls(self, environ: dict[str, str]) -> list[tuple[str, bool]]:
        """Every target's URL, with whether it came from the environment
        (such a URL holds a secret and is never printed)."""
        from_env = environ.get(self.urls_env, "").split()
        return [(url, False) for url in self.urls] + [(url, True) for url in from_env]


class Config(_Section):
    story: StoryConfig
    database: DatabaseConfig = DatabaseConfig()
    crawl: CrawlConfig = CrawlConfig()
    outlets: list[OutletConfig] = Field(min_length=1)
    schedule: ScheduleConfig = ScheduleConfig()
    digest: DigestConfig = DigestConfig()
    smtp: SmtpConfig | None = None
    web: WebConfig = WebConfig()
    notify: NotifyConfig = NotifyConfig()

    @model_validator(mode="after")
    def _unique_outlet_keys(self) -> Config:
        seen: set[str] = set()
        for outlet in self.outlets:
            if outlet.key in seen:
                raise ValueError(f"outlets[{outlet.key}].key: duplicate outlet key {outlet.key!r}")
            seen.add(outlet.key)
        return self

    def outlet(self, key: str) -> OutletConfig:
        for outlet in self.outlets:
            if outlet.key == key:
                return outlet
        raise KeyError(key)


def _location(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """``outlets.0.home`` as the user knows it: ``outlets[theverge].home``."""
    parts = [str(part) for part in loc]
    if len(loc) > 1 and loc[0] == "outlets" and isinstance(loc[1], int):
        outlets = data.get("outlets")
        outlet = outlets[loc[1]] if isinstance(outlets, list) and loc[1] < len(outlets) else None
        key = outlet.get("key") if isinstance(outlet, dict) else None
        parts[:2] = [f"outlets[{key if isinstance(key, str) and key else loc[1]}]"]
    return ".".join(parts)


def _format_validation_error(source: str, error: ValidationError, data: dict[str, Any]) -> str:
    first = error.errors()[0]
    location = _location(tuple(first["loc"]), data)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    if location:
        return f"{source}: {location}: {message}{suffix}"
    return f"{source}: {message}{suffix}"


def parse_config(data: dict[str, Any], source: str = "config") -> Config:
    """Validate a TOML-shaped mapping; raise ConfigError with one line."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(source, exc, data)) from None


def resolve_config_path(explicit: str | os.PathLike[str] | None, environ: dict[str, str]) -> Path:
    if explicit:
        return Path(explicit)
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    return Path(DEFAULT_CONFIG_NAME)


def load_config(
    path: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None
) -> Config:
    """Load the config file (``--config``, ``$STORYWATCH_CONFIG`` or ./storywatch.toml).

    ``$STORYWATCH_DATABASE_URL`` overrides ``[database] url``.
    """
    env = dict(os.environ) if environ is None else environ
    config_path = resolve_config_path(path, env)
    try:
        raw = config_path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read config file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{config_path}: config file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path}: malformed TOML: {exc}") from None
    override = env.get(DATABASE_URL_ENV)
    if override:
        problem = database_url_problem(override)
        if problem:
            raise ConfigError(f"${DATABASE_URL_ENV}: {problem}")
        database = data.get("database")
        data["database"] = {**(database if isinstance(database, dict) else {}), "url": override}
    return parse_config(data, str(config_path))


def config_file_warnings(path: Path, config: Config, environ: dict[str, str]) -> list[str]:
    """Warnings about secrets kept where other users can read them."""
    warnings: list[str] = []
    if environ.get(DATABASE_URL_ENV):
        return warnings
    if urlsplit(config.database.url).password:
        try:
            mode = path.stat().st_mode
        except OSError:
            return warnings
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            warnings.append(
                f"{path}: [database] url holds a password and the file is readable by other "
                f"users; put the URL in ${DATABASE_URL_ENV} instead"
            )
    return warnings


def redact_url(url: str) -> str:
    """A database URL with its password replaced by ***, for logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
