"""Notifications through Apprise: a JSON webhook on loopback gets each
digest once per target (across a refused connection and the retry), a
target added later starts that day, the daemon's change notice, and
``config check`` that validates URLs without sending or showing secrets."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from digest.notify import change_notice, notify_targets, summary
from digest.select import DigestContent
from storage.engine import make_engine, make_sessionmaker
from storage.models import CrawlRun, DigestRun
from storage.queries import ChangeRow
from storywatch.config import ConfigError, NotifyConfig, load_config
from tests.conftest import Cli
from tests.helpers import ledger
from tests.support.config import update_config
from tests.support.digests import service, today, tomorrow_morning
from tests.support.web import free_port

BASE_URL = "https://story.example.org/watch"


class Webhook:
    """A JSON webhook on loopback that records what it was sent."""

    def __init__(self, port: int) -> None:
        received: list[dict[str, Any]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 -- the http.server hook
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_port() -> int:
    return free_port()


@pytest.fixture
def webhooks() -> Iterator[list[Webhook]]:
    started: list[Webhook] = []
    yield started
    for hook in started:
        hook.close()


@pytest.mark.slow
def test_a_webhook_gets_each_digest_once_across_a_refused_connection(
    two_days: Cli, sqlite_url: str, webhook_port: int, webhooks: list[Webhook]
) -> None:
    update_config(two_days.config, notify={"urls": [f"json://127.0.0.1:{webhook_port}/hook"]}, web={"base_url": BASE_URL},
                  digest={"outbox": str(two_days.cwd / "outbox")})
    digests = service(two_days.config)
    [target] = digests.notifiers
    assert digests.register_targets() == {target.name: today()}  # configured today: no backlog before it

    # Nothing listens yet: the mail goes out, the notification fails and is recorded so.
    outcomes = digests.send_due(tomorrow_morning())
    assert [(o.target, o.status) for o in outcomes] == [("email", "sent"), ("email", "sent"), (target.name, "failed")]
    assert "json://" in outcomes[-1].detail and str(webhook_port) not in target.name
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    assert (yesterday, target.name, "failed") not in ledger(sqlite_url)
    assert (today().isoformat(), target.name, "failed") in ledger(sqlite_url)

    webhooks.append(hook := Webhook(webhook_port))
    outcomes = digests.send_due(tomorrow_morning())
    assert [(o.target, o.status) for o in outcomes] == [(target.name, "sent")]
    assert digests.send_due(tomorrow_morning()) == []
    assert digests.send_due(tomorrow_morning() + dt.timedelta(hours=3)) == []
    assert len(hook.received) == 1
    [message] = hook.received
    assert message["title"].endswith(f"({today().isoformat()})") and "changed" in message["title"]
    assert f"{BASE_URL}/digests/{today().isoformat()}" in message["message"]
    assert "Changed:" in message["message"]
    engine = make_engine(sqlite_url, immediate=False)
    with make_sessionmaker(engine)() as session:
        row = session.scalars(select(DigestRun).where(DigestRun.target == target.name)).one()
        assert (row.status, row.attempts, row.body_text, row.subject) == ("sent", 2, message["message"], message["title"])
    engine.dispose()
    # Never sent to it for the day before it was added, not even by the CLI.
    assert "digest notification" not in two_days("digest", "--date", yesterday, check=False).stdout


@pytest.mark.slow
def test_the_daemon_sends_a_change_notice_after_a_crawl_with_edits(
    two_days: Cli, sqlite_url: str, webhook_port: int, webhooks: list[Webhook]
) -> None:
    from schedules.daemon import Daemon

    update_config(two_days.config, notify={"urls": [f"json://127.0.0.1:{webhook_port}/hook"], "on": ["change"]},
                  web={"base_url": BASE_URL})
    config = load_config(two_days.config, environ={})
    sessions = make_sessionmaker(make_engine(config.database.url))
    webhooks.append(hook := Webhook(webhook_port))
    daemon = Daemon(config, str(two_days.config), sessions)
    try:
        assert daemon.digest.notifiers == []  # on = ["change"] only: digests go by mail alone
        with sessions() as session:
            first, recheck = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        daemon._notify_changes(first)  # new articles only: no notice
        assert hook.received == []
        daemon._notify_changes(recheck)
    finally:
        daemon.lock.release()
    [notice] = hook.received
    assert "changed" in notice["title"] and f"{BASE_URL}/articles/" in notice["message"]


def test_change_notice_and_summary_name_the_articles() -> None:
    at = dt.datetime(2024, 11, 27, 9, tzinfo=dt.UTC)
    rows = [
        ChangeRow(7, 70 + n, n, "verge", "The Verge", "https://verge.example/a", f"Headline {n}", at, ("headline",),
                  False, False, None)
        for n in (3, 2)
    ]
    title, body = change_notice(rows, "Sora leak", None)
    assert title == "Sora leak: 1 article changed"
    assert body == "Headline 3 (The Verge: headline) https://verge.example/a"
    empty = DigestContent(dt.date(2024, 11, 27), "Sora leak", {}, [], [])
    assert summary(empty, BASE_URL) == f"Nothing new that day.\n{BASE_URL}/digests/2024-11-27"


def test_targets_are_checked_without_sending_and_secrets_never_shown() -> None:
    config = NotifyConfig(urls=["json://127.0.0.1:9/hook", "ntfy://ntfy.example/storywatch"])
    secret = "tgram://123456789:AAHsecrettoken/4242/"
    targets = notify_targets(config, {"STORYWATCH_NOTIFY_URLS": f"  {secret}\n"})
    assert [(t.kind, t.from_env) for t in targets] == [("json", False), ("ntfy", False), ("tgram", True)]
    assert all("secrettoken" not in t.name + t.label for t in targets)
    with pytest.raises(ConfigError, match=r"^notify\.urls\[1\]: not a notification URL Apprise knows 'nope://x'$"):
        notify_targets(NotifyConfig(urls=["json://h/", "nope://x"]), {})
    with pytest.raises(ConfigError) as raised:
        notify_targets(config, {"STORYWATCH_NOTIFY_URLS": "json://ok/ nope://AAHsecrettoken"})
    assert str(raised.value).startswith("$STORYWATCH_NOTIFY_URLS: entry 2") and "secrettoken" not in str(raised.value)


def test_config_check_validates_notification_urls(story_cli: Cli) -> None:
    update_config(story_cli.config, notify={"urls": ["json://127.0.0.1:9/hook"], "on": ["digest", "change"]})
    env = {"STORYWATCH_NOTIFY_URLS": "tgram://123456789:AAHsecrettoken/4242/"}
    checked = story_cli("config", "check", env=env)
    assert "notify: 2 targets on digest+change: json (config), tgram ($STORYWATCH_NOTIFY_URLS)" in checked.stdout
    assert "secrettoken" not in checked.stdout + checked.stderr
    bad = story_cli("config", "check", check=False, env={"STORYWATCH_NOTIFY_URLS": "nope://AAHsecrettoken"})
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "$STORYWATCH_NOTIFY_URLS: entry 1" in bad.stderr and "secrettoken" not in bad.stderr + bad.stdout
    update_config(story_cli.config, notify={"urls": ["no scheme here"]})
    worse = story_cli("config", "check", check=False)
    assert worse.returncode == 2 and "notify.urls" in worse.stderr and worse.stderr.count("\n") == 1
    update_config(story_cli.config, notify={"urls": [], "on": ["sometimes"]})
    assert "notify.on.0" in story_cli("config", "check", check=False).stderr
