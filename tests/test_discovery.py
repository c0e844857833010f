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
    msn = article_links(b'<a href="/en-us/news/technology/x/ar-AA1uv1">x</a><a href="/en-us/weather">w</a>',
                        "https://www.msn.com/", [r"^/[a-z]{2}-[a-z]{2}/.+/ar-[A-Za-z0-9]+"])
    assert msn == ["https://www.msn.com/en-us/news/technology/x/ar-AA1uv1"]


def test_undated_candidates_are_kept() -> None:
    assert not candidate_before(Candidate("https://a.com/x"), SINCE)
