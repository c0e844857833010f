"""fetch = "msn": MSN's content API, on strings and in a real crawl of a
replica MSN whose article pages are script-built shells and whose text is
in JSON on a second loopback address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.extract import extract_article
from crawler.msn import ContentError, content_api_url, content_page, is_content_json, read_content
from crawler.textdecode import page_html
from storage.engine import make_engine, make_sessionmaker
from storage.models import CrawlRun
from storywatch.config import ConfigError, parse_config
from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import Host, ReplicaSite, Reply, loopback_available, section_page
from tests.story_site import BACKFILL, LEAK, MSN_SHELL, msn_content
from tests.support.config import minimal_config, write_toml

API = "https://assets.msn.com/content/view/v2/Detail"


def test_the_api_url_of_an_article_url() -> None:
    url = "https://www.msn.com/en-us/news/technology/artists-leak-sora/ar-AA1uR2mn"
    assert content_api_url(url, API) == f"{API}/en-us/AA1uR2mn"
    assert content_api_url(url + "?ocid=BingNews", API + "/") == f"{API}/en-us/AA1uR2mn"
    assert content_api_url("https://www.msn.com/de-DE/nachrichten/sora/ar-BB9x", API) == f"{API}/de-de/BB9x"
    assert content_api_url("https://www.msn.com/news/sora/ar-AA12345", API) == f"{API}/en-us/AA12345"
    for no_id in ("https://www.msn.com/en-us/news/technology/sora-story",
                  "https://www.msn.com/en-us/video/news/sora-clip/vi-AA1uZZzz", "https://www.msn.com/en-us/ar-"):
        assert content_api_url(no_id, API) is None, no_id


def test_the_content_becomes_the_record_the_extractor_reads() -> None:
    payload = msn_content("Artists leak <b>Sora</b> & more", LEAK, "2024-11-26T16:00:00Z", ["Kylie Robison", "Jay Peters"],
                          provider="The Verge", source="https://www.theverge.com/2024/11/26/sora-leak",
                          abstract="Artists calling themselves PR Puppets leaked access.")
    assert is_content_json(payload) and not is_content_json(b"<!DOCTYPE html><html>")
    content = read_content(payload)
    assert (content.provider, content.source_href, content.authors) == (
        "The Verge", "https://www.theverge.com/2024/11/26/sora-leak", ("Kylie Robison", "Jay Peters"))
    page = content_page(content)
    assert "<title>Artists leak &lt;b&gt;Sora&lt;/b&gt; &amp; more</title>" in page
    extracted = extract_article(payload, "https://www.msn.com/en-us/news/technology/x/ar-AA1uv1")
    assert extracted is not None
    assert extracted.title == "Artists leak <b>Sora</b> & more"
    assert extracted.authors == ("Kylie Robison", "Jay Peters")
    assert extracted.published_at is not None and extracted.published_at.isoformat().startswith("2024-11-26T16:00")
    assert extracted.description == "Artists calling themselves PR Puppets leaked access."
    assert extracted.canonical_url == "https://www.theverge.com/2024/11/26/sora-leak"
    assert extracted.site_name == "The Verge"
    assert extracted.text.split("\n") == LEAK
    own = extract_article(msn_content("The Sora leak, explained", BACKFILL, "2024-11-29T08:00:00Z", [], provider="MSN"))
    assert own is not None and own.canonical_url is None and own.authors == ()


@pytest.mark.parametrize(("payload", "reason"), [
    (b"<html>not json</html>", "not JSON"),
    (b"{broken", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"title": "Only a title"}).encode(), "no title or body"),
    (json.dumps({"title": "x", "body": "   "}).encode(), "no title or body"),
])
def test_unusable_content_has_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(ContentError, match=reason):
        read_content(payload)
    assert extract_article(payload) is None or not is_content_json(payload)


def test_a_script_url_in_source_href_is_not_a_canonical() -> None:
    payload = json.dumps({"title": "t", "body": "<p>Body text here.</p>", "sourceHref": "javascript:alert(1)"}).encode()
    assert read_content(payload).source_href is None
    assert "canonical" not in page_html(payload)


def test_the_mode_is_validated_in_the_config() -> None:
    outlet = {"key": "msn", "name": "MSN", "home": "https://www.msn.com/"}
    assert parse_config(minimal_config("sqlite:///x.db", [{**outlet, "fetch": "msn"}])).outlets[0].fetch == "msn"
    with pytest.raises(ConfigError, match=r"outlets\[msn\]\.fetch: Input should be 'http', 'msn' or 'browser'"):
        parse_config(minimal_config("sqlite:///x.db", [{**outlet, "fetch": "carrier-pigeon"}]))
    with pytest.raises(ConfigError, match=r'outlets\[msn\]\.api_base: only for fetch = "msn"'):
        parse_config(minimal_config("sqlite:///x.db", [{**outlet, "api_base": API}]))
    with pytest.raises(ConfigError, match=r"outlets\[msn\]\.api_base: not an http"):
        parse_config(minimal_config("sqlite:///x.db", [{**outlet, "fetch": "msn", "api_base": "ftp://x/"}]))


# -- a crawl ---------------------------------------------------------------------


class MsnReplica:
    """MSN's section page and shells on one address, its content API on
    another: a piece of its own, a syndicated piece whose original outlet is
    not followed, and the API's failures."""

    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.msn: Host = self.site.add_host("msn", "127.0.0.7")
        self.api: Host = self.site.add_host("api", "127.0.0.8")
        articles: dict[str, bytes | Reply] = {
            "sora-leak-explained/ar-AA1own": msn_content("The Sora leak, explained", BACKFILL, "2024-11-29T08:00:00Z",
                                                          ["MSN staff"], provider="MSN"),
            "artists-leak-sora/ar-AA1copy": msn_content(
                "Artists leak OpenAI's Sora video tool in protest", LEAK, "2024-11-26T16:00:00Z", ["A. Writer"],
                provider="Wired", source="https://www.wired.example/story/sora-leak-artists/"),
            "sora-leak-server-error/ar-AA1err": Reply(500, b"oops"),
            "sora-leak-garbage/ar-AA1bad": Reply(200, b"{not json at all", {"Content-Type": "application/json"}),
            "sora-leak-unknown/ar-AA1gone": Reply(404, b"{}", {"Content-Type": "application/json"}),
        }
        for path, answer in articles.items():
            self.msn.route(f"/en-us/news/technology/{path}", MSN_SHELL)
            api_path = f"/content/view/v2/Detail/en-us/{path.rsplit('/ar-', 1)[1]}"
            self.api.route(api_path, answer, "application/json")
        self.msn.route("/", section_page([]))
        self.msn.route("/en-us/news/technology", section_page(
            [(f"/en-us/news/technology/{path}", "story") for path in articles]))

    def config(self, folder: Path, database_url: str) -> Path:
        outlet = {"key": "msn", "name": "MSN (replica)", "home": self.msn.url("/"),
                  "sections": [self.msn.url("/en-us/news/technology")], "fetch": "msn",
                  "api_base": self.api.url("/content/view/v2/Detail")}
        return write_toml(folder / "storywatch.toml", minimal_config(
            database_url, [outlet],
            story={"seeds": [self.msn.url("/en-us/news/technology/sora-leak-no-id-here")]},
            crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5, "retries": 1,
                   "extract_workers": 1},
            digest={"outbox": str(folder / "outbox")},
        ))


@pytest.fixture
def msn_replica() -> Iterator[MsnReplica]:
    if not loopback_available("127.0.0.8"):
        pytest.skip("loopback addresses 127.0.0.7-8 are not usable here")
    replica = MsnReplica()
    yield replica
    replica.site.close()


@pytest.mark.slow
def test_a_crawl_reads_msn_through_its_content_api(msn_replica: MsnReplica, tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(msn_replica.config(tmp_path, sqlite_url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    state = db_state(sqlite_url)
    m = msn_replica.msn
    own = state["articles"][m.url("/en-us/news/technology/sora-leak-explained/ar-AA1own")]
    copy = state["articles"][m.url("/en-us/news/technology/artists-leak-sora/ar-AA1copy")]
    assert own.relevant and copy.relevant
    [version] = state["versions"][own.url]
    assert version.title == "The Sora leak, explained" and version.authors == ["MSN staff"]
    assert version.text.split("\n") == BACKFILL
    assert copy.syndicated_from == "https://www.wired.example/story/sora-leak-artists/"
    assert copy.syndicated_provider == "Wired"
    # The shells are never fetched; the API host's robots.txt is asked first.
    assert not [p for p in msn_replica.site.requested("msn") if "/ar-" in p]
    assert msn_replica.site.requested("api")[0] == "/robots.txt"
    # Each failure is a per-page error with its reason; the crawl went on.
    engine = make_engine(sqlite_url, immediate=False)
    with make_sessionmaker(engine)() as session:
        run = session.scalars(select(CrawlRun)).one()
    engine.dispose()
    errors = run.details["errors"]
    assert errors.get("msn_no_id") == 1 and errors.get("msn_bad_content") == 1 and errors.get("msn_api_http_404") == 1
    assert errors.get("gave_up_http_500") == 1 or errors.get("http_500") == 1, errors
    assert len([u for u, a in state["articles"].items() if a.relevant]) == 2

    # The digest names the copy's publisher when that outlet is not followed.
    day = version.fetched_day.isoformat()
    preview = cli("digest", "--date", day, "--dry-run", check=False).stdout
    assert "Republished from Wired (https://www.wired.example/story/sora-leak-artists/)" in preview

    # A revisit asks the API again, with its validators: 304, no new version.
    cli("crawl", "--recheck")
    assert [len(v) for v in db_state(sqlite_url)["versions"].values() if v] == [1, 1]
    assert msn_replica.site.requested("api").count("/content/view/v2/Detail/en-us/AA1own") == 2
