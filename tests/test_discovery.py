"""Feed, sitemap and page parsing on strings written for these tests."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from crawler.discovery import (
    Candidate,
    DiscoveryError,
    archive_period_end,
    article_links,
    candidate_before,
    child_sitemap_reaches,
    feed_links,
    maybe_gunzip,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from tests.support.payloads import billion_laughs

SINCE = dt.date(2024, 11, 26)


def test_robots_sitemap_lines() -> None:
    robots = b"Sitemap: https://a.com/s1.xml\nUser-agent: *\nDisallow: /x\nsitemap:/s2.xml\n"
    assert robots_sitemaps(robots, "https://a.com/robots.txt") == ["https://a.com/s1.xml", "https://a.com/s2.xml"]


def test_google_news_sitemap() -> None:
    body = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://a.com/2024/11/26/x?utm_source=gn</loc><lastmod>2024-11-27T10:00:00Z</lastmod>
      <news:news><news:publication_date>2024-11-26T09:00:00+00:00</news:publication_date>
      <news:title>Sora leak</news:title><news:keywords>OpenAI, Sora</news:keywords></news:news></url></urlset>"""
    sitemap = parse_sitemap(body, "https://a.com/news.xml")
    assert not sitemap.is_index
    entry = sitemap.entries[0]
    assert entry.url == "https://a.com/2024/11/26/x"
    assert entry.published == dt.datetime(2024, 11, 26, 9, tzinfo=dt.UTC)
    assert entry.updated == dt.datetime(2024, 11, 27, 10, tzinfo=dt.UTC)
    assert entry.title == "Sora leak" and entry.keywords == ("OpenAI", "Sora")


def test_sitemap_index_gzip_and_archive_dates() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://a.com/sitemap-2024-10.xml</loc></sitemap>
      <sitemap><loc>https://a.com/sitemap-2024-11.xml.gz</loc></sitemap>
      <sitemap><loc>https://a.com/sitemap-7.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
      <sitemap><loc>https://a.com/sitemap-8.xml</loc></sitemap></sitemapindex>"""
    sitemap = parse_sitemap(gzip.compress(index), "https://a.com/")
    assert sitemap.is_index
    reaches = [child_sitemap_reaches(e, SINCE) for e in sitemap.entries]
    assert reaches == [False, True, False, True]
    assert archive_period_end("https://a.com/sitemaps/2024/11/26/") == dt.date(2024, 11, 26)
    assert archive_period_end("https://a.com/sitemap.xml?yyyy=2024&mm=02") == dt.date(2024, 2, 29)
    assert archive_period_end("https://a.com/sitemap_2023.xml") == dt.date(2023, 12, 31)
    assert archive_period_end("https://a.com/sitemap-3.xml") is None


def test_bad_sitemaps_raise_with_a_reason() -> None:
    with pytest.raises(DiscoveryError, match="not a sitemap"):
        parse_sitemap(b"<html><body>hi</body></html>", "https://a.com/")
    with pytest.raises(DiscoveryError, match="gzip"):
        parse_sitemap(b"\x1f\x8b\x08garbage", "https://a.com/")
    with pytest.raises(DiscoveryError):
        parse_sitemap(b"", "https://a.com/")


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(DiscoveryError, match="gzip bomb"):
        maybe_gunzip(bomb, max_bytes=1_000_000)


def test_billion_laughs_is_not_expanded() -> None:
    sitemap = billion_laughs("urlset") + (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.com/x&lol9;</loc></url></urlset>'
    )
    parsed = parse_sitemap(sitemap, "https://a.com/")
    assert [e.url for e in parsed.entries] == ["https://a.com/x"]  # the entity left unexpanded
    feed = billion_laughs("rss") + b'<rss version="2.0"><channel><title>&lol9;</title><item><link>https://a.com/y</link></item></channel></rss>'
    assert [e.url for e in parse_feed(feed, "https://a.com/")] == ["https://a.com/y"]


def test_feeds_rss_atom_json() -> None:
    rss = b"""<rss version="2.0"><channel><title>t</title><item><title>A</title>
      <link>https://a.com/2024/11/26/a?utm_medium=rss</link><pubDate>Tue, 26 Nov 2024 10:00:00 GMT</pubDate></item></channel></rss>"""
    [entry] = parse_feed(rss, "https://a.com/feed")
    assert entry.url == "https://a.com/2024/11/26/a"
    # A feed that declares no encoding, in the charset its response names.
    cyrillic = rss.replace(b"<title>A</title>", "<title>Утечка Sora</title>".encode("cp1251"))
    [entry] = parse_feed(cyrillic, "https://a.com/feed", charset="windows-1251")
    assert entry.title == "Утечка Sora"
    assert entry.published == dt.datetime(2024, 11, 26, 10, tzinfo=dt.UTC)
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>B</title>
      <link rel="alternate" href="/b"/><updated>2024-11-27T10:00:00Z</updated></entry></feed>"""
    [entry] = parse_feed(atom, "https://a.com/feed")
    assert entry.url == "https://a.com/b" and entry.updated is not None
    json_feed = (b'{"version": "https://jsonfeed.org/version/1.1", '
                 b'"items": [{"url": "https://a.com/c", "date_published": "2024-11-25T00:00:00Z"}]}')
    [entry] = parse_feed(json_feed, "https://a.com/feed.json")
    assert candidate_before(entry, SINCE)
    with pytest.raises(DiscoveryError):
        parse_feed(b"<rss><channel><item><title>broken &bogus;", "https://a.com/")
    with pytest.raises(DiscoveryError):
        parse_feed(b"{not json", "https://a.com/")


def test_section_links_and_feed_autodiscovery() -> None:
    page = b"""<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>
      <a href="/2024/11/26/sora-leak">a</a> <a href="/openai-sora-leak-artists-protest">b</a>
      <a href="/tag/openai/">tag</a> <a href="/about">about</a> <a href="https://other.com/2024/11/26/x">off</a>
      <a href="mailto:x@y.z">mail</a></body></html>"""
    links = article_links(page, "https://a.com/ai")
    assert links == [
        "https://a.com/2024/11/26/sora-leak",
        "https://a.com/openai-sora-leak-artists-protest",
        "https://other.com/2024/11/26/x",
    ]
    assert feed_links(page, "https://a.com/") == ["https://a.com/rss.xml"]
    # An address typed in UTF-8, on a page whose charset its response
    # names, or that its <meta> declares after a title in UTF-8: each read
    # in that charset, not as Latin-1 (lxml's default).
    typed = "<html><body><a href='/2024/11/28/sora-leak-künstler'>Künstler</a></body></html>"
    late = "<html><head><title>Künstler</title><meta charset='utf-8'></head>" + typed[6:]
    wanted = ["https://a.com/2024/11/28/sora-leak-künstler"]
    assert article_links(typed.encode(), "https://a.com/ai", charset="utf-8") == wanted
    assert article_links(late.encode(), "https://a.com/ai") == wanted
    cyrillic = "<a href='/2024/11/28/утечка-sora'>Утечка</a>".encode("cp1251")
    assert article_links(cyrillic, "https://a.com/ai", charset="windows-1251") == ["https://a.com/2024/11/28/утечка-sora"]
    msn = article_links(b'<a href="/en-us/news/technology/x/ar-AA1uv1">x</a><a href="/en-us/weather">w</a>',
                        "https://www.msn.com/", [r"^/[a-z]{2}-[a-z]{2}/.+/ar-[A-Za-z0-9]+"])
    assert msn == ["https://www.msn.com/en-us/news/technology/x/ar-AA1uv1"]


def test_undated_candidates_are_kept() -> None:
    assert not candidate_before(Candidate("https://a.com/x"), SINCE)


# -- issue 19: discovery shapes and the peer sitemap cases, in our own words ----


def test_robots_sitemap_spellings() -> None:
    robots = b"User-agent: *\nSite-map: /news-index.xml\nsite map: /other.xml\nSITEMAP:/third.xml\nSitemaps-old: /no.xml\n"
    assert robots_sitemaps(robots, "https://a.com/robots.txt") == [
        "https://a.com/news-index.xml", "https://a.com/other.xml", "https://a.com/third.xml",
    ]


def test_a_feed_listed_as_a_sitemap_is_read_as_a_feed() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>Sora leak</title><link>https://a.com/2024/11/26/sora-leak</link>
      <pubDate>Tue, 26 Nov 2024 12:00:00 GMT</pubDate></item></channel></rss>"""
    sitemap = parse_sitemap(rss, "https://a.com/feed.xml")
    assert not sitemap.is_index and [e.url for e in sitemap.entries] == ["https://a.com/2024/11/26/sora-leak"]
    assert sitemap.entries[0].published is not None
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>x</title><link href="https://a.com/x-y-z-w"/><updated>2024-11-26T12:00:00Z</updated></entry></feed>"""
    assert [e.url for e in parse_sitemap(gzip.compress(atom), "https://a.com/").entries] == ["https://a.com/x-y-z-w"]


def test_a_sitemap_cut_off_inside_a_loc_loses_only_that_url() -> None:
    whole = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://a.com/2024/11/26/first-story</loc></url>
      <url><loc>https://a.com/2024/11/26/second-story</loc></url>
      <url><loc>https://a.com/2024/11/26/third-story-with-a-long-name</loc></url></urlset>"""
    cut = whole[: whole.index(b"third-story") + len(b"third-st")]
    assert [e.url for e in parse_sitemap(cut, "https://a.com/").entries] == [
        "https://a.com/2024/11/26/first-story", "https://a.com/2024/11/26/second-story",
    ]
    between = whole[: whole.index(b"<url><loc>https://a.com/2024/11/26/third")]  # cut between entries: all kept
    assert len(parse_sitemap(between, "https://a.com/").entries) == 2
    assert len(parse_sitemap(whole, "https://a.com/").entries) == 3


def test_plain_text_sitemaps_plain_and_gzipped() -> None:
    text = b"https://a.com/2024/11/26/one\r\n\r\nhttps://a.com/2024/11/27/two\nhttps://a.com/2024/11/28/three?alt\n"
    for body in (text, gzip.compress(text), b"\xef\xbb\xbf" + text):
        sitemap = parse_sitemap(body, "https://a.com/sitemap.txt")
        assert [e.url for e in sitemap.entries] == [
            "https://a.com/2024/11/26/one", "https://a.com/2024/11/27/two", "https://a.com/2024/11/28/three?alt",
        ]
    with pytest.raises(DiscoveryError):
        parse_sitemap(b"this is not a sitemap\nat all\n", "https://a.com/sitemap.txt")


def test_atom_entry_takes_its_html_alternate() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>x</title><id>urn:1</id>
        <link href="https://a.com/api/entries/1.json"/>
        <link rel="alternate" type="text/html" href="https://a.com/2024/11/26/the-page"/>
        <updated>2024-11-26T12:00:00Z</updated></entry>
      <entry><title>z</title><id>urn:3</id>
        <link rel="alternate" type="text/html" href="https://a.com/2024/11/26/other-page"/>
        <link href="https://a.com/api/entries/3.json"/>
        <updated>2024-11-26T12:00:00Z</updated></entry>
      <entry><title>y</title><id>urn:2</id><link href="https://a.com/2024/11/27/only-link?alt"/>
        <updated>2024-11-27T12:00:00Z</updated></entry></feed>"""
    assert [e.url for e in parse_feed(atom, "https://a.com/")] == [
        "https://a.com/2024/11/26/the-page", "https://a.com/2024/11/26/other-page", "https://a.com/2024/11/27/only-link?alt",
    ]


def test_image_and_video_titles_are_not_the_news_title() -> None:
    body = b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
            xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
            xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
      <url><loc>https://a.com/2024/11/26/story</loc>
        <image:image><image:loc>https://a.com/i.jpg</image:loc><image:title>A photo caption</image:title></image:image>
        <video:video><video:title>A clip</video:title></video:video>
        <news:news><news:publication><news:name>A</news:name></news:publication>
          <news:publication_date>2024-11-26T10:00:00Z</news:publication_date><news:title>The real title</news:title>
        </news:news></url>
      <url><loc>https://a.com/2024/11/27/pictures</loc>
        <image:image><image:loc>https://a.com/j.jpg</image:loc><image:title>Only a caption</image:title></image:image></url>
    </urlset>"""
    first, second = parse_sitemap(body, "https://a.com/").entries
    assert first.title == "The real title" and first.published is not None
    assert second.title is None and second.url == "https://a.com/2024/11/27/pictures"


@pytest.mark.parametrize(
    ("path", "article"),
    [
        ("/2024/11/26/sora-leak", True),
        ("/2024/11/26/24306879/openai-sora-video-ai-model-leak", True),
        ("/2024-11-26/sora-leak", True),
        ("/openai-sora-leak-artists-protest", True),
        ("/en-us/news/technology/sora-leak/ar-AA1uR2mn", True),
        ("/news/sora-leak-artists-1234567", True),
        ("/news/sora-leak-artists-1234567.html", True),
        ("/culture/a62912345/sora-leak/", True),
        ("/tech/a62912345/", True),
        ("/24306879/openai-sora-leak", True),
        ("/sora-leak/1234567", True),
        ("/content/6f3a2b1c-1234-4bcd-9ef0-123456789abc", True),
        ("/tag/openai/", False),
        ("/topics/artificial-intelligence-and-machine-learning", False),
        ("/authors/kylie-robison-and-jay-peters", False),
        ("/category/ai/page/2", False),
        ("/ai-artificial-intelligence", False),
        ("/en-us/video/news/sora-clip/vi-AA1uZZzz", False),
        ("/video/sora-leak-explained-in-two-minutes", False),
        ("/ai?page=2", False),
        ("/2024/11/", False),
        ("/newsletters/the-daily-ai-briefing", False),
    ],
)
def test_article_url_shapes(path: str, article: bool) -> None:
    from crawler.urls import compile_patterns, is_article_url

    assert is_article_url("https://a.com" + path, compile_patterns()) is article


def test_links_inside_an_article_body_only() -> None:
    from crawler.discovery import body_links

    page = b"""<html><body><nav><a href="/2024/11/20/nav-story-link-here">nav</a></nav>
      <article><p>Text. <a href="/2024/11/27/follow-up">follow-up</a> and
      <a href="https://a.com/2024/11/26/this-page#top">itself</a></p></article>
      <article class="card"><a href="/2024/11/25/teaser">teaser</a></article>
      <aside><a href="/2024/11/24/most-read">most read</a></aside></body></html>"""
    assert body_links(page, "https://a.com/2024/11/26/this-page") == ["https://a.com/2024/11/27/follow-up"]
    assert body_links(b"<html><body><div><a href='/2024/11/27/x'>x</a></div></body></html>", "https://a.com/") == []
