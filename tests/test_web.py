"""The read-only web view: the real ``storywatch serve`` on the replica's
two-day database, its pages rendered in headless Chromium, the Atom feed
read by feedparser, the JSON API checked against its schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import feedparser
import lxml.html
import pytest

from tests.conftest import Cli
from tests.story_site import StorySite
from tests.support.mounts import tmpfs
from tests.support.web import Renderer, fetch, serving
from web import api
from web.app import CSP

HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)> Sora & "PR Puppets"'
HOSTILE_TEXT = 'A paragraph with <b>markup</b> and <script>alert("b")</script> in it.'


@pytest.fixture(scope="module")
def rendered_dom() -> Iterator[Renderer]:
    """The rendered DOM of a page, from one Chromium for the module's tests."""
    renderer = Renderer()
    yield renderer
    renderer.close()


def _articles(base: str) -> list[dict[str, object]]:
    status, _, body = fetch(base + "/api/articles")
    assert status == 200
    return list(json.loads(body)["articles"])


def _edited(base: str) -> dict[str, object]:
    return next(a for a in _articles(base) if int(str(a["versions"])) >= 2)


def _database(cli: Cli) -> Path:
    return cli.cwd / "storywatch.db"


def _make_hostile(database: Path, article_id: int) -> None:
    with closing(sqlite3.connect(database)) as conn, conn:
        conn.execute("UPDATE article SET title = ? WHERE id = ?", (HOSTILE_TITLE, article_id))
        conn.execute("UPDATE article_version SET title = ?, text = text || char(10) || ? WHERE article_id = ?",
                     (HOSTILE_TITLE, HOSTILE_TEXT, article_id))


@pytest.mark.slow
def test_the_pages_render_the_story_in_chromium(
    two_days: Cli, two_days_template: tuple[StorySite, Path], rendered_dom: Renderer
) -> None:
    site, _ = two_days_template
    with serving(two_days.config) as base:
        articles = _articles(base)
        assert len(articles) == len(site.relevant_urls)
        edited = _edited(base)

        home = rendered_dom(base + "/")
        bars = home.xpath('//*[local-name()="svg"][@id="timeline"]//*[local-name()="rect"][@class="new"]')
        assert sum(int(bar.get("data-count")) for bar in bars) == len(articles)
        assert home.xpath('//*[local-name()="svg"][@id="timeline"]//*[local-name()="rect"][@class="changed"]')
        today = dt.date.today().isoformat()
        changed_today = home.xpath(f'//section[@id="day-{today}"]//tr[contains(@class, "changed")]//a')
        assert any(a.get("href") == f"/articles/{edited['id']}" for a in changed_today)
        assert len(home.xpath('//table[@id="health"]//tr[@class="outlet"]')) == len(site.config_data("sqlite://")["outlets"])

        listing = rendered_dom(base + "/articles")
        assert len(listing.xpath('//table[@id="articles"]//tr[@class="article"]')) == len(articles)
        outlet = str(edited["outlet"])
        only = rendered_dom(f"{base}/articles?outlet={outlet}")
        shown = {int(tr.get("data-id")) for tr in only.xpath('//tr[@class="article"]')}
        assert shown == {int(str(a["id"])) for a in articles if a["outlet"] == outlet}
        changed = rendered_dom(f"{base}/articles?state=changed")
        assert {int(tr.get("data-id")) for tr in changed.xpath('//tr[@class="article"]')} == {
            int(str(a["id"])) for a in articles if int(str(a["versions"])) >= 2
        }
        assert changed.xpath('//select[@name="state"]/option[@selected]')[0].get("value") == "changed"
        word = str(edited["title"]).split()[0]
        searched = rendered_dom(f"{base}/articles?q={word}")
        assert int(str(edited["id"])) in {int(tr.get("data-id")) for tr in searched.xpath('//tr[@class="article"]')}
        nothing = rendered_dom(f"{base}/articles?q=zzyzxnothingmatches")
        assert nothing.xpath('//tr[@class="article"]') == []

        page = rendered_dom(f"{base}/articles/{edited['id']}")
        assert page.xpath('//div[@id="diff"]//ins') or page.xpath('//div[@id="diff"]//del')
        assert page.xpath('//div[@id="diff-side"]/div[@class="after"]//ins') or page.xpath(
            '//div[@id="diff-side"]/div[@class="before"]//del')
        assert len(page.xpath('//table[@id="versions"]//tr[@class="version"]')) == int(str(edited["versions"]))
        assert page.xpath('//p[@id="headline-diff"]/ins')[0].text_content() == edited["title"]
        assert page.xpath('//a[@id="live"]')[0].get("href") == edited["url"]
        assert page.xpath('//p[@id="why"]//span[@class="tag"]')  # the matched terms


@pytest.mark.slow
def test_crawled_text_is_escaped_and_never_runs(two_days: Cli, rendered_dom: Renderer) -> None:
    with serving(two_days.config) as base:
        edited = _edited(base)
    _make_hostile(_database(two_days), int(str(edited["id"])))
    # Version 2's page: windows-1252, as its response said (a stale <meta> says ISO-8859-2).
    page = '<html><head><meta charset="iso-8859-2"></head><body><p>Künstler – in Zürich</p></body></html>'
    with closing(sqlite3.connect(_database(two_days))) as conn, conn:
        conn.execute("UPDATE article_version SET raw_html = ?, http_charset = 'windows-1252'"
                     " WHERE article_id = ? AND number = 2", (zlib.compress(page.encode("cp1252")), int(str(edited["id"]))))
    with serving(two_days.config) as base:
        for path in ("/", "/articles", f"/articles/{edited['id']}", f"/articles/{edited['id']}?from=1&to=2"):
            status, headers, body = fetch(base + path)
            assert status == 200, path
            assert headers["content-security-policy"] == CSP
            html = body.decode()
            assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), path
            assert "&lt;script&gt;alert(" in html, path
            dom = rendered_dom(base + path)
            assert dom.xpath("//script") == [] and dom.xpath("//img") == [] and dom.xpath("//b") == [], path
        dom = rendered_dom(f"{base}/articles/{edited['id']}")
        assert dom.xpath('//h1[@id="headline"]')[0].text_content() == HOSTILE_TITLE
        status, headers, body = fetch(f"{base}/articles/{edited['id']}/versions/1/raw")
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert headers["content-security-policy"].startswith("sandbox")
        assert headers["x-content-type-options"] == "nosniff"
        assert body.lstrip().lower().startswith(b"<!doctype html") or b"<html" in body[:500].lower()
        # shown as storywatch read it, as UTF-8
        assert "Künstler – in Zürich" in fetch(f"{base}/articles/{edited['id']}/versions/2/raw")[2].decode()
        api_title = json.loads(fetch(f"{base}/api/articles/{edited['id']}")[2])["title"]
        assert api_title == HOSTILE_TITLE


@pytest.mark.slow
def test_only_get_and_nothing_is_written(two_days: Cli) -> None:
    database = _database(two_days)
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    with serving(two_days.config) as base:
        for path in ("/", "/articles", "/api/articles", "/digests", "/feeds/changes.atom"):
            assert fetch(base + path)[0] == 200
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status, headers, _ = fetch(base + "/articles", method=method)
            assert status == 405, method
            assert headers["content-security-policy"] == CSP
        status, _, body = fetch(base + "/no/such/page")
        assert status == 404 and b"no such page" in body
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


@pytest.mark.slow
def test_the_feed_and_the_api(two_days: Cli) -> None:
    with serving(two_days.config) as base:
        status, headers, body = fetch(base + "/feeds/changes.atom")
        assert status == 200 and headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(body)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.id.startswith("urn:uuid:") and feed.feed.updated
        assert any(link.rel == "self" for link in feed.feed.links)
        kinds = [entry.tags[0].term for entry in feed.entries]
        assert "new" in kinds and "changed" in kinds
        for entry in feed.entries:
            assert entry.id.startswith("urn:uuid:") and entry.updated_parsed and entry.link.startswith(base + "/articles/")
        again = feedparser.parse(fetch(base + "/feeds/changes.atom")[2])
        assert [e.id for e in again.entries] == [e.id for e in feed.entries]
        assert len({e.id for e in feed.entries}) == len(feed.entries)

        listing = api.ArticleListOut.model_validate_json(fetch(base + "/api/articles")[2])
        assert listing.total == len(listing.articles) > 0
        edited = next(a for a in listing.articles if a.versions >= 2)
        detail = api.ArticleDetailOut.model_validate_json(fetch(f"{base}/api/articles/{edited.id}")[2])
        assert [v.number for v in detail.versions] == list(range(1, edited.versions + 1))
        assert detail.versions[-1].change_kinds and all(v.text for v in detail.versions)
        yesterday = (dt.date.today() - dt.timedelta(days=2)).isoformat()
        changes = api.ChangesOut.model_validate_json(fetch(f"{base}/api/changes?since={yesterday}")[2])
        assert {c.kind for c in changes.changes} == {"new", "changed"}
        later = api.ChangesOut.model_validate_json(
            fetch(f"{base}/api/changes?since={changes.changes[0].fetched_at.isoformat().replace('+00:00', 'Z')}")[2]
        )
        assert later.changes and all(c.fetched_at >= changes.changes[0].fetched_at for c in later.changes)
        for bad in ("/api/changes", "/api/changes?since=yesterday", "/api/articles?outlet=nope", "/api/articles?page=0"):
            status, headers, body = fetch(base + bad)
            assert status == 400 and headers["content-type"] == "application/json", bad
            assert api.ErrorOut.model_validate_json(body).error
        schema = json.loads(fetch(base + "/api/schema.json")[2])
        assert set(schema) == set(api.SCHEMAS) and schema["/api/changes"]["title"] == "ChangesOut"
        assert json.loads(fetch(base + "/healthz")[2])["status"] == "ok"


def test_the_lines_left_out_of_a_versions_identity_are_marked(two_days: Cli) -> None:
    # A one-version article whose second line the extraction judged the
    # page around the article (its stored chrome_lines).
    with closing(sqlite3.connect(_database(two_days))) as conn, conn:
        article_id, text = conn.execute(
            "SELECT article_id, text FROM article_version WHERE article_id IN"
            " (SELECT article_id FROM article_version GROUP BY article_id HAVING COUNT(*) = 1)"
            " AND text LIKE '%' || char(10) || '%' || char(10) || '%' ORDER BY article_id LIMIT 1").fetchone()
        conn.execute("UPDATE article_version SET chrome_lines = '[1]' WHERE article_id = ?", (article_id,))
    lines = text.split("\n")
    assert lines[1].strip()
    with serving(two_days.config) as base:
        status, _, body = fetch(f"{base}/articles/{article_id}")
        assert status == 200
        page = lxml.html.fromstring(body)
        shown = page.xpath('//div[@id="text"]/p')
        assert [p.text_content() for p in shown] == [line for line in lines if line.strip()]
        assert [p.text_content() for p in shown if p.get("class") == "chrome"] == [lines[1]]
        assert page.xpath('//p[@id="chrome-note"]')
        detail = api.ArticleDetailOut.model_validate_json(fetch(f"{base}/api/articles/{article_id}")[2])
        assert [v.chrome_lines for v in detail.versions] == [[1]]
        # A body whose every line reads as chrome is its own identity: none is grey.
        with closing(sqlite3.connect(_database(two_days))) as conn, conn:
            conn.execute("UPDATE article_version SET chrome_lines = ? WHERE article_id = ?",
                         (json.dumps(list(range(len(lines)))), article_id))
        whole = lxml.html.fromstring(fetch(f"{base}/articles/{article_id}")[2])
        assert whole.xpath('//div[@id="text"]/p') and not whole.xpath('//p[@class="chrome"] | //p[@id="chrome-note"]')
        # Compared side by side, each side marks its own version's lines.
        edited = _edited(base)
        with closing(sqlite3.connect(_database(two_days))) as conn, conn:
            texts = [t for (t,) in conn.execute("SELECT text FROM article_version WHERE article_id = ? AND number <= 2"
                                                " ORDER BY number", (edited["id"],))]
            conn.execute("UPDATE article_version SET chrome_lines = CASE number WHEN 1 THEN '[0]' ELSE '[2]' END"
                         " WHERE article_id = ?", (edited["id"],))
        compared = lxml.html.fromstring(fetch(f"{base}/articles/{edited['id']}?from=1&to=2")[2])
        marked = [[" ".join(p.text_content().split()) for p in compared.xpath(f'//div[@id="diff-side"]/div[@class="{side}"]'
                                                                             '/p[@class="chrome"]')]
                  for side in ("before", "after")]
        assert marked == [[" ".join(texts[0].split("\n")[0].split())], [" ".join(texts[1].split("\n")[2].split())]]
        # Inline (narrow screens), a paragraph is grey when both versions call
        # its line so: here the last line of the old text, found again in the new.
        old_lines, new_lines = texts[0].split("\n"), texts[1].split("\n")
        kept = max(i for i, line in enumerate(old_lines) if line.strip() and line in new_lines)
        with closing(sqlite3.connect(_database(two_days))) as conn, conn:
            conn.execute("UPDATE article_version SET chrome_lines = ? WHERE article_id = ? AND number = 1",
                         (json.dumps([kept]), edited["id"]))
            conn.execute("UPDATE article_version SET chrome_lines = ? WHERE article_id = ? AND number = 2",
                         (json.dumps([new_lines.index(old_lines[kept])]), edited["id"]))
        inline = lxml.html.fromstring(fetch(f"{base}/articles/{edited['id']}?from=1&to=2")[2])
        grey = [" ".join(p.text_content().split()) for p in inline.xpath('//div[@id="diff"]/p[@class="chrome"]')]
        assert grey == [" ".join(old_lines[kept].split())] and inline.xpath('//p[@id="chrome-note"]')


@pytest.mark.slow
def test_the_view_serves_a_database_on_a_read_only_file_system(two_days: Cli) -> None:
    database = _database(two_days)
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with tmpfs("50m", "storywatch-web-ro-") as folder:
        shutil.copy(database, folder / "storywatch.db")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        env = {"STORYWATCH_DATABASE_URL": f"sqlite:///{folder / 'storywatch.db'}"}
        with serving(two_days.config, env=env) as base:
            for path in ("/", "/articles", "/digests", "/api/articles", "/feeds/changes.atom"):
                assert fetch(base + path)[0] == 200, path
            assert b'id="stale"' in fetch(base + "/")[2]
            assert json.loads(fetch(base + "/healthz")[2])["may_be_stale"] is True
        assert sorted(p.name for p in folder.iterdir()) == ["storywatch.db"]


def _yesterday() -> str:
    return (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.mark.slow
def test_digests_are_shown_as_sent(two_days: Cli, rendered_dom: Renderer) -> None:
    assert "sent" in two_days("digest", "--date", _yesterday()).stdout  # into the outbox: no [smtp] here
    sent = next((two_days.cwd / "outbox").glob("*.eml")).read_bytes()
    with serving(two_days.config) as base:
        listing = rendered_dom(base + "/digests")
        rows = listing.xpath('//table[@id="digests"]//tr[@class="digest"]')
        assert len(rows) == 1 and "sent" in rows[0].text_content()
        day = rendered_dom(f"{base}/digests/{_yesterday()}")
        subject = day.xpath('//strong[@class="subject"]')[0].text_content()
        assert f"Subject: {subject}".encode() in sent
        assert "NEW" in day.xpath('//pre[@class="message"]')[0].text_content().upper()
        status, headers, html = fetch(f"{base}/digests/{_yesterday()}/html")
        assert status == 200 and headers["content-security-policy"].startswith("sandbox") and b"<html" in html
        assert fetch(f"{base}/digests/2001-01-01")[0] == 404
        assert fetch(f"{base}/digests/not-a-day")[0] == 400


@pytest.mark.slow
def test_each_page_is_a_few_queries_and_each_uses_an_index(two_days: Cli) -> None:
    from storage.engine import make_readonly_engine, make_sessionmaker
    from storywatch.config import load_config
    from tests.support.web import QueryLog, asgi_get, plan_lines, plan_problems
    from web.app import create_app, settings_for

    two_days("digest", "--date", _yesterday())
    config = load_config(two_days.config, environ={})
    opened = make_readonly_engine(config.database.url)
    log = QueryLog(opened.engine)
    app = create_app(make_sessionmaker(opened.engine), settings_for(config, opened.may_be_stale))
    status, _, body = asgi_get(app, "/api/articles")
    articles = json.loads(body)["articles"]
    edited = next(a for a in articles if a["versions"] >= 2)
    paths = [
        "/", "/articles", f"/articles?outlet={edited['outlet']}&state=changed&sort=title&q=sora",
        "/articles?state=paywalled&sort=-published", f"/articles?state=removed&day={_yesterday()}&page=2",
        f"/articles/{edited['id']}", f"/articles/{edited['id']}?from=1&to=2", "/digests", f"/digests/{_yesterday()}",
        "/api/articles?q=leak*", f"/api/articles/{edited['id']}", "/api/changes?since=2020-01-01",
        "/feeds/changes.atom", "/healthz",
    ]
    log.take()
    database = _database(two_days)
    for path in paths:
        status, _, body = asgi_get(app, path)
        assert status == 200, (path, body[:300])
        statements = log.take()
        assert 1 <= len(statements) <= 10, (path, len(statements))
        assert plan_problems(database, statements) == [], path
        if path.startswith(("/feeds/", "/api/changes")):
            # Newest versions first through their time index, stopping at the limit.
            assert "ix_article_version_fetched_at" in "\n".join(plan_lines(database, statements)), path
    opened.engine.dispose()


@pytest.mark.slow
def test_paywalled_and_removed_filters(two_days: Cli) -> None:
    from storage.engine import make_readonly_engine, make_sessionmaker
    from storywatch.config import load_config
    from tests.support.web import asgi_get
    from web.app import create_app, settings_for

    database = _database(two_days)
    today = dt.date.today().isoformat()
    with closing(sqlite3.connect(database)) as conn, conn:
        first, second = (row[0] for row in conn.execute("SELECT id FROM article WHERE relevant ORDER BY id LIMIT 2"))
        conn.execute("UPDATE article_version SET is_partial = 1, partial_reason = 'paywall' WHERE article_id = ?", (first,))
        conn.execute("UPDATE article SET removed_at = ?, removed_day = ?, check_note = 'HTTP 410' WHERE id = ?",
                     (f"{today} 09:00:00.000000", today, second))
    config = load_config(two_days.config, environ={})
    opened = make_readonly_engine(config.database.url)
    app = create_app(make_sessionmaker(opened.engine), settings_for(config, opened.may_be_stale))

    def ids(query: str) -> list[int]:
        return [a.id for a in api.ArticleListOut.model_validate_json(asgi_get(app, "/api/articles?" + query)[2]).articles]

    assert ids("state=paywalled") == [first]
    assert ids("state=removed") == [second]
    listing = asgi_get(app, "/articles?state=paywalled")[2].decode()
    assert listing.count('class="article"') == 1 and "subscriber-only" in listing
    home = asgi_get(app, "/")[2].decode()
    assert f'<tr class="item removed"><td><span class="tag removed">removed</span></td>\n<td><a href="/articles/{second}">' in home
    opened.engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_the_view_on_postgresql_with_a_select_only_role(story: StorySite, tmp_path: Path, pg_url: str) -> None:
    import uuid

    import psycopg

    from tests.story_site import write_config

    cli = Cli(write_config(story, tmp_path, pg_url), tmp_path)
    cli("db", "upgrade")
    cli("crawl")
    admin = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        role = "web_" + uuid.uuid4().hex[:8]
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = {"STORYWATCH_DATABASE_URL": pg_url.replace("//storywatch@", f"//{role}@")}
    with serving(cli.config, env=reader) as base:
        articles = _articles(base)
        assert len(articles) == len(story.relevant_urls)
        for path in ("/", "/articles", "/articles?state=changed&sort=title", "/articles?state=paywalled",
                     f"/articles/{articles[0]['id']}", "/digests", "/feeds/changes.atom",
                     "/api/changes?since=2020-01-01", f"/api/articles/{articles[0]['id']}"):
            assert fetch(base + path)[0] == 200, path
        found = api.ArticleListOut.model_validate_json(fetch(base + "/api/articles?q=pauses")[2])
        assert 0 < found.total < len(articles)  # websearch_to_tsquery over the tsvector column
        assert any("pauses" in (a.title or "") for a in found.articles)
        assert fetch(base + '/api/articles?q="unbalanced')[0] in (200, 400)
