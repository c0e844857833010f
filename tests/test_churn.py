"""Versions under churn, end to end (issue 20): a real crawl, then
``crawl --recheck`` after the page changed only around the article (a
dateline, a related link), then after a real edit."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import ReplicaSite, Reply, loopback_available, section_page
from tests.support.config import minimal_config, write_toml

PATH = "/2024/11/26/artists-leak-sora"
PAGE = """<!DOCTYPE html><html><head><title>Artists leak Sora</title>
<meta property="article:published_time" content="2024-11-26T10:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/ai">AI</a></nav>
<article><h1>Artists leak Sora</h1>
<p class="time">{when}</p>
<p>A group of artists who had early access to OpenAI's Sora video generator leaked access to the tool
on Tuesday, the group said in a statement.</p>
<p>The group, calling itself PR Puppets, published a project on Hugging Face that let anyone generate videos for
about three hours.</p>
<p>The artists said they were being used for unpaid labor and art washing by a company valued at {value} billion
dollars.</p>
<p><a href="/2024/11/20/{related}">{related_title}</a></p>
<p>OpenAI shut down the early access a few hours later, a spokesperson said, and paused the program for all
artists.</p>
</article>
<footer>Copyright Replica Media</footer></body></html>"""


class ChurnSite:
    """One outlet with one article whose page can change around it."""

    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.host = self.site.add_host("churn", "127.0.0.7")
        self.values = {"when": "3 hours ago", "value": "150", "related": "openai-dev-day-recap",
                       "related_title": "OpenAI's dev day, recapped"}
        self.host.route(PATH, lambda _info: Reply(200, self.page()))
        self.host.route("/", section_page([]))
        self.host.route("/ai", section_page([(PATH, "story")]))

    def page(self) -> bytes:
        return PAGE.format(**self.values).encode()

    def config(self, folder: Path, database_url: str) -> Path:
        outlet = {"key": "churn", "name": "Churn", "home": self.host.url("/"), "sections": [self.host.url("/ai")]}
        return write_toml(folder / "storywatch.toml", minimal_config(
            database_url, [outlet], crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5,
                                           "extract_workers": 1}))


@pytest.fixture
def churn_site() -> Iterator[ChurnSite]:
    if not loopback_available("127.0.0.7"):
        pytest.skip("loopback address 127.0.0.7 is not usable here")
    site = ChurnSite()
    yield site
    site.site.close()


@pytest.mark.slow
def test_a_page_changed_around_its_article_is_kept_as_churn_and_an_edit_is_a_version(
    churn_site: ChurnSite, tmp_path: Path, sqlite_url: str
) -> None:
    cli = Cli(churn_site.config(tmp_path, sqlite_url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    url = churn_site.host.url(PATH)
    assert [v.number for v in db_state(sqlite_url)["versions"][url]] == [1]

    churn_site.values |= {"when": "4 hours ago", "related": "apple-event-live", "related_title": "Apple's event, live"}
    churned = churn_site.page()
    cli("crawl", "--recheck")
    assert [v.number for v in db_state(sqlite_url)["versions"][url]] == [1]
    with closing(sqlite3.connect(tmp_path / "storywatch.db")) as db:
        [(article_id, churn_count)] = db.execute("SELECT id, churn_count FROM article").fetchall()
        kept = db.execute("SELECT raw_html FROM churn_fetch WHERE article_id = ?", (article_id,)).fetchall()
    assert churn_count == 1
    assert [zlib.decompress(raw) for (raw,) in kept] == [churned]
    assert "1 fetch(es) changed only around the article" in cli("history", str(article_id)).stdout

    churn_site.values |= {"value": "157"}  # a number inside a body sentence: an edit
    cli("crawl", "--recheck")
    assert [v.number for v in db_state(sqlite_url)["versions"][url]] == [1, 2]
