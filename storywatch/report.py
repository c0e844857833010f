"""What the CLI prints: crawl summaries, article lists, histories, diffs, status."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.urls import canonicalize_url
from storage.diffing import sentence_diff, word_diff
from storage.models import Article, ArticleVersion, CrawlRun, DigestRun, Outlet
from storage.queries import ArticleRow, article_rows, count_due, recent_crawl_runs, utcnow
from storage.record import find_article
from storywatch.config import Config

GREEN, RED, BOLD, DIM, RESET = "\033[32m", "\033[31m", "\033[1m", "\033[2m", "\033[0m"


def print_crawl_summary(run: CrawlRun) -> None:
    details = json.loads(run.details or "{}")
    echo = typer.echo
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
    echo(f"crawl {run.id}: {run.status} in {duration:.0f} s")
    echo(
        f"  discovered {run.discovered}, fetched {run.fetched}, relevant {run.relevant}, "
        f"new articles {run.new_articles}, new versions {run.new_versions}, "
        f"not modified {run.not_modified}, skipped {run.skipped}, errors {run.errors}"
    )
    for title, key in (("skipped", "skipped"), ("errors", "errors")):
        reasons = details.get(key) or {}
        if reasons:
            echo(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    outlets = details.get("outlets") or {}
    if outlets:
        echo("  per outlet: pages fetched / usable text / paywalled / no text; relevant; new")
    for key, row in outlets.items():
        flag = "  FAILED" if key in details.get("failed_outlets", []) else ""
        echo(
            f"    {key:<16} {row.get('fetched', 0):>4} / {row.get('usable', 0):>4} / {row.get('paywall', 0):>3} / "
            f"{row.get('empty', 0):>3}; relevant {row.get('relevant', 0)}; new {row.get('new_articles', 0)}; "
            f"sources ok {row.get('sources_ok', 0)}, failed {row.get('sources_failed', 0)}{flag}"
        )
    if run.message:
        echo(f"  {run.message}")


def list_articles(
    sessions: sessionmaker[Session],
    *,
    since: dt.date | None,
    outlet: str | None,
    changed: bool,
    include_irrelevant: bool = False,
) -> list[ArticleRow]:
    with sessions() as session:
        return article_rows(
            session, since=since, outlet=outlet, changed=changed, include_irrelevant=include_irrelevant
        )


def print_articles(rows: list[ArticleRow], output: str) -> None:
    records = [row.as_dict() for row in rows]
    if output == "json":
        typer.echo(json.dumps(records, default=str, ensure_ascii=False, indent=2))
        return
    if output == "csv":
        fields = list(records[0]) if records else ["id"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in record.items()})
        return
    if not rows:
        typer.echo("no articles")
        return
    typer.echo(f"{'id':>5}  {'outlet':<14} {'first seen':<10} {'v':>2}  title")
    for row in rows:
        flags = " (copy)" if row.syndicated_from else ""
        flags += " (removed)" if row.removed_at else ""
        typer.echo(
            f"{row.id:>5}  {row.outlet:<14} {row.first_seen_day.isoformat():<10} {row.versions:>2}  "
            f"{(row.title or row.url)[:90]}{flags}"
        )


def find_article_row(sessions: sessionmaker[Session], ref: str) -> Article | None:
    with sessions() as session:
        if ref.isdigit():
            return session.get(Article, int(ref))
        url = canonicalize_url(ref) or ref
        return find_article(session, [url, ref])


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


def print_history(sessions: sessionmaker[Session], article: Article, zone: ZoneInfo) -> None:
    with sessions() as session:
        versions = list(
            session.scalars(
                select(ArticleVersion).where(ArticleVersion.article_id == article.id).order_by(ArticleVersion.number)
            )
        )
        outlet = session.get(Outlet, article.outlet_id)
    typer.echo(f"article {article.id} ({outlet.key if outlet else '?'}): {article.url}")
    if article.syndicated_from:
        typer.echo(f"  a copy of {article.syndicated_from}")
    typer.echo(
        f"  first seen {_local(article.first_seen_at, zone)}, last checked {_local(article.last_checked_at, zone)}"
        f" ({article.check_state}), relevant: {'yes' if article.relevant else 'no'}"
    )
    if article.removed_at:
        typer.echo(f"  REMOVED at {_local(article.removed_at, zone)}")
    if not versions:
        typer.echo("  no versions")
    for version in versions:
        kinds = version.change_kinds or "first version"
        partial = f" [partial: {version.partial_reason}]" if version.is_partial else ""
        size = f", {version.change_size} chars changed" if version.change_size else ""
        typer.echo(f"  v{version.number}  {_local(version.fetched_at, zone)}  {kinds}{size}{partial}")
        typer.echo(f"       {version.title}")


def print_diff(
    sessions: sessionmaker[Session], article_id: int, from_number: int | None, to_number: int | None, color: bool
) -> bool:
    with sessions() as session:
        numbers = list(
            session.scalars(
                select(ArticleVersion.number).where(ArticleVersion.article_id == article_id).order_by(ArticleVersion.number)
            )
        )
        if len(numbers) < 2 and not (from_number and to_number):
            typer.echo(f"error: article {article_id} has {len(numbers)} version(s): nothing to compare", err=True)
            return False
        to_number = to_number or numbers[-1]
        from_number = from_number or max((n for n in numbers if n < to_number), default=None)
        old = session.scalar(
            select(ArticleVersion).where(ArticleVersion.article_id == article_id, ArticleVersion.number == from_number)
        )
        new = session.scalar(
            select(ArticleVersion).where(ArticleVersion.article_id == article_id, ArticleVersion.number == to_number)
        )
    if old is None or new is None:
        typer.echo(f"error: article {article_id} has no versions {from_number} and {to_number}", err=True)
        return False
    typer.echo(render_diff(old, new, color))
    return True


def render_diff(old: ArticleVersion, new: ArticleVersion, color: bool) -> str:
    """Headline and byline changes, then the body sentence by sentence, with
    word-level marks inside edited sentences.  Plain ``[-old-]{+new+}`` marks
    when not on a terminal."""

    def mark(op: str, text: str) -> str:
        if op == "insert":
            return f"{GREEN}{text}{RESET}" if color else "{+" + text + "+}"
        if op == "delete":
            return f"{RED}{text}{RESET}" if color else "[-" + text + "-]"
        return text

    lines = [f"version {old.number} ({old.fetched_at:%Y-%m-%d %H:%M} UTC) -> {new.number} ({new.fetched_at:%Y-%m-%d %H:%M} UTC)"]
    if (old.title or "") != (new.title or ""):
        lines.append("headline: " + " ".join(mark(o.op, o.text) for o in word_diff(old.title or "", new.title or "")))
        lines.append(f"  before: {old.title}")
        lines.append(f"  after:  {new.title}")
    if old.authors != new.authors:
        lines.append(f"byline: {', '.join(json.loads(old.authors))} -> {', '.join(json.loads(new.authors))}")
    ops = sentence_diff(old.text, new.text)
    index = 0
    while index < len(ops):
        op = ops[index]
        following = ops[index + 1] if index + 1 < len(ops) else None
        if op.op == "delete" and following is not None and following.op == "insert":
            words = word_diff(op.text, following.text)
            lines.append("~ " + " ".join(mark(w.op, w.text) for w in words))
            index += 2
            continue
        if op.op == "insert":
            lines.append("+ " + mark("insert", op.text))
        elif op.op == "delete":
            lines.append("- " + mark("delete", op.text))
        index += 1
    if len(lines) == 1:
        lines.append("(no difference in headline, byline or text)")
    return "\n".join(lines)


def print_status(sessions: sessionmaker[Session], config: Config) -> None:
    from storywatch.health import outlet_health, next_runs

    now = utcnow()
    zone = config.schedule.zone
    with sessions() as session:
        runs = recent_crawl_runs(session, 5)
        due = count_due(session, now)
        tracked = session.scalar(select(func.count()).select_from(Article).where(Article.relevant)) or 0
        last_digest = session.scalars(
            select(DigestRun).where(DigestRun.status == "sent").order_by(DigestRun.digest_date.desc()).limit(1)
        ).first()
        failed_digests = session.scalar(select(func.count()).select_from(DigestRun).where(DigestRun.status == "failed"))
        health = outlet_health(session, config)
    typer.echo(f"story: {config.story.name}; {tracked} relevant articles; {due} due for a revisit")
    typer.echo("last crawls:")
    if not runs:
        typer.echo("  none yet")
    for run in runs:
        typer.echo(
            f"  #{run.id} {_local(run.started_at, zone)} {run.kind:<18} {run.status:<8} fetched {run.fetched}, "
            f"new {run.new_articles}, versions {run.new_versions}, errors {run.errors}"
            + (f" -- {run.message}" if run.message else "")
        )
    typer.echo("outlets:")
    for key, problems in health.items():
        typer.echo(f"  {key:<16} " + ("; ".join(problems) if problems else "ok"))
    if last_digest is not None:
        typer.echo(f"last digest sent: {last_digest.digest_date} at {_local(last_digest.sent_at, zone)}")
    else:
        typer.echo("last digest sent: none")
    if failed_digests:
        typer.echo(f"digests waiting after a failed send: {failed_digests}")
    for name, when in next_runs(config, session_factory=sessions, now=now).items():
        typer.echo(f"next {name}: {_local(when, zone)}")

