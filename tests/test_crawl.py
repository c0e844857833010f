"""End to end: the real `storywatch crawl` (Scrapy in a child process) against
the loopback replica of the outlets."""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import ArticleSpec, Handler, Reply, RequestInfo, article_html
from tests.story_site import RESPONSE, StorySite
from tests.support.config import update_config
from tests.support.daemon import wait_for

pytestmark = pytest.mark.slow


def test_first_crawl_stores_exactly_the_story(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    update_config(story_cli.config, crawl={"preload_extractor": True})  # the warm-up, as users run it
    result = story_cli("crawl")
    assert "crawl 1: ok" in result.stdout
    state = db_state(sqlite_url)
    relevant = {url for url, a in state["articles"].items() if a.relevant}
    assert relevant == story.relevant_urls
    for url in story.relevant_urls:
        assert len(state["versions"][url]) == 1, url
    for url in story.negative_urls:
        article = state["articles"][url]
        assert not article.relevant and state["versions"][url] == []

    # Nothing forbidden was requested: robots-disallowed, older than since,
    # an archive sitemap that ends before since, and any off-site host.
    for key, paths in story.forbidden_paths.items():
        assert not set(story.site.requested(key)) & paths, key
    assert story.site.requested("offsite") == []

    # Tracking parameters dropped; the seed's utm_source too.
    assert not any("utm_" in url for url in state["articles"])
    # The aggregator copy is its own article, linked to the original.
    copy = state["articles"][story.msn.url("/en-us/news/technology/artists-leak-sora/ar-AA1uv1")]
    assert copy.syndicated_from == story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")
    # Why it matched is stored.
    original = state["articles"][story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")]
    assert "sora" in original.match_terms and original.match_score > 0

    # Hostile sources are skipped with a reason, in the log and the run counts.
    run = state["runs"][-1]
    details = run.details
    assert details["errors"].get("bad_sitemap") == 1
    assert details["errors"].get("bad_feed") == 1
    assert details["errors"].get("redirect_loop") == 1
    assert details["skipped"]["robots_disallowed"] == 1
    assert details["skipped"]["offsite"] >= 1
    assert details["skipped"]["before_since"] >= 1
    assert details["skipped"]["sitemap_before_since"] == 1
    assert "bad_sitemap" in result.stderr and "redirect_loop" in result.stderr
    assert run.status == "ok" and run.new_versions == len(story.relevant_urls)
    # Scrapy's own counters reach the run record (the crawl's stats collector
    # is storywatch's, crawler.stats): every request the replica answered was
    # counted, and none twice.
    assert details["counts"]["requests"] == len(story.site.requests)
    # The mixed-encoding page was read (the bad byte replaced, the rest kept).
    mixed = state["versions"][story.verge.url("/2024/11/28/sora-leak-mixed-encoding")][0]
    assert "PR Puppets" in mixed.text


def test_admission_date_gate_shapes_and_related_links(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    """Issue 19 on the replica: the March 2024 article (reached from a section
    page and from a "Related:" link) matches but is recorded before_since; an
    old page updated to mention the story is admitted as updated_since and
    listed as such in the digest; a related link is followed one hop; MSN's
    ID-suffixed link is an article without per-outlet patterns, its video
    and pagination links are not."""
    story_cli("crawl")
    state = db_state(sqlite_url)
    march = state["articles"][story.verge.url("/2024/03/14/sora-artists-first-look")]
    assert not march.relevant and march.admission == "before_since" and state["versions"][march.url] == []
    assert "sora" in march.match_terms  # it did match: the dates decided
    updated = state["articles"][story.verge.url("/2024/02/15/openai-introduces-sora")]
    assert updated.relevant and updated.admission == "updated_since"
    respond = state["articles"][story.verge.url("/2024/11/28/sora-leak-artists-respond")]
    assert respond.discovered_via == "related"
    assert respond.discovered_from == story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")
    assert "/2024/11/30/sora-leak-two-hops-away" not in story.site.requested("verge")
    msn_requested = story.site.requested("msn")
    # MSN's ID-suffixed article is read through its content API (fetch = "msn"), never its shell page.
    assert "/content/view/v2/Detail/en-us/AA1uR2mn" in story.site.requested("msnapi")
    assert "/robots.txt" in story.site.requested("msnapi")  # the API host's robots.txt is obeyed too
    assert not [p for p in msn_requested if "/ar-AA" in p]
    assert not [p for p in msn_requested if "vi-AA" in p or "page=" in p or "/tag/" in p]
    assert "/tag/sora/" not in story.site.requested("verge")

    listing = {line.split("\t")[5]: line.split("\t")[-1] for line in story_cli("articles", "--all").stdout.splitlines()[1:]}
    assert listing[march.url] == "before since" and listing[updated.url] == "tracked (updated)"

    # The kept text of a page that was not admitted answers `query test`.
    tested = json.loads(story_cli("query", "test", "sora AND leak*", "--format", "json").stdout)
    taken = {d["url"]: d for d in tested["taken_in"]}
    assert march.url not in taken  # still before since, whatever the query
    launch = story.verge.url("/2024/12/09/openai-launches-sora-video-generator")
    assert launch not in taken  # no leak in it
    assert tested["without_text"] == 0 and tested["checked"] == len(state["articles"])
    broad = json.loads(story_cli("query", "test", "sora", "--format", "json").stdout)
    assert launch in {d["url"] for d in broad["taken_in"]}
    assert {d["url"] for d in broad["taken_in"]}.isdisjoint({march.url})
    narrow = json.loads(story_cli("query", "test", '"unpaid labor"', "--format", "json").stdout)
    dropped = {d["url"]: d for d in narrow["dropped"]}
    what_we_know = dropped[story.tc.url("/2024/11/27/sora-leak-what-we-know")]  # no "unpaid labor" in it
    assert "sora" in what_we_know["terms"] and what_we_know["candidate_terms"] == []  # why it was in, what is left
    assert story.tc.url("/2024/11/26/artists-leak-access-to-openais-sora") not in dropped  # LEAK says it
    assert narrow["relevant_after"] == narrow["relevant_now"] - len(dropped) + len(narrow["taken_in"])
    table = story_cli("query", "test", "sora").stdout
    assert "taken in" in table and launch in table
    # An unrelated page whose related-stories line names the story (in the
    # shipped query's words, within its lead) links to coverage; it is not
    # coverage, for the crawl and for `query test` on its kept text alike.
    phone = story.tc.url("/2024/12/04/phone-update-fixes-camera-bug")
    assert not state["articles"][phone].relevant and state["versions"][phone] == []
    assert phone not in {d["url"] for d in broad["taken_in"]}
    # A stored version is read so too: the artists' response names "Two
    # hops away" only in its related line, so that query would drop it.
    related_only = json.loads(story_cli("query", "test", '"two hops away"', "--format", "json").stdout)
    assert respond.url in {d["url"] for d in related_only["dropped"]}

    # The digest lists the updated page on a line of its own, not as new.
    day = updated.first_seen_day.isoformat()
    preview = story_cli("digest", "--date", day, "--dry-run").stdout
    new_part, _, rest = preview.partition("UPDATED TO MENTION THE STORY")
    assert "OpenAI introduces Sora" in rest and "OpenAI introduces Sora" not in new_part
    assert "Sora's first artists speak" not in preview


def test_second_crawl_fetches_no_known_page(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    story_cli("crawl")
    story.site.clear_log()
    story_cli("crawl")
    article_paths = {url.split("/", 3)[3] for url in db_state(sqlite_url)["articles"]}
    for key in ("verge", "tc", "msn"):
        fetched = {p.lstrip("/") for p in story.site.requested(key)}
        assert not fetched & article_paths, key
    state = db_state(sqlite_url)
    assert sum(len(v) for v in state["versions"].values()) == len(story.relevant_urls)
    assert state["runs"][-1].new_versions == 0


def test_outlet_option_limits_the_crawl(story: StorySite, story_cli: Cli, tmp_path: Path) -> None:
    # Scrapy's remote-control endpoint stays off: no token file appears
    # while the crawl runs (Scrapy removes it at a clean exit).
    state_home = tmp_path / "state"
    story.site.delay = 0.3
    seen: list[Path] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.extend(state_home.rglob("*.json"))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # Positive control: the watcher does see a token file written there.
        probe = state_home / "scrapy" / "job_files" / "probe.json"
        probe.parent.mkdir(parents=True)
        probe.write_text("{}")
        assert wait_for(lambda: seen, 5), "the watcher saw nothing"
        probe.unlink()
        seen.clear()
        story_cli("crawl", "--outlet", "tc", env={"XDG_STATE_HOME": str(state_home)})
    finally:
        done.set()
        watcher.join()
    story.site.delay = 0
    assert not seen
    assert story.site.requested("verge") == []
    assert story.site.requested("tc")
    bad = story_cli("crawl", "--outlet", "nope", check=False)
    assert bad.returncode == 2 and "unknown outlet" in bad.stderr


def test_crawl_without_network_ends_with_a_clear_summary(tmp_path, sqlite_url: str) -> None:
    """The shipped outlets, no network: every outlet fails, exit 1, no traceback."""
    from tests.conftest import REPO

    config = tmp_path / "storywatch.toml"
    text = (REPO / "storywatch.toml").read_text()
    text = text.replace('url = "sqlite:///storywatch.db"', f'url = "{sqlite_url}"')
    text = text.replace("timeout = 30", "timeout = 3\nretries = 0")
    # Every outlet host under the reserved .invalid name (RFC 2606): this
    # test can never reach a real outlet, even on a machine with a network.
    text = re.sub(r"(https?://[a-z0-9.-]+?)(?=[/\"])", r"\1.invalid", text)
    assert "theverge.com.invalid" in text and "theverge.com/" not in text
    config.write_text(text)
    cli = Cli(config, tmp_path)
    cli("db", "upgrade")
    # An unresolvable proxy-free environment: point every name at nothing.
    result = cli("crawl", check=False, env={"RES_OPTIONS": "attempts:1 timeout:1", "http_proxy": "", "https_proxy": ""})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "failed" in result.stdout
    assert "outlets that failed" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_follow_up_link_not_fetched_is_asked_again(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    """The links inside an admitted article are stored with it: a follow-up
    that could not be fetched (or a crawl killed before it) is a candidate
    again on the next crawl, though the article it is in is not fetched again."""
    path = "/2024/11/28/sora-leak-artists-respond"
    working = story.verge.routes[path]
    story.verge.routes[path] = lambda _info: Reply(503, b"try later")  # a 404 would be final
    story_cli("crawl")
    respond = story.verge.url(path)
    assert respond not in db_state(sqlite_url)["articles"]
    story.verge.routes[path] = working
    story.site.clear_log()
    story_cli("crawl")
    assert "/2024/11/26/sora-leak-artists-pr-puppets" not in story.site.requested("verge")  # not due: not fetched
    article = db_state(sqlite_url)["articles"][respond]
    assert article.relevant and article.discovered_via == "related"
    assert article.discovered_from == story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")


def test_a_dead_link_is_forgotten_by_every_article_holding_it(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    """A follow-up link two articles hold, and one written in another script
    (which Scrapy asks for percent-encoded), are forgotten by both articles
    once they are gone: the next crawl asks for neither."""
    dead = ["/2024/11/28/sora-leak-artists-respond", "/2024/11/29/sora-leak-künstler-reagieren"]
    asked = [quote(path) for path in dead]
    holders = ["/2024/11/26/sora-leak-artists-pr-puppets", "/2024/11/27/openai-pauses-sora-after-leak"]
    links = " ".join(f'<a href="{path}">more</a>' for path in dead)
    for path in holders:
        def with_links(info: RequestInfo, page: Handler = story.verge.routes[path]) -> Reply:
            reply = page(info)
            return dataclasses.replace(reply, body=reply.body.replace(b"</article>", f"<p>Read on: {links}</p></article>".encode()))
        story.verge.routes[path] = with_links
    for path in asked:  # first a failure that is not final: both articles keep the links
        story.verge.routes[path] = lambda _info: Reply(503, b"try later")
    story_cli("crawl")
    state = db_state(sqlite_url)["articles"]
    for holder in holders:
        assert {story.verge.url(path) for path in dead} <= set(state[story.verge.url(holder)].body_links or [])
    for path in asked:
        story.verge.routes[path] = lambda _info: Reply(404, b"gone for good")
    story.site.clear_log()
    story_cli("crawl")
    assert all(path in story.site.requested("verge") for path in asked)
    state = db_state(sqlite_url)["articles"]
    for holder in holders:
        assert not {story.verge.url(path) for path in dead} & set(state[story.verge.url(holder)].body_links or [])
    story.site.clear_log()
    story_cli("crawl")
    assert not set(asked) & set(story.site.requested("verge"))


def test_a_follow_up_link_in_another_script_is_known_once_fetched(story: StorySite, story_cli: Cli,
                                                                   sqlite_url: str) -> None:
    """Scrapy asks for a link written in another script percent-encoded; the
    article is recorded under the form the link was found in too, so the
    next crawl knows the link and does not fetch it again as new."""
    path = "/2024/11/29/sora-leak-künstler-reagieren"
    story.verge.route(quote(path), Reply(200, article_html(
        ArticleSpec(path, "Künstler reagieren auf das Sora-Leck", RESPONSE, "2024-11-29T10:00:00Z", site_name="The Verge",
                    canonical=story.verge.url(quote(path))),  # as the server writes its own URL
        story.verge.base)))
    holder = "/2024/11/26/sora-leak-artists-pr-puppets"
    page = story.verge.routes[holder]
    story.verge.routes[holder] = lambda info: dataclasses.replace(page(info), body=page(info).body.replace(
        b"</article>", f'<p>Auf Deutsch: <a href="{path}">die Reaktionen</a></p></article>'.encode()))
    story_cli("crawl")
    assert quote(path) in story.site.requested("verge")
    article = db_state(sqlite_url)["articles"][story.verge.url(quote(path))]
    assert article.relevant and article.discovered_via == "related"
    story.site.clear_log()
    story_cli("crawl")
    assert quote(path) not in story.site.requested("verge")  # known, and not due


def test_a_dead_follow_up_link_is_not_asked_for_again(story: StorySite, story_cli: Cli, sqlite_url: str) -> None:
    path = "/2024/11/28/sora-leak-artists-respond"
    story.verge.routes[path] = lambda _info: Reply(404, b"gone for good")
    story_cli("crawl")
    assert path in story.site.requested("verge")
    source = db_state(sqlite_url)["articles"][story.verge.url("/2024/11/26/sora-leak-artists-pr-puppets")]
    assert story.verge.url(path) not in (source.body_links or [])
    story.site.clear_log()
    story_cli("crawl")
    assert path not in story.site.requested("verge")
