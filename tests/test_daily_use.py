"""Daily use at the edges: a digest ledger that records only what was
delivered for a day that is over, read-only access, clean stops, one-line
errors, quiet logs, and a terminal-friendly CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from storywatch.logs import JsonFormatter, relay_lines
from tests.conftest import REPO, Cli
from tests.helpers import db_state, ledger
from tests.smtp import SmtpServer
from tests.story_site import StorySite, write_config
from tests.support.daemon import fast_schedule, start_daemon, stop, wait_for
from tests.support.digests import service, today, tomorrow_morning, with_smtp
from tests.support.mounts import tmpfs

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7])(?:;[0-9;]*)?m")


def yesterday() -> str:
    return (today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


# -- the ledger ------------------------------------------------------------------


@pytest.mark.slow
def test_a_day_that_is_not_over_is_refused_and_mailed_once_it_is(two_days: Cli, sqlite_url: str, smtp: SmtpServer) -> None:
    with_smtp(two_days.config, smtp.port)
    for day in (today().isoformat(), "2030-01-01"):
        result = two_days("digest", "--date", day, check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "is not over yet" in result.stderr
    assert smtp.messages == [] and ledger(sqlite_url) == []
    assert "CHANGED" in two_days("digest", "--date", today().isoformat(), "--dry-run").stdout
    outcomes = service(two_days.config).send_due(tomorrow_morning())
    assert [o.status for o in outcomes] == ["sent", "sent"]
    assert sorted(m["X-Storywatch-Day"] for m in smtp.messages) == [yesterday(), today().isoformat()]


@pytest.mark.slow
def test_outbox_beside_smtp_is_an_export_and_the_mailing_stays_due(
    two_days: Cli, sqlite_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    with_smtp(two_days.config, smtp.port)
    export = tmp_path / "export"
    result = two_days("digest", "--date", yesterday(), "--outbox", str(export))
    assert (export / f"storywatch-{yesterday()}.eml").exists() and (export / f"storywatch-{yesterday()}.html").exists()
    assert "still due" in result.stdout
    assert smtp.messages == [] and ledger(sqlite_url) == []
    assert "sent" in two_days("digest", "--date", yesterday()).stdout
    assert len(smtp.messages) == 1 and ledger(sqlite_url) == [(yesterday(), "email", "sent")]
    assert "for " + yesterday() + ": sent" in two_days("digest", "--date", yesterday(), "--outbox", str(export)).stdout


@pytest.mark.slow
def test_dry_run_previews_into_a_folder_and_records_nothing(two_days: Cli, sqlite_url: str, tmp_path: Path) -> None:
    preview = tmp_path / "preview"
    result = two_days("digest", "--date", yesterday(), "--dry-run", "--outbox", str(preview))
    assert "NEW COVERAGE" in result.stdout
    html = (preview / f"storywatch-{yesterday()}.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert ledger(sqlite_url) == []
    assert not (two_days.cwd / "outbox").exists()  # the configured outbox (the transport) was not used


@pytest.mark.slow
def test_a_failed_force_leaves_a_sent_day_sent(two_days: Cli, sqlite_url: str) -> None:
    server = SmtpServer().start()
    with_smtp(two_days.config, server.port)
    try:
        two_days("digest", "--date", yesterday())
        assert len(server.messages) == 1
    finally:
        server.stop()
    forced = two_days("digest", "--date", yesterday(), "--force", check=False)
    assert forced.returncode == 1 and "NOT sent" in forced.stdout and "stays recorded as sent" in forced.stdout
    assert ledger(sqlite_url) == [(yesterday(), "email", "sent")]
    again = SmtpServer(server.port).start()
    try:
        outcomes = service(two_days.config).send_due(tomorrow_morning())
        assert [(o.day.isoformat(), o.status) for o in outcomes] == [(today().isoformat(), "sent")]
        assert [m["X-Storywatch-Day"] for m in again.messages] == [today().isoformat()]
    finally:
        again.stop()


# -- read-only access -------------------------------------------------------------


def _reader_commands(article_id: int) -> list[tuple[str, ...]]:
    return [
        ("status",),
        ("articles",),
        ("articles", "--format", "json"),
        ("history", str(article_id)),
        ("diff", str(article_id)),
        ("digest", "--date", yesterday(), "--dry-run"),
    ]


def _edited_article(cli: Cli, env: dict[str, str] | None = None) -> int:
    rows = json.loads(cli("articles", "--format", "json", env=env).stdout)
    return next(row["id"] for row in rows if row["versions"] >= 2)


@pytest.fixture
def readonly_mount() -> Iterator[Path]:
    """A small tmpfs that the test remounts read-only (root ignores file modes)."""
    with tmpfs("50m", "storywatch-ro-") as folder:
        yield folder


@pytest.mark.slow
def test_readers_work_on_a_read_only_file_system(
    two_days: Cli, two_days_template: tuple[StorySite, Path], sqlite_url: str, readonly_mount: Path
) -> None:
    article_id = _edited_article(two_days)
    source = sqlite_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(source)) as conn:  # fold the WAL into the file: the copy is one file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, readonly_mount / "storywatch.db")
    subprocess.run(["mount", "-o", "remount,ro", str(readonly_mount)], check=True)
    env = {"STORYWATCH_DATABASE_URL": f"sqlite:///{readonly_mount / 'storywatch.db'}"}
    for command in _reader_commands(article_id):
        result = two_days(*command, check=False, env=env)
        assert result.returncode == 0, (command, result.stderr)
    status = two_days("status", env=env).stdout
    site, _ = two_days_template
    assert "read-only file system" in status and f"{len(site.relevant_urls)} relevant articles" in status
    assert json.loads(two_days("status", "--format", "json", env=env).stdout)["snapshot_may_be_stale"] is True
    assert sorted(os.listdir(readonly_mount)) == ["storywatch.db"]
    written = two_days("digest", "--date", yesterday(), check=False, env=env)  # claims the day: a write
    assert written.returncode == 1 and "Traceback" not in written.stderr
    assert written.stderr.count("\n") == 1 and "cannot use the database" in written.stderr


def _without_capabilities(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as root without capabilities: file modes apply, as for an analyst's account."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed")
    return subprocess.run(
        ["setpriv", "--bounding-set", "-all", "--inh-caps", "-all", "--",
         sys.executable, "-m", "storywatch.cli", "--config", str(cli.config), *args],
        cwd=cli.cwd, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.slow
def test_a_reader_who_cannot_write_the_file_follows_a_live_crawl(
    story: StorySite, story_cli: Cli, sqlite_url: str
) -> None:
    story_cli("crawl")
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    for path in database.parent.glob("storywatch.db*"):
        path.chmod(0o444)  # the crawl (root with its capabilities) still writes; the reader cannot
    article_id = json.loads(story_cli("articles", "--format", "json").stdout)[0]["id"]
    story.state = 2
    story.site.delay = 0.3
    crawl = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "--config", str(story_cli.config), "crawl", "--recheck"],
        cwd=story_cli.cwd, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: any(r.status == "running" and r.pid for r in db_state(sqlite_url)["runs"]), 30)
        for command in (("status",), ("articles",), ("history", str(article_id)), ("digest", "--dry-run", "--date", yesterday())):
            result = _without_capabilities(story_cli, *command)
            assert result.returncode == 0, (command, result.stderr)
        assert "#2" in _without_capabilities(story_cli, "status").stdout  # the running crawl is seen
        refused = _without_capabilities(story_cli, "digest", "--date", yesterday())  # a write
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    finally:
        assert crawl.wait(120) == 0
    assert "#2" in _without_capabilities(story_cli, "status").stdout


@pytest.mark.postgres
@pytest.mark.slow
def test_readers_work_with_a_select_only_postgres_role(story: StorySite, tmp_path: Path, pg_url: str) -> None:
    import psycopg

    cli = Cli(write_config(story, tmp_path, pg_url), tmp_path)
    cli("db", "upgrade")
    story_crawls = cli("crawl")
    assert story_crawls.returncode == 0
    admin = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        role = "reader_" + uuid.uuid4().hex[:8]  # roles are shared by the cluster's databases
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = {"STORYWATCH_DATABASE_URL": pg_url.replace("//storywatch@", f"//{role}@")}
    rows = json.loads(cli("articles", "--format", "json", env=reader).stdout)
    for command in _reader_commands(rows[0]["id"])[:4]:
        result = cli(*command, check=False, env=reader)
        assert result.returncode == 0, (command, result.stderr)
    refused = cli("digest", "--date", yesterday(), check=False, env=reader)  # a write
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr


def test_only_db_upgrade_creates_a_database(story: StorySite, tmp_path: Path) -> None:
    database = tmp_path / "missing.db"
    cli = Cli(write_config(story, tmp_path, f"sqlite:///{database}"), tmp_path)
    for command in (("status",), ("articles",), ("history", "1"), ("diff", "1"), ("crawl",), ("rematch",),
                    ("digest", "--dry-run"), ("digest", "--date", "2024-11-26"), ("run",)):
        result = cli(*command, check=False, timeout=60)
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr == f"error: no database at {database}: run `storywatch db upgrade`\n", command
    assert not database.exists() and not list(tmp_path.glob("missing.db*"))
    cli("db", "upgrade")
    assert database.exists()


def test_a_database_behind_the_code_is_refused_until_upgraded(story: StorySite, tmp_path: Path) -> None:
    from storage.migrate import upgrade

    database = tmp_path / "storywatch.db"
    url = f"sqlite:///{database}"
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")  # a file, but not ours
    cli = Cli(write_config(story, tmp_path, url), tmp_path)
    stale = cli("status", check=False)
    assert stale.returncode == 1
    assert stale.stderr == f"error: the database {url} is not up to date (at no schema): run `storywatch db upgrade`\n"
    upgrade(url, "0011")
    for command in (("articles",), ("crawl",)):  # a reader and a writer
        result = cli(*command, check=False)
        assert result.returncode == 1 and "is not up to date (at 0011)" in result.stderr, command
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM crawl_run").fetchone() == (0,)  # refused before it began


# -- stopping ---------------------------------------------------------------------------


def _crawl_processes(run_id: int, config: Path) -> list[int]:
    """Processes still running for crawl ``run_id`` of this config (its
    child: other tests' databases number their runs from 1 too)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--run-id" in cmdline and str(run_id).encode() in cmdline and str(config).encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stopped_crawl_ends_its_child_and_is_recorded_interrupted(
    story: StorySite, story_cli: Cli, sqlite_url: str, signum: signal.Signals, code: int
) -> None:
    story.site.delay = 0.5  # a crawl that lasts
    crawl = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "--config", str(story_cli.config), "crawl"],
        cwd=story_cli.cwd, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    running = wait_for(lambda: next((r for r in db_state(sqlite_url)["runs"] if r.status == "running" and r.pid), None), 30)
    assert running is not None and _crawl_processes(running.id, story_cli.config)
    if signum == signal.SIGINT:
        os.killpg(crawl.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
    else:
        crawl.send_signal(signal.SIGTERM)  # kill(1), systemd: the command alone
    out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == code, err[-3000:]
    assert ": interrupted in" in out
    wait_for(lambda: not _crawl_processes(running.id, story_cli.config), 15)
    assert _crawl_processes(running.id, story_cli.config) == []
    [run] = db_state(sqlite_url)["runs"]
    assert run.status == "interrupted" and run.message == f"stopped by {signum.name}"


# -- logs ---------------------------------------------------------------------------------


def test_a_childs_records_are_relayed_as_written_and_any_other_line_becomes_a_record() -> None:
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    child = JsonFormatter().format(logging.makeLogRecord(
        {"name": "crawler.pipeline", "msg": "saved %d", "args": (3,), "levelno": logging.INFO, "levelname": "INFO",
         "crawl_run": 7, "created": 1732700000.25}))
    raw = [b"Exception ignored in: <function Pool.__del__>\n", b'{"not": "a record"}\n', b"\xff bytes\r\n"]
    try:
        relay_lines([child.encode() + b"\n", b"\n", *raw], "schedules.crawljob", {"crawl_run": 7})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    events = [json.loads(line) for line in written.getvalue().splitlines()]
    assert events[0] == json.loads(child)
    assert [(e["logger"], e["level"], e["message"], e["event"], e["crawl_run"]) for e in events[1:]] == [
        ("schedules.crawljob", "WARNING", "Exception ignored in: <function Pool.__del__>", "raw_output", 7),
        ("schedules.crawljob", "WARNING", '{"not": "a record"}', "raw_output", 7),
        ("schedules.crawljob", "WARNING", "\ufffd bytes", "raw_output", 7),
    ]


def test_a_crawl_child_stopped_while_starting_exits_130_with_one_line(
    story_cli: Cli, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import crawler.__main__ as child
    import crawler.run

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # SIGINT before Scrapy's handler is installed

    monkeypatch.setattr(child, "setup_logging", lambda *args: None)  # keep pytest's handlers
    monkeypatch.setattr(crawler.run, "run_crawl", interrupted)
    try:
        code = child.main(["--config", str(story_cli.config), "--run-id", "1"])
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped: Python prints its traceback on the crawl's stderr")
    assert code == 130
    assert [r.getMessage() for r in caplog.records] == ["the crawl was stopped while starting"]


def _json_line(line: str) -> dict[str, Any]:
    try:
        event: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError:
        pytest.fail(f"not a JSON line on the daemon's stderr: {line!r}")
    return event


@pytest.mark.slow
def test_the_daemon_logs_one_json_line_per_event_and_a_stop_mid_crawl_is_interrupted(
    story: StorySite, story_cli: Cli, sqlite_url: str
) -> None:
    fast_schedule(story_cli.config, crawl_every="8s")
    daemon = start_daemon(story_cli, "--log-format", "json")
    try:
        # The daemon with several crawls, discoveries and revisits.
        wait_for(lambda: len([r for r in db_state(sqlite_url)["runs"] if r.status != "running"]) >= 4, 60)
        # Then SIGTERM while a (slow) crawl runs.
        story.site.delay = 0.5
        running = wait_for(lambda: next((r for r in db_state(sqlite_url)["runs"] if r.status == "running" and r.pid), None), 30)
        assert running is not None
    finally:
        code, err = stop(daemon)
    assert code == 0, err[-3000:]
    stopped = next(r for r in db_state(sqlite_url)["runs"] if r.id == running.id)
    assert stopped.status == "interrupted" and stopped.message == "stopped by SIGTERM"
    assert _crawl_processes(running.id, story_cli.config) == []
    runs = [r for r in db_state(sqlite_url)["runs"] if r.id != running.id]
    assert len(runs) >= 3
    events = [_json_line(line) for line in err.splitlines()]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(e) for e in events)
    info = [e for e in events if e["level"] == "INFO"]
    assert not [e for e in info if e["logger"].split(".")[0] in ("apscheduler", "scrapy", "twisted", "alembic")]
    finished = [e for e in info if e.get("event") == "crawl_finished"]
    started = [e for e in info if e.get("event") == "crawl_started"]
    assert len(finished) == len(runs) + 1 and all(isinstance(e["crawl_run"], int) for e in finished)
    other = [e for e in info if e not in finished and e not in started]
    # Besides one start and one end line per crawl: the daemon's start, the
    # signal and its stop.
    assert len(other) <= 4, other
    assert all(not e["message"].startswith(("Running job", "Job ", "Scrapy", "Versions")) for e in events)


# -- the terminal -------------------------------------------------------------------------


def _on_a_terminal(cli: Cli, *args: str, env: dict[str, str] | None = None, stream: str = "stdout") -> str:
    """Run the CLI with stdout (or stderr) on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "--config", str(cli.config), *args],
        cwd=cli.cwd, env={**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLUMNS": "160", **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=follower if stream == "stdout" else subprocess.DEVNULL,
        stderr=follower if stream == "stderr" else subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(240)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_colour_follows_the_terminal_and_no_color(two_days: Cli) -> None:
    article_id = _edited_article(two_days)
    assert COLOUR.search(_on_a_terminal(two_days, "diff", str(article_id)))
    assert not COLOUR.search(_on_a_terminal(two_days, "diff", str(article_id), env={"NO_COLOR": "1"}))
    assert "\x1b[" not in _on_a_terminal(two_days, "diff", str(article_id), env={"TERM": "dumb"})
    piped = two_days("diff", str(article_id)).stdout
    assert "\x1b[" not in piped and ("{+" in piped or "[-" in piped)
    table = _on_a_terminal(two_days, "articles")
    assert "published" in table and "first seen" in table and "http://" in table
    assert not COLOUR.search(_on_a_terminal(two_days, "articles", env={"NO_COLOR": "1"}))  # bold is not colour
    assert "\x1b[" not in _on_a_terminal(two_days, "articles", env={"TERM": "dumb"})


@pytest.mark.slow
def test_crawl_progress_on_a_terminal_is_a_table_apart_from_the_log(story: StorySite, story_cli: Cli) -> None:
    story.site.delay = 0.7  # robots.txt, then the feed: its warning comes while the table is shown
    shown = _on_a_terminal(story_cli, "crawl", stream="stderr", env={"COLUMNS": "400"})
    plain = ANSI.sub("", shown)
    assert "extracting" in plain and "stored" in plain and "verge" in plain
    lines = [line for chunk in plain.splitlines() for line in chunk.split("\r")]
    warnings = [line for line in lines if "WARNING" in line]
    assert warnings, plain[-3000:]
    # Each log line starts with its own time stamp: nothing glued in front of it.
    own_start = re.compile(r"\s*(\[[\d/ :]+\])?\s*WARNING|\d{4}-\d\d-\d\d [\d:,]+ WARNING")
    assert all(own_start.match(line) for line in warnings), [ascii(w[:60]) for w in warnings]


@pytest.mark.slow
def test_articles_and_status_for_scripts(two_days: Cli) -> None:
    rows = json.loads(two_days("articles", "--format", "json").stdout)
    assert rows and all("T" in row["first_seen_at"] for row in rows)
    assert all(dt.datetime.fromisoformat(row["first_seen_at"]).tzinfo is not None for row in rows)
    csv_text = two_days("articles", "--format", "csv").stdout
    assert "[" not in csv_text and "Kylie Robison; Jay Peters" in csv_text
    status = json.loads(two_days("status", "--format", "json").stdout)
    assert status["relevant_articles"] == len(rows) and status["crawls"][0]["status"] == "ok"
    summary = json.loads(two_days("crawl", "--format", "json").stdout)
    assert summary["status"] == "ok" and isinstance(summary["fetched"], int)


def test_unknown_outlet_is_bad_usage_everywhere(story_cli: Cli) -> None:
    for command in (("articles", "--outlet", "nope"), ("crawl", "--outlet", "nope")):
        result = story_cli(*command, check=False)
        assert result.returncode == 2 and result.stderr.startswith("error: --outlet: unknown outlet 'nope'"), command


@pytest.mark.slow
def test_history_and_diff_name_what_is_missing(two_days: Cli) -> None:
    article_id = _edited_article(two_days)
    cases = {
        ("history", "999"): (1, "error: no article 999\n"),
        ("diff", "999"): (1, "error: no article 999\n"),
        ("diff", str(article_id), "--to", "5"): (1, f"error: article {article_id} has versions 1-2, not 5\n"),
        ("diff", str(article_id), "--from", "2", "--to", "1"): (2, "error: --from: must be an older version than --to\n"),
    }
    for command, (code, message) in cases.items():
        result = two_days(*command, check=False)
        assert (result.returncode, result.stderr) == (code, message), command
    zero = two_days("diff", str(article_id), "--from", "0", check=False)
    assert zero.returncode == 2 and zero.stderr.startswith("error: Invalid value for '--from'")
    assert zero.stderr.count("\n") == 1  # bad usage is one line, like a bad config


def test_version_help_and_init(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=tmp_path, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)

    assert re.fullmatch(r"storywatch \d+\.\d+\.\d+\S*\n", run("--version").stdout)
    assert "crawl" in run("-h").stdout and "--install-completion" in run("--help").stdout
    assert "crawl" in run().stdout  # no command: the help
    for args in (("crawl", "--bogus"), ("nosuch",), ("diff",)):
        bad = run(*args)
        assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1, args
    made = run("init", "site")
    assert made.returncode == 0 and "storywatch config check" in made.stdout
    assert (tmp_path / "site" / "storywatch.toml").read_bytes() == (REPO / "storywatch.toml").read_bytes()
    again = run("init", "site")
    assert again.returncode == 1 and "not overwritten" in again.stderr
    assert run("--config", "site/storywatch.toml", "config", "check").returncode == 0


def test_twisted_critical_events_are_log_lines_not_raw_text() -> None:
    # An unhandled Deferred error in the crawl child (seen when a crawl is
    # stopped mid-flight) must come out as a JSON line like every other.
    script = (
        "import gc\n"
        "from storywatch.logs import setup_logging\n"
        "setup_logging('INFO', 'json')\n"
        "from scrapy.utils.log import configure_logging\n"
        "configure_logging({'LOG_INSTALL_ROOT_HANDLER': False})\n"
        "from crawler.run import route_twisted_critical_events\n"
        "route_twisted_critical_events()\n"
        "from twisted.internet import defer\n"
        "d = defer.Deferred(); d.errback(RuntimeError('boom')); del d; gc.collect()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]  # every line is JSON
    assert any(e["level"] == "CRITICAL" and "Unhandled error in Deferred" in e["message"] for e in events), lines
