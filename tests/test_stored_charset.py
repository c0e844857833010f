"""A stored page is read again as it was read when fetched: decoded by the
charset its HTTP response declared, not by a stale <meta> (a page served as
UTF-8 whose template still says windows-1252).  Otherwise every re-reading
of it (after an extractor upgrade, the comparison of two pages, `rejudge`)
reads another text and calls it an edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from sqlalchemy import text

from crawler.spider import http_charset
from storage import record as recording
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storywatch.content import compress_html
from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import ReplicaSite, Reply, loopback_available, section_page
from tests.support.config import minimal_config, write_toml
from tests.test_record import POLICY, T0, ZONE, _content, _records

PATH = "/2024/11/27/sora-leak-zurich"
# An address typed in Cyrillic on the section page, and as the request
# line carries it (its UTF-8, percent-encoded).
TYPED_PATH = "/2024/11/28/sora-utechka-утечка"
REQUESTED_PATH = urllib.parse.quote(TYPED_PATH)
LEAD = "Künstler in Zürich nannten sich PR Puppets und ließen Sora für drei Stunden öffentlich laufen."
BODY = (
    "Die Gruppe sagte, OpenAI habe sie für unbezahlte Arbeit und Kunstwäsche benutzt.",
    "OpenAI erklärte, die Teilnahme am frühen Zugang sei freiwillig gewesen und man prüfe den Vorfall.",
    "Für einige Stunden konnte jeder kurze Clips erzeugen, bevor der Zugang geschlossen wurde.",
)


def page(lead: str = LEAD, ago: str = "vor 3 Stunden") -> bytes:
    """UTF-8 bytes under a <meta> that still says windows-1252."""
    paragraphs = f'<p class="time">{ago}</p>' + "".join(f"<p>{line}</p>" for line in (lead, *BODY))
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Sora-Leak in Zürich</title><meta property="article:published_time" content="2024-11-27T10:00:00Z">
</head><body><article><h1>Sora-Leak in Zürich</h1>{paragraphs}</article></body></html>""".encode()


class CharsetSite:
    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.host = self.site.add_host("charset", "127.0.0.8")
        self.body = page()
        self.host.route(PATH, lambda _info: self._reply())
        self.host.route("/", section_page([]))
        self.host.route(REQUESTED_PATH, page("Die Künstler erklärten am Donnerstag, warum sie Sora öffentlich machten."))
        # A section page in windows-1251, named by its Content-Type alone.
        self.host.route("/ai", section_page([(PATH, "Sora-Leak"), (TYPED_PATH, "Утечка Sora")]).decode().encode("cp1251"),
                        "text/html; charset=windows-1251")

    def _reply(self) -> Reply:
        return Reply(200, self.body, {"Content-Type": "text/html; charset=utf-8"})

    def config(self, folder: Path, database_url: str) -> Path:
        outlet = {"key": "charset", "name": "Charset", "home": self.host.url("/"), "sections": [self.host.url("/ai")]}
        return write_toml(folder / "storywatch.toml", minimal_config(
            database_url, [outlet], story={"query": "sora"},
            crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5, "extract_workers": 1}))


@pytest.fixture
def charset_site() -> Iterator[CharsetSite]:
    if not loopback_available("127.0.0.8"):
        pytest.skip("loopback address 127.0.0.8 is not usable here")
    site = CharsetSite()
    yield site
    site.site.close()


@pytest.mark.slow
def test_an_upgrade_reads_a_stored_page_by_the_charset_it_was_served_with(
        charset_site: CharsetSite, tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(charset_site.config(tmp_path, sqlite_url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    url = charset_site.host.url(PATH)
    [first] = db_state(sqlite_url)["versions"][url]
    assert "Zürich" in first.text and first.http_charset == "utf-8"
    # As after an upgrade: the stored version is re-extracted before
    # comparing; only the time above the article changed.
    with closing(sqlite3.connect(tmp_path / "storywatch.db")) as db, db:
        db.execute("UPDATE article_version SET extractor_version = 'old'")
    charset_site.body = page(ago="vor 4 Stunden")
    cli("crawl", "--recheck")
    assert [v.number for v in db_state(sqlite_url)["versions"][url]] == [1]
    with closing(sqlite3.connect(tmp_path / "storywatch.db")) as db:
        assert db.execute("SELECT http_charset FROM churn_fetch").fetchall() == [("utf-8",)]
    # The kept page judged again is read as it was served too.
    judged = json.loads(cli("rejudge", "--format", "json").stdout)["pages"]
    assert [page["verdict"] for page in judged] == ["churn"]
    charset_site.body = page(LEAD.replace("drei", "vier"))
    cli("crawl", "--recheck")
    assert [v.number for v in db_state(sqlite_url)["versions"][url]] == [1, 2]


def test_two_pages_are_compared_as_each_was_served(sqlite_url: str) -> None:
    """A redeploy's renamed class lets the extractor keep a box the page
    always had (umlauts in it): the previous page says it, read as it was
    served, so the fetch is churn."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    box = "Abonnieren Sie den Newsletter für Zürich: fünf Geschichten am Morgen."

    def fetch(hours: int, box_class: str, lines: list[str]) -> recording.FetchRecord:
        served = (f'<html><head><meta charset="windows-1252"></head><body><p>{LEAD}</p>'
                  f'<div class="{box_class}"><p>{box}</p></div></body></html>').encode()
        content = dataclasses.replace(_content(), text="\n".join(lines), content_hash="")
        return dataclasses.replace(_records()[0], fetched_at=T0 + dt.timedelta(hours=hours), content=content,
                                   raw_sha256=hashlib.sha256(served).hexdigest(), compressed_html=compress_html(served),
                                   http_charset="utf-8")

    with sessions.begin() as session:
        outlets = recording.ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, fetch(0, "newsletter", [LEAD]), outlets, POLICY, ZONE).new_version == 1
        redeployed = recording.record_fetch(session, fetch(1, "nl-3f9a", [LEAD, box]), outlets, POLICY, ZONE)
        assert (redeployed.new_version, redeployed.state) == (None, "churn")
        assert session.execute(text("SELECT http_charset FROM churn_fetch")).scalar_one() == "utf-8"


def test_a_link_typed_in_utf8_on_a_section_page_is_followed(
        charset_site: CharsetSite, tmp_path: Path, sqlite_url: str) -> None:
    """The section page is read in the charset its response names, as an
    article is: read otherwise (lxml's Latin-1, or UTF-8 then cp1252),
    "утечка" became "óòå÷êà", an address the site does not have."""
    cli = Cli(charset_site.config(tmp_path, sqlite_url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    [first] = db_state(sqlite_url)["versions"][charset_site.host.url(REQUESTED_PATH)]
    assert "Die Künstler erklärten" in first.text


def test_the_charset_a_response_names_is_read_as_a_browser_reads_it() -> None:
    def named(content_type: str | None) -> str | None:
        headers = {"Content-Type": content_type} if content_type else {}
        return http_charset(HtmlResponse("https://a.com/", headers=headers, body=b""))

    assert named('text/html; charset="windows-1251"') == "cp1251"  # quoted, as HTTP allows
    assert named("text/html;charset=UTF-8; foo=bar") == "utf-8"
    assert named("text/html; charset=iso-8859-1") == "cp1252"  # as browsers read Latin-1
    assert named("text/html; charset=no-such-codec") is None  # left to the page's <meta>
    assert named("text/html") is None
    assert named(None) is None
