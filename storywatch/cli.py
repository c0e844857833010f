"""The storywatch command line.

Exit status: 0 success; 1 a failure at run time; 2 bad usage or bad config
(one line naming the key, no traceback); 130 / 143 a crawl stopped by
Ctrl-C / SIGTERM."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from storywatch.config import (
    DEFAULT_CONFIG_NAME,
    Config,
    ConfigError,
    config_file_warnings,
    load_config,
    redact_url,
    resolve_config_path,
)
from storywatch.logs import FORMATS, LEVELS, setup_logging

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

app = typer.Typer(
    no_args_is_help=True,
    help="Follow one news story across outlets.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
config_app = typer.Typer(no_args_is_help=True, help="Configuration.")
query_app = typer.Typer(no_args_is_help=True, help="The story query.")
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
app.add_typer(query_app, name="query")

log = logging.getLogger("storywatch")


@dataclasses.dataclass(slots=True)
class Context:
    config_path: str | None
    log_level: str = "INFO"
    log_format: str = "text"
    _config: Config | None = None

    # Commands load the config before they import what they run with, so a
    # bad config is one line in a fraction of the time (tests do it 40 times).
    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                config = load_config(self.config_path)
                _check_selectors(config)
            except ConfigError as exc:
                fail(str(exc), code=2)
            path = resolve_config_path(self.config_path, dict(os.environ))
            for warning in config_file_warnings(path, config, dict(os.environ)):
                typer.echo(f"warning: {warning}", err=True)
            self._config = config
        return self._config

    def setup_logging(self) -> None:
        setup_logging(self.log_level, self.log_format)


def _check_selectors(config: Config) -> None:
    """Outlets' selectors compile as CSS or XPath (lxml: not in the config leaf)."""
    if any(outlet.selectors for outlet in config.outlets):
        from crawler.selectors import outlet_selectors

        outlet_selectors(config.outlets)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storywatch {metadata.version('storywatch')}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        str | None, typer.Option("--config", help="Config file (default: $STORYWATCH_CONFIG or ./storywatch.toml).")
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
    log_format: Annotated[str, typer.Option("--log-format", help="text or json (one object a line).")] = "text",
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    if log_level.upper() not in LEVELS:
        fail(f"--log-level: use one of {', '.join(LEVELS)}", code=2)
    if log_format not in FORMATS:
        fail(f"--log-format: use one of {', '.join(FORMATS)}", code=2)
    ctx.obj = Context(config, log_level.upper(), log_format)


def _ctx(ctx: typer.Context) -> Context:
    assert isinstance(ctx.obj, Context)
    return ctx.obj


def _check_format(output: str, allowed: tuple[str, ...]) -> None:
    if output not in allowed:
        fail(f"--format: use {', '.join(allowed[:-1])} or {allowed[-1]}", code=2)


# -- opening the database --------------------------------------------------


def _driver_message(exc: Exception) -> str:
    """The first line of what the database driver said."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _database_error(config: Config, exc: Exception) -> NoReturn:
    """One line for a database that cannot be reached or read; never the password."""
    from urllib.parse import urlsplit

    url = config.database.url
    text = _driver_message(exc)
    password = urlsplit(url).password
    if password:
        text = text.replace(password, "***")
    fail(f"cannot use the database {redact_url(url)}: {text}")


def _check_schema(config: Config, engine: Any) -> None:
    from storage.revision import HEAD_REVISION, current_revision

    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision != HEAD_REVISION:
        fail(
            f"the database {redact_url(config.database.url)} is not up to date "
            f"(at {revision or 'no schema'}): run `storywatch db upgrade`"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Reader:
    sessions: sessionmaker[Session]
    may_be_stale: bool


def _reader(config: Config) -> Reader:
    """Sessions that only read: work on a read-only file, file system or
    role, never create a database."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.engine import DatabaseMissing, make_readonly_engine, make_sessionmaker

    try:
        opened = make_readonly_engine(config.database.url)
        _check_schema(config, opened.engine)
    except DatabaseMissing as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        _database_error(config, exc)
    return Reader(make_sessionmaker(opened.engine), opened.may_be_stale)


def _writer(config: Config) -> sessionmaker[Session]:
    """Sessions that write; the database must exist (only `db upgrade` creates one)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.engine import DatabaseMissing, make_engine, make_sessionmaker, sqlite_path

    path = sqlite_path(config.database.url)
    if path is not None and not path.is_file():
        fail(str(DatabaseMissing(path.resolve())))
    engine = make_engine(config.database.url)
    try:
        _check_schema(config, engine)
    except SQLAlchemyError as exc:
        _database_error(config, exc)
    return make_sessionmaker(engine)


# -- db / config / init ------------------------------------------------------


def _migrate(ctx: typer.Context, step: str, revision: str) -> None:
    config = _ctx(ctx).config

    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate

    try:
        getattr(migrate, step)(config.database.url, revision)
    except SQLAlchemyError as exc:
        _database_error(config, exc)
    typer.echo(f"database {redact_url(config.database.url)} is at revision {revision}")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, revision: str = typer.Argument("head")) -> None:
    """Create or upgrade the database schema (the only command that creates one)."""
    _migrate(ctx, "upgrade", revision)


@db_app.command("downgrade")
def db_downgrade(ctx: typer.Context, revision: str = typer.Argument(...)) -> None:
    """Downgrade the schema to REVISION ("base" removes everything)."""
    _migrate(ctx, "downgrade", revision)


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the config file and print what it says (it does not connect)."""
    config = _ctx(ctx).config

    from crawler.match import QueryError, StoryQuery
    from digest.notify import notify_targets

    try:
        StoryQuery(config.story.query)
    except QueryError as exc:
        fail(f"story.query: {exc}", code=2)
    typer.echo(f"story: {config.story.name} (since {config.story.since})")
    typer.echo(f"query: {' '.join(config.story.query.split())}")
    typer.echo(f"database: {redact_url(config.database.url)}")
    typer.echo(f"outlets: {', '.join(o.key for o in config.outlets)}")
    typer.echo(f"digest: {'smtp ' + config.smtp.host if config.smtp else 'outbox ' + config.digest.outbox}")
    try:
        targets = notify_targets(config.notify, dict(os.environ))
    except ConfigError as exc:
        fail(str(exc), code=2)
    if targets:
        # Checked by Apprise without sending; a URL from the environment is never shown.
        shown = ", ".join(f"{t.kind} ({'$' + config.notify.urls_env if t.from_env else 'config'})" for t in targets)
        typer.echo(f"notify: {len(targets)} target{'s' if len(targets) != 1 else ''} on {'+'.join(config.notify.on)}: {shown}")
    if config.web.base_url:
        typer.echo(f"web: {config.web.base_url}")
    typer.echo("config OK")


@query_app.command("test")
def query_test(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="A candidate story query (default: the config's).")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet's articles.")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Which stored articles QUERY would take in and drop compared with now,
    and the terms that decide each (read-only; `rematch` applies a query)."""
    _check_format(output, ("table", "json"))
    config = _ctx(ctx).config

    from crawler.match import QueryError, StoryQuery
    from storywatch.querytest import compare_query, print_comparison

    _known_outlets(config, [outlet] if outlet else None)
    try:
        candidate = StoryQuery(query if query is not None else config.story.query)
    except QueryError as exc:
        fail(f"query: {exc}", code=2)
    print_comparison(compare_query(_reader(config).sessions, candidate, config.story.since, outlet), output)


@app.command()
def init(folder: Annotated[Path, typer.Argument(help="Where to write storywatch.toml.")] = Path(".")) -> None:
    """Write the commented example storywatch.toml (never over an existing one)."""
    target = folder / DEFAULT_CONFIG_NAME
    if target.exists():
        fail(f"{target} exists: not overwritten", code=1)
    sample = resources.files("storywatch").joinpath("data", DEFAULT_CONFIG_NAME).read_bytes()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as stream:
            stream.write(sample)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror}")
    typer.echo(f"wrote {target}\nnext: edit [story], [[outlets]] and [digest] in it, then run\n"
               f"  storywatch config check\n  storywatch db upgrade\n  storywatch crawl")


# -- crawl -------------------------------------------------------------------


def _known_outlets(config: Config, keys: list[str] | None, option: str = "--outlet") -> tuple[str, ...]:
    known = {o.key for o in config.outlets}
    for key in keys or ():
        if key not in known:
            fail(f"{option}: unknown outlet {key!r} (known: {', '.join(sorted(known))})", code=2)
    return tuple(keys or ())


@app.command()
def crawl(
    ctx: typer.Context,
    outlet: Annotated[list[str] | None, typer.Option("--outlet", help="Only this outlet (repeatable).")] = None,
    recheck: Annotated[bool, typer.Option(help="Also revisit every tracked article now.")] = False,
    output: Annotated[str, typer.Option("--format", help="Summary as table or json.")] = "table",
) -> None:
    """Discover and fetch the story's coverage, plus the revisits that are due."""
    _check_format(output, ("table", "json"))
    state = _ctx(ctx)
    config = state.config

    from sqlalchemy.exc import SQLAlchemyError

    from schedules.crawljob import CrawlRequest, run_crawl_child
    from schedules.stopping import StopRequest
    from storywatch.report import print_crawl_summary

    keys = _known_outlets(config, outlet)
    _writer(config)  # the database exists and is up to date before a child starts
    state.setup_logging()
    stop = StopRequest()
    stop.install()  # the child has its own session: forward Ctrl-C / SIGTERM to it
    try:
        run = run_crawl_child(
            config,
            CrawlRequest(
                config_path=state.config_path,
                outlets=keys,
                recheck=recheck,
                timeout=config.crawl.crawl_timeout,
                grace=config.schedule.crawl_grace,
                progress=_on_terminal(sys.stderr),
                log_level=state.log_level,
                log_format=state.log_format,
            ),
            stop=stop,
        )
    except SQLAlchemyError as exc:
        _database_error(config, exc)
    print_crawl_summary(run, output)
    if stop.exit_code is not None:
        raise typer.Exit(stop.exit_code)
    raise typer.Exit(1 if run.status == "failed" else 0)


@app.command()
def rematch(ctx: typer.Context) -> None:
    """Re-apply the (changed) story query to everything stored."""
    config = _ctx(ctx).config

    from storywatch.maintenance import rematch_all

    result = rematch_all(_writer(config), config)
    typer.echo(
        f"rematched {result.checked} articles with stored text: {result.now_relevant} relevant, "
        f"{result.became_relevant} newly relevant, {result.no_longer_relevant} no longer relevant; "
        f"{result.rechecks} queued for a fetch (newly relevant without a version yet, or without stored text)"
    )


@app.command()
def rejudge(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Judge and report; write nothing.")] = False,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Judge the pages kept as churn again with this release's extractor and
    rules: an edit fetched after its article's latest version becomes its
    next version; one fetched before a later version is reported."""
    _check_format(output, ("table", "json"))
    config = _ctx(ctx).config

    from storywatch.rejudge import rejudge_kept_pages
    from storywatch.report import print_rejudged

    sessions = _reader(config).sessions if dry_run else _writer(config)
    print_rejudged(rejudge_kept_pages(sessions, config, dry_run=dry_run), output, config.schedule.zone, dry_run)


# -- reading -----------------------------------------------------------------


@app.command()
def extract(files: Annotated[list[Path], typer.Argument(help="HTML files.")]) -> None:
    """Print what storywatch reads from saved pages, one JSON object per file."""
    from crawler.extract import extract_article

    status = 0
    for path in files:
        try:
            body = path.read_bytes()
        except OSError as exc:
            typer.echo(f"error: {path}: {exc.strerror}", err=True)
            status = 1
            continue
        extracted = extract_article(body, None)
        record: dict[str, Any] = {"file": str(path)}
        if extracted is None:
            record["error"] = "no readable text"
        else:
            record.update(dataclasses.asdict(extracted))
        typer.echo(json.dumps(record, default=str, ensure_ascii=False))
    raise typer.Exit(status)


@app.command()
def articles(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="First seen on or after this day (YYYY-MM-DD).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    changed: Annotated[bool, typer.Option("--changed", help="Only articles with more than one version.")] = False,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    all_: Annotated[bool, typer.Option("--all", help="Include non-matching articles.")] = False,
) -> None:
    """List the story's articles."""
    _check_format(output, ("table", "csv", "json"))
    since_day = _parse_day(since, "--since") if since else None
    config = _ctx(ctx).config

    from storywatch.report import list_articles, print_articles

    _known_outlets(config, [outlet] if outlet else None)
    rows = list_articles(
        _reader(config).sessions, since=since_day, outlet=outlet, changed=changed, include_irrelevant=all_
    )
    print_articles(rows, output, config.schedule.zone)


@app.command()
def history(ctx: typer.Context, article: Annotated[str, typer.Argument(help="Article URL or id.")]) -> None:
    """The versions of one article: when, and what kind of change."""
    config = _ctx(ctx).config

    from storywatch.report import find_article_row, print_history

    sessions = _reader(config).sessions
    found = find_article_row(sessions, article)
    if found is None:
        fail(f"no article {article}")
    print_history(sessions, found, config.schedule.zone)


@app.command()
def diff(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id.")],
    from_: Annotated[
        int | None, typer.Option("--from", min=1, help="Older version number (default: the one before --to).")
    ] = None,
    to: Annotated[int | None, typer.Option("--to", min=1, help="Newer version number (default: the latest).")] = None,
) -> None:
    """A readable diff between two versions of an article."""
    if from_ is not None and to is not None and from_ >= to:
        fail("--from: must be an older version than --to", code=2)
    config = _ctx(ctx).config

    from storywatch.report import NotFound, print_diff

    try:
        print_diff(_reader(config).sessions, article_id, from_, to, color=_colour(sys.stdout))
    except NotFound as exc:
        fail(str(exc))


def _on_terminal(stream: Any) -> bool:
    """A terminal that can redraw a line (not a pipe, not TERM=dumb)."""
    return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"


def _colour(stream: Any) -> bool:
    """Colour only on such a terminal, and never under NO_COLOR."""
    return _on_terminal(stream) and "NO_COLOR" not in os.environ


@app.command()
def status(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Last crawls, due revisits, outlet health, last digest, next runs."""
    _check_format(output, ("text", "json"))
    config = _ctx(ctx).config

    from storywatch.report import print_status, status_report

    reader = _reader(config)
    print_status(status_report(reader.sessions, config, may_be_stale=reader.may_be_stale), output,
                 config.schedule.zone)


@app.command()
def digest(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", help="Digest day YYYY-MM-DD (default: yesterday).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the digest (and write it to --outbox), record nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Send even if this day was sent already.")] = False,
    outbox: Annotated[
        Path | None, typer.Option("--outbox", help="Write the .eml/.html here (beside [smtp]: an export, the mailing stays due).")
    ] = None,
) -> None:
    """Send (or preview, or export) one day's digest."""
    state = _ctx(ctx)
    config = state.config

    from digest.ledger import DONE
    from digest.send import DeliveryError
    from digest.service import DayNotOver, DigestService

    zone = config.schedule.zone
    day = _parse_day(date, "--date") if date else (dt.datetime.now(zone).date() - dt.timedelta(days=1))
    state.setup_logging()
    if dry_run or (outbox is not None and config.smtp is not None):
        # A preview or an export: read-only, never touches the ledger.
        service = DigestService(config, _reader(config).sessions)
        try:
            if dry_run:
                typer.echo(service.preview(day))
            if outbox is not None:
                service.write_files(day, outbox)
                typer.echo(f"digest for {day} written to {outbox} (nothing recorded)", err=dry_run)
        except DeliveryError as exc:
            fail(str(exc))
        if not dry_run:
            mailing = service.mailing_status(day)
            typer.echo(f"the mailing for {day}: {'sent' if mailing in DONE else 'still due'}")
        return
    try:
        service = DigestService(config, _writer(config), outbox_override=outbox)
        outcomes = service.send_day_everywhere(day, force=force)
    except ConfigError as exc:
        fail(str(exc), code=2)
    except DayNotOver as exc:
        fail(str(exc), code=2)
    for outcome in outcomes:
        typer.echo(outcome.describe())
    raise typer.Exit(0 if all(outcome.ok for outcome in outcomes) else 1)


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)] = 8080,
) -> None:
    """Serve the read-only web view: the story at a glance, articles and
    their diffs, digests, a JSON API and an Atom feed (docs/web.md)."""
    import uvicorn

    from web.app import create_app, settings_for

    state = _ctx(ctx)
    config = state.config
    reader = _reader(config)
    state.setup_logging()
    if not _loopback(host):
        log.warning("serving on %s, beyond this machine, with no authentication: put it behind a proxy that "
                    "asks for one (docs/web.md)", host)
    app = create_app(reader.sessions, settings_for(config, reader.may_be_stale))
    log.info("web view of %s on http://%s:%d/ (read-only)", redact_url(config.database.url), host, port)
    # Our logging setup stays in charge (log_config=None): one format for every line.
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, server_header=False)


@app.command()
def run(ctx: typer.Context) -> None:
    """Run the scheduler daemon: crawls, revisits and digests, until stopped."""
    state = _ctx(ctx)
    config = state.config

    from schedules.daemon import AlreadyRunning, Daemon

    sessions = _writer(config)
    state.setup_logging()
    try:
        daemon = Daemon(config, state.config_path, sessions, log_level=state.log_level, log_format=state.log_format)
    except AlreadyRunning as exc:
        fail(str(exc))
    except ConfigError as exc:
        fail(str(exc), code=2)
    raise typer.Exit(daemon.run_forever())


def _parse_day(value: str | None, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        fail(f"{option}: not a date (use YYYY-MM-DD): {value!r}", code=2)


def _usage_errors() -> tuple[type[Exception], type[Exception]]:
    """Click's usage errors: vendored inside Typer since 0.22, the click
    package before."""
    try:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError
    except ImportError:
        from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[no-redef,attr-defined,import-not-found,assignment,unused-ignore]
    return ClickException, NoArgsIsHelpError


def _database_refused(exc: Exception) -> bool:
    """Whether ``exc`` is SQLAlchemy's.  Only commands that open a database
    import SQLAlchemy (0.4 s), and one that did not cannot have raised it."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def main() -> None:
    click_error, no_args = _usage_errors()
    try:
        code = app(prog_name="storywatch", standalone_mode=False, args=sys.argv[1:] or ["--help"])
    except no_args as exc:
        exc.show()  # type: ignore[attr-defined]
        sys.exit(2)
    except click_error as exc:
        # Bad usage: one line that names the option, like a bad config.
        typer.echo(f"error: {exc.format_message()} (storywatch -h for help)", err=True)  # type: ignore[attr-defined]
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:
        if not _database_refused(exc):
            raise
        # A database refusing a write at run time (read-only file or role,
        # disk full): a fact to report in one line, not a bug to trace.
        typer.echo(f"error: database error: {_driver_message(exc)}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
