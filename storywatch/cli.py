"""The storywatch command line.

Exit status: 0 success, 1 failure at run time, 2 bad usage or bad config
(one line naming the key, no traceback)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from storywatch.config import Config, ConfigError, config_file_warnings, load_config, redact_url, resolve_config_path

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Follow one news story across outlets.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
config_app = typer.Typer(no_args_is_help=True, help="Configuration.")
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")

log = logging.getLogger("storywatch")


@dataclasses.dataclass(slots=True)
class Context:
    config_path: str | None
    _config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                config = load_config(self.config_path)
            except ConfigError as exc:
                fail(str(exc), code=2)
            path = resolve_config_path(self.config_path, dict(os.environ))
            for warning in config_file_warnings(path, config, dict(os.environ)):
                typer.echo(f"warning: {warning}", err=True)
            self._config = config
        return self._config


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("alembic", "sqlalchemy", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        str | None, typer.Option("--config", help="Config file (default: $STORYWATCH_CONFIG or ./storywatch.toml).")
    ] = None,
) -> None:
    ctx.obj = Context(config)


def _ctx(ctx: typer.Context) -> Context:
    assert isinstance(ctx.obj, Context)
    return ctx.obj


def _sessions(config: Config, *, write: bool = False) -> Any:
    from storage.engine import make_engine, make_sessionmaker
    from storage.migrate import current_revision, head_revision

    engine = make_engine(config.database.url, immediate=write)
    try:
        revision = current_revision(engine)
    except Exception as exc:  # noqa: BLE001 -- any driver error means the same to the user
        fail(f"cannot open the database {redact_url(config.database.url)}: {exc}")
    if revision != head_revision():
        fail(
            f"the database {redact_url(config.database.url)} is not up to date "
            f"(at {revision or 'no schema'}): run `storywatch db upgrade`"
        )
    return make_sessionmaker(engine)


# -- db / config ---------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, revision: str = typer.Argument("head")) -> None:
    """Create or upgrade the database schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.migrate import upgrade

    config = _ctx(ctx).config
    try:
        upgrade(config.database.url, revision)
    except SQLAlchemyError as exc:
        fail(f"cannot upgrade {redact_url(config.database.url)}: {exc}")
    typer.echo(f"database {redact_url(config.database.url)} is at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(ctx: typer.Context, revision: str = typer.Argument(...)) -> None:
    """Downgrade the schema to REVISION ("base" removes everything)."""
    from storage.migrate import downgrade

    config = _ctx(ctx).config
    downgrade(config.database.url, revision)
    typer.echo(f"database {redact_url(config.database.url)} is at revision {revision}")


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the config file and print what it says."""
    from crawler.match import QueryError, StoryQuery

    config = _ctx(ctx).config
    try:
        StoryQuery(config.story.query)
    except QueryError as exc:
        fail(f"story.query: {exc}", code=2)
    typer.echo(f"story: {config.story.name} (since {config.story.since})")
    typer.echo(f"query: {' '.join(config.story.query.split())}")
    typer.echo(f"database: {redact_url(config.database.url)}")
    typer.echo(f"outlets: {', '.join(o.key for o in config.outlets)}")
    typer.echo(f"digest: {'smtp ' + config.smtp.host if config.smtp else 'outbox ' + config.digest.outbox}")
    typer.echo("config OK")


# -- crawl ---------------------------------------------------------------


@app.command()
def crawl(
    ctx: typer.Context,
    outlet: Annotated[list[str] | None, typer.Option("--outlet", help="Only this outlet (repeatable).")] = None,
    recheck: Annotated[bool, typer.Option(help="Also revisit every tracked article now.")] = False,
) -> None:
    """Discover and fetch the story's coverage, plus the revisits that are due."""
    from schedules.crawljob import CrawlRequest, run_crawl_child
    from storywatch.report import print_crawl_summary

    state = _ctx(ctx)
    config = state.config
    keys = tuple(outlet or ())
    unknown = [k for k in keys if k not in {o.key for o in config.outlets}]
    if unknown:
        fail(f"--outlet: unknown outlet {unknown[0]!r}", code=2)
    _sessions(config)  # schema check before starting a child
    setup_logging()
    from sqlalchemy.exc import SQLAlchemyError

    try:
        run = run_crawl_child(
            config,
            CrawlRequest(
                config_path=state.config_path,
                outlets=keys,
                recheck=recheck,
                timeout=config.crawl.crawl_timeout,
                progress=sys.stderr.isatty(),
            ),
        )
    except SQLAlchemyError as exc:
        fail(f"database error, the crawl's outcome was not recorded: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}")
    print_crawl_summary(run)
    raise typer.Exit(1 if run.status == "failed" else 0)


@app.command()
def rematch(ctx: typer.Context) -> None:
    """Re-apply the (changed) story query to everything stored."""
    from storywatch.maintenance import rematch_all

    config = _ctx(ctx).config
    sessions = _sessions(config, write=True)
    result = rematch_all(sessions, config)
    typer.echo(
        f"rematched {result.checked} articles with versions: {result.now_relevant} relevant, "
        f"{result.became_relevant} newly relevant, {result.no_longer_relevant} no longer relevant; "
        f"{result.rechecks} non-matching articles queued for a re-check"
    )


# -- reading -------------------------------------------------------------


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
    from storywatch.report import list_articles, print_articles

    if output not in ("table", "csv", "json"):
        fail("--format: use table, csv or json", code=2)
    since_day = _parse_day(since, "--since") if since else None
    config = _ctx(ctx).config
    rows = list_articles(_sessions(config), since=since_day, outlet=outlet, changed=changed, include_irrelevant=all_)
    print_articles(rows, output)


@app.command()
def history(ctx: typer.Context, article: Annotated[str, typer.Argument(help="Article URL or id.")]) -> None:
    """The versions of one article: when, and what kind of change."""
    from storywatch.report import find_article_row, print_history

    config = _ctx(ctx).config
    sessions = _sessions(config)
    found = find_article_row(sessions, article)
    if found is None:
        fail(f"no article {article!r}")
    print_history(sessions, found, config.schedule.zone)


@app.command()
def diff(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id.")],
    from_: Annotated[int | None, typer.Option("--from", help="Older version number (default: the one before --to).")] = None,
    to: Annotated[int | None, typer.Option("--to", help="Newer version number (default: the latest).")] = None,
) -> None:
    """A readable diff between two versions of an article."""
    from storywatch.report import print_diff

    config = _ctx(ctx).config
    if not print_diff(_sessions(config), article_id, from_, to, color=sys.stdout.isatty()):
        raise typer.Exit(1)


@app.command()
def status(ctx: typer.Context) -> None:
    """Last crawls, due revisits, outlet health, last digest, next runs."""
    from storywatch.report import print_status

    config = _ctx(ctx).config
    print_status(_sessions(config), config)


@app.command()
def digest(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", help="Digest day YYYY-MM-DD (default: yesterday).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the digest, send nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Send even if this day was sent already.")] = False,
    outbox: Annotated[Path | None, typer.Option("--outbox", help="Write to this folder instead of mailing.")] = None,
) -> None:
    """Send (or preview) one day's digest."""
    from digest.service import DigestService

    config = _ctx(ctx).config
    zone = config.schedule.zone
    day = _parse_day(date, "--date") if date else (dt.datetime.now(zone).date() - dt.timedelta(days=1))
    setup_logging()
    service = DigestService(config, _sessions(config, write=True), outbox_override=outbox)
    if dry_run:
        typer.echo(service.preview(day))
        return
    outcome = service.send_day(day, force=force)
    typer.echo(outcome.describe())
    raise typer.Exit(0 if outcome.ok else 1)


@app.command()
def run(ctx: typer.Context) -> None:
    """Run the scheduler daemon: crawls, revisits and digests, until stopped."""
    from schedules.daemon import AlreadyRunning, Daemon

    state = _ctx(ctx)
    config = state.config
    sessions = _sessions(config, write=True)
    setup_logging()
    try:
        daemon = Daemon(config, state.config_path, sessions)
    except AlreadyRunning as exc:
        fail(str(exc))
    raise typer.Exit(daemon.run_forever())


def _parse_day(value: str | None, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        fail(f"{option}: not a date (use YYYY-MM-DD): {value!r}", code=2)


def main() -> None:
    app(prog_name="storywatch")


if __name__ == "__main__":
    main()
