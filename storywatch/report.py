"""What the CLI prints: crawl summaries, article lists, histories, diffs, status."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.urls import canonicalize_url
from crawler.version import EXTRACTOR_VERSION
from storage.models import Article, ArticleVersion, ChurnFetch, CrawlRun, DigestRun, Outlet
from storage.queries import ArticleRow, article_rows, count_due
from storage.record import find_article
from storage.runs import recent_crawl_runs
from storywatch.article import BEFORE_SINCE, UPDATED_SINCE
from storywatch.clock import format_duration, utcnow
from storywatch.config import Config
from storywatch.content import identity_text, left_out, normalise_text
from storywatch.diffing import sentence_diff, word_diff

if TYPE_CHECKING:
    from storywatch.rejudge import RejudgedPage

GREEN, RED, BOLD, DIM, RESET = "\033[32m", "\033[31m", "\033[1m", "\033[2m", "\033[0m"


SUMMARY_COUNTS = ("discovered", "fetched", "relevant", "new_articles", "new_versions", "not_modified", "skipped", "errors")


def crawl_summary_record(run: CrawlRun) -> dict[str, object]:
    """The crawl's outcome for scripts (``crawl --format json``)."""
    details = run.details or {}
    return {
        "crawl_run": run.id,
        "status": run.status,
        "kind": run.kind,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "seconds": round((run.finished_at - run.started_at).total_seconds(), 1) if run.finished_at else None,
        **{field: getattr(run, field) for field in SUMMARY_COUNTS},
        "skipped_reasons": details.get("skipped") or {},
        "error_reasons": details.get("errors") or {},
        "outlets": details.get("outlets") or {},
        "failed_outlets": details.get("failed_outlets") or [],
        "message": run.message,
    }


def print_crawl_summary(run: CrawlRun, output: str = "table") -> None:
    if output == "json":
        typer.echo(json.dumps(crawl_summary_record(run), ensure_ascii=False, indent=2))
        return
    details = run.details or {}
    echo = typer.echo
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
    echo(f"crawl {run.id}: {run.status} in {format_duration(duration)}")
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


ARTICLE_COLUMNS = ("id", "outlet", "published", "first seen", "title", "url", "versions", "status")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def article_status(row: ArticleRow) -> str:
    if row.removed_at:
        return "removed"
    if row.syndicated_from:
        return "copy"
    if row.admission == BEFORE_SINCE:
        return "before since"  # matched, but published before the story
    if row.admission == UPDATED_SINCE:
        return "tracked (updated)"  # an old page updated to mention the story
    return "tracked" if row.relevant else "not matching"


def article_record(row: ArticleRow) -> dict[str, object]:
    """One article for JSON: times in ISO 8601 (UTC), lists as lists."""
    record = row.as_dict()
    for key, value in record.items():
        if isinstance(value, (dt.datetime, dt.date)):
            record[key] = value.isoformat()
    record["status"] = article_status(row)
    return record


def article_csv_row(row: ArticleRow) -> dict[str, object]:
    """One value per cell: lists joined by "; "."""
    return {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in article_record(row).items()}


def article_cells(row: ArticleRow, zone: ZoneInfo) -> tuple[str, ...]:
    return (
        str(row.id), row.outlet, _local(row.published_at, zone), _local(row.first_seen_at, zone),
        row.title or "", row.url, str(row.versions), article_status(row),
    )


def print_articles(rows: list[ArticleRow], output: str, zone: ZoneInfo) -> None:
    if output == "json":
        typer.echo(json.dumps([article_record(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if output == "csv":
        records = [article_csv_row(r) for r in rows]
        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]) if records else ["id"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return
    if not rows:
        typer.echo("no articles")
        return
    print_table(ARTICLE_COLUMNS, [article_cells(r, zone) for r in rows], wide=frozenset({"title", "url"}))


def print_table(columns: Sequence[str], rows: Sequence[Sequence[str]], wide: frozenset[str] = frozenset()) -> None:
    """A rich table on a terminal; plain, untruncated, tab-separated lines
    when piped or on a dumb terminal (rich honours NO_COLOR itself)."""
    console = terminal_console()
    if console is None:
        typer.echo("\t".join(columns))
        for row in rows:
            typer.echo("\t".join(row))
        return
    table = Table(box=None, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold" if column in wide else "ellipsis", no_wrap=column not in wide,
                         justify="right" if column in ("id", "versions") else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def terminal_console() -> Console | None:
    """rich's console for standard output when it is a real terminal."""
    console = Console()
    if not console.is_terminal or console.is_dumb_terminal:
        return None
    return console


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
    if article.churn_count:
        typer.echo(f"  {article.churn_count} fetch(es) changed only around the article (chrome): no version;"
                   " the latest pages are kept in churn_fetch")
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


def print_rejudged(judged: Sequence[RejudgedPage], output: str, zone: ZoneInfo, dry_run: bool) -> None:
    """The kept churn pages judged again: every one in JSON; in a table the
    ones that are not churn any more, then the counts."""
    if output == "json":
        typer.echo(json.dumps({"dry_run": dry_run, "pages": [page.as_dict() for page in judged]}, indent=2))
        return
    shown = [page for page in judged if page.verdict not in ("churn", "same_content")]
    if shown:
        print_table(REJUDGE_COLUMNS, [_rejudged_cells(page, zone, dry_run) for page in shown],
                    wide=frozenset({"url"}))
    typer.echo(rejudge_summary(judged, dry_run))


REJUDGE_COLUMNS = ("id", "outlet", "fetched", "versus", "verdict", "url")


def _rejudged_cells(page: RejudgedPage, zone: ZoneInfo, dry_run: bool) -> tuple[str, ...]:
    verdict = page.verdict
    if page.written is not None:
        verdict = f"edit: version {page.written} written"
    elif page.before is not None:
        verdict = f"edit before version {page.before}: reported only"
    elif verdict == "edit" and dry_run:
        verdict = "edit: would be the next version"
    versus = f"v{page.versus}" if page.versus is not None else "-"
    return (str(page.article_id), page.outlet, _local(page.fetched_at, zone), versus, verdict, page.url)


def rejudge_summary(judged: Sequence[RejudgedPage], dry_run: bool = False) -> str:
    articles = len({page.article_id for page in judged})
    edits = [page for page in judged if page.verdict == "edit"]
    earlier = sum(1 for page in edits if page.before is not None)
    newest = len(edits) - earlier
    still = sum(1 for page in judged if page.verdict == "churn")
    return (f"judged {_count(len(judged), 'kept page')} of {_count(articles, 'article')} again: {still} still churn, "
            f"{_count(len(edits), 'edit')} ({newest} {'would be written' if dry_run else 'written'} as versions, "
            f"{earlier} fetched before a later version: reported only), "
            f"{len(judged) - still - len(edits)} other")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class NotFound(LookupError):
    """What the user asked for is not there; the message says so in one line."""


def _version_range(numbers: Sequence[int]) -> str:
    if not numbers:
        return "no versions"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return f"version {numbers[0]}" if len(numbers) == 1 else f"versions {numbers[0]}-{numbers[-1]}"
    return "versions " + ", ".join(map(str, numbers))


def print_diff(
    sessions: sessionmaker[Session], article_id: int, from_number: int | None, to_number: int | None, color: bool
) -> None:
    """Print the diff; raise NotFound naming what is missing."""
    with sessions() as session:
        if session.get(Article, article_id) is None:
            raise NotFound(f"no article {article_id}")
        numbers = list(
            session.scalars(
                select(ArticleVersion.number).where(ArticleVersion.article_id == article_id).order_by(ArticleVersion.number)
            )
        )
        has = f"article {article_id} has {_version_range(numbers)}"
        missing = [n for n in (from_number, to_number) if n is not None and n not in numbers]
        if missing and not numbers:
            raise NotFound(has)
        if missing:
            raise NotFound(f"{has}, not {missing[0]}")
        to_number = to_number or (numbers[-1] if numbers else None)
        if from_number is None and to_number is not None:
            from_number = max((n for n in numbers if n < to_number), default=None)
        if from_number is None or to_number is None or from_number == to_number:
            raise NotFound(f"{has}: nothing to compare")
        old, new = (
            session.scalars(
                select(ArticleVersion).where(ArticleVersion.article_id == article_id, ArticleVersion.number == number)
            ).one()
            for number in (from_number, to_number)
        )
    typer.echo(render_diff(old, new, color))


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
        lines.append(f"byline: {', '.join(old.authors)} -> {', '.join(new.authors)}")
    # The article's change: each side without the page around it (its
    # chrome lines), as the version's change was measured; what changed
    # around it is counted after.
    ops = sentence_diff(identity_text(old.text, old.chrome_lines), identity_text(new.text, new.chrome_lines))
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
    gone, came = around_changes(old.text, old.chrome_lines, new.text, new.chrome_lines)
    if gone or came:
        lines.append(f"(the page around the article, left out of its identity: {gone} line(s) gone, {came} new)")
    return "\n".join(lines)


def around_changes(old_text: str, old_chrome: Sequence[int] | None, new_text: str, new_chrome: Sequence[int] | None
                   ) -> tuple[int, int]:
    """How many of the lines around the article (chrome) went, and how many came, between two versions."""
    def around(text: str, chrome: Sequence[int] | None) -> Counter[str]:
        lines = text.split("\n")
        return Counter(normalise_text(lines[i]) for i in left_out(text, chrome) if i < len(lines) and lines[i].strip())

    before, after = around(old_text, old_chrome), around(new_text, new_chrome)
    return (before - after).total(), (after - before).total()


@dataclasses.dataclass(frozen=True, slots=True)
class StatusReport:
    """What ``status`` says."""

    story: str
    relevant_articles: int
    due_revisits: int
    snapshot_may_be_stale: bool
    crawls: list[CrawlRun]
    outlets: dict[str, list[str]]
    last_digest: DigestRun | None
    digests_failed: int
    next_runs: dict[str, dt.datetime]
    # Pages kept as churn that an older extractor judged: `rejudge` reads them again.
    churn_pages_to_rejudge: int = 0

    def as_json(self) -> dict[str, object]:
        """For scripts (``status --format json``): times in ISO 8601 (UTC)."""
        return {
            "story": self.story,
            "relevant_articles": self.relevant_articles,
            "due_revisits": self.due_revisits,
            "snapshot_may_be_stale": self.snapshot_may_be_stale,
            "churn_pages_to_rejudge": self.churn_pages_to_rejudge,
            "crawls": [
                {"crawl_run": r.id, "started_at": _iso(r.started_at), "kind": r.kind, "status": r.status,
                 "fetched": r.fetched, "new_articles": r.new_articles, "new_versions": r.new_versions,
                 "errors": r.errors, "message": r.message}
                for r in self.crawls
            ],
            "outlets": self.outlets,
            "last_digest": (
                {"day": self.last_digest.digest_date.isoformat(), "sent_at": _iso(self.last_digest.sent_at)}
                if self.last_digest else None
            ),
            "digests_failed": self.digests_failed,
            "next": {name: _iso(when) for name, when in self.next_runs.items()},
        }


def status_report(sessions: sessionmaker[Session], config: Config, *, may_be_stale: bool = False) -> StatusReport:
    from storywatch.health import next_runs, outlet_health

    now = utcnow()
    with sessions() as session:
        runs = recent_crawl_runs(session, 5)
        due = count_due(session, now)
        tracked = session.scalar(select(func.count()).select_from(Article).where(Article.relevant)) or 0
        last_digest = session.scalars(
            select(DigestRun).where(DigestRun.status == "sent").order_by(DigestRun.digest_date.desc()).limit(1)
        ).first()
        failed_digests = session.scalar(select(func.count()).select_from(DigestRun).where(DigestRun.status == "failed"))
        health = outlet_health(session, config)
        to_rejudge = session.scalar(select(func.count()).select_from(ChurnFetch)
                                    .where(ChurnFetch.extractor_version != EXTRACTOR_VERSION))
    return StatusReport(
        story=config.story.name,
        relevant_articles=tracked,
        due_revisits=due,
        snapshot_may_be_stale=may_be_stale,
        crawls=runs,
        outlets=health,
        last_digest=last_digest,
        digests_failed=failed_digests or 0,
        next_runs=next_runs(config, session_factory=sessions, now=now),
        churn_pages_to_rejudge=to_rejudge or 0,
    )


def print_status(report: StatusReport, output: str, zone: ZoneInfo) -> None:
    if output == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"story: {report.story}; {report.relevant_articles} relevant articles; "
               f"{report.due_revisits} due for a revisit")
    if report.snapshot_may_be_stale:
        typer.echo("note: the database is on a read-only file system and was opened as a snapshot: "
                   "a crawl writing to it now is not seen")
    typer.echo("last crawls:")
    if not report.crawls:
        typer.echo("  none yet")
    for run in report.crawls:
        typer.echo(
            f"  #{run.id} {_local(run.started_at, zone)} {run.kind:<18} {run.status:<11} fetched {run.fetched}, "
            f"new {run.new_articles}, versions {run.new_versions}, errors {run.errors}"
            + (f" -- {run.message}" if run.message else "")
        )
    typer.echo("outlets:")
    for key, problems in report.outlets.items():
        typer.echo(f"  {key:<16} " + ("; ".join(problems) if problems else "ok"))
    if report.last_digest is not None:
        typer.echo(f"last digest sent: {report.last_digest.digest_date} at {_local(report.last_digest.sent_at, zone)}")
    else:
        typer.echo("last digest sent: none")
    if report.digests_failed:
        typer.echo(f"digests waiting after a failed send: {report.digests_failed}")
    if report.churn_pages_to_rejudge:
        typer.echo(f"pages kept as churn that an older extractor judged: {report.churn_pages_to_rejudge}"
                   " (storywatch rejudge judges them again)")
    for name, when in report.next_runs.items():
        typer.echo(f"next {name}: {_local(when, zone)}")
