"""Discovery parsers: robots.txt Sitemap lines, XML sitemaps (indexes, Google
News, gzipped), RSS/Atom/JSON feeds, feed auto-discovery and article links on
section pages.  Pure functions over bytes; they never raise on bad input,
they raise DiscoveryError with a reason the crawl logs and counts."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Sequence

import feedparser
import lxml.html
from lxml import etree

from crawler.component_links import anchor_component_links
from crawler.metadata import parse_datetime
from crawler.textdecode import decode_html
from crawler.urls import canonicalize_url, compile_patterns, is_article_url


class DiscoveryError(ValueError):
    """A feed, sitemap or page that cannot be read; the message is the reason."""


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A URL found by discovery, with the dates the source gave for it."""

    url: str
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    title: str | None = None
    keywords: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Sitemap:
    is_index: bool
    entries: tuple[Candidate, ...]


def robots_sitemaps(robots_txt: bytes, base: str) -> list[str]:
    """The robots.txt Sitemap lines, in the spellings crawlers accept
    ("Sitemap:", "Site-map:", "site map:")."""
    found: list[str] = []
    for line in robots_txt.decode("utf-8", errors="replace").splitlines():
        key, sep, value = line.partition(":")
        if sep and re.sub(r"[\s_-]", "", key).lower() == "sitemap":
            url = canonicalize_url(value.strip(), base)
            if url and url not in found:
                found.append(url)
    return found


def maybe_gunzip(body: bytes, max_bytes: int) -> bytes:
    """Decompress a gzipped sitemap, refusing to inflate past ``max_bytes``."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            while chunk := stream.read(65536):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise DiscoveryError(f"gzip bomb: inflates past {max_bytes} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(f"bad gzip data: {exc}") from None
    return out.getvalue()


def _xml_parser() -> etree.XMLParser:
    # No entity expansion (billion laughs), no DTD loading, no network.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, recover=True, remove_comments=True
    )


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


_TEXT_SITEMAP_LINE = re.compile(rb"^\s*https?://\S+\s*$", re.I)
_LOC_OPEN = re.compile(rb"<(?:[\w.-]+:)?loc\b[^>]*>", re.I)
_LOC_CLOSE = re.compile(rb"</(?:[\w.-]+:)?loc\s*>", re.I)


def _text_sitemap(body: bytes, base: str) -> Sitemap | None:
    """A plain-text sitemap (one URL a line), or None when the body is not one."""
    lines = [line for line in body.lstrip(b"\xef\xbb\xbf").splitlines() if line.strip()]
    if not lines or not all(_TEXT_SITEMAP_LINE.match(line) for line in lines[:20]):
        return None
    entries = []
    for line in lines:
        if _TEXT_SITEMAP_LINE.match(line):
            url = canonicalize_url(line.strip().decode("utf-8", "replace"), base)
            if url:
                entries.append(Candidate(url))
    return Sitemap(is_index=False, entries=tuple(entries))


def _last_loc_cut_off(body: bytes) -> bool:
    """Whether the body ends inside a <loc> (a sitemap truncated in transfer)."""
    opened = [m.start() for m in _LOC_OPEN.finditer(body[-4096:])]
    closed = [m.start() for m in _LOC_CLOSE.finditer(body[-4096:])]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


def parse_sitemap(body: bytes, base: str, max_bytes: int = 50_000_000) -> Sitemap:
    """An XML sitemap or index, a plain-text sitemap, or a feed listed as a
    sitemap (sitemaps.org allows RSS and Atom there)."""
    body = maybe_gunzip(body, max_bytes)
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<", b"{")) and (plain := _text_sitemap(body, base)):
        return plain
    try:
        root = etree.fromstring(body, parser=_xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise DiscoveryError(f"malformed sitemap XML: {exc}") from None
    if root is None:
        raise DiscoveryError("malformed sitemap XML: no root element")
    kind = _local(root.tag)
    if kind in ("rss", "feed", "rdf"):
        return Sitemap(is_index=False, entries=tuple(parse_feed(body, base)))
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap (root element <{kind}>)")
    nodes = [node for node in root if _local(node.tag) in ("url", "sitemap")]
    if nodes and _last_loc_cut_off(body):
        nodes.pop()  # its URL is cut off: fetching it would only 404
    entries: list[Candidate] = []
    for node in nodes:
        fields: dict[str, str] = {}
        keywords: tuple[str, ...] = ()
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if not text or name in fields:
                continue
            parent = _local(child.getparent().tag) if child.getparent() is not None else ""
            if name in ("loc", "lastmod") and child.getparent() is node:
                fields[name] = text
            elif name in ("publication_date", "title") and parent == "news":
                # Only Google News' own title: image:title and video:title
                # name a picture or a clip, not the article.
                fields[name] = text
            elif name == "keywords" and parent == "news":
                keywords = tuple(k.strip() for k in text.split(",") if k.strip())
        url = canonicalize_url(fields.get("loc", ""), base)
        if not url:
            continue
        entries.append(
            Candidate(
                url=url,
                published=parse_datetime(fields.get("publication_date")),
                updated=parse_datetime(fields.get("lastmod")),
                title=fields.get("title"),
                keywords=keywords,
            )
        )
    return Sitemap(is_index=kind == "sitemapindex", entries=tuple(entries))


_DAY_IN_URL = re.compile(r"(20\d\d|19\d\d)[-_/.]?(0[1-9]|1[0-2])[-_/.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_IN_URL = re.compile(r"(20\d\d|19\d\d)[-_/.](0?[1-9]|1[0-2])(?![\d])")
_QUERY_DATE = re.compile(r"(?:yyyy|year)=(\d{4})(?:&(?:mm|month)=(\d{1,2}))?(?:&(?:dd|day)=(\d{1,2}))?")
_YEAR_IN_URL = re.compile(r"[-_/](20\d\d|19\d\d)(?:\.xml|/|$)")


def archive_period_end(url: str) -> dt.date | None:
    """The last day an archive sitemap can cover, read from its URL
    ("sitemap-2024-11.xml", "/2024/11/26/", "?yyyy=2024&mm=11"); None if undated."""
    try:
        if match := _DAY_IN_URL.search(url):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _QUERY_DATE.search(url):
            year = int(match[1])
            if match[2] and match[3]:
                return dt.date(year, int(match[2]), int(match[3]))
            if match[2]:
                month = int(match[2])
                return dt.date(year, month, calendar.monthrange(year, month)[1])
            return dt.date(year, 12, 31)
        if match := _MONTH_IN_URL.search(url):
            year, month = int(match[1]), int(match[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        if match := _YEAR_IN_URL.search(url):
            return dt.date(int(match[1]), 12, 31)
    except ValueError:
        return None
    return None


def child_sitemap_reaches(entry: Candidate, since: dt.date) -> bool:
    """Whether a child of a sitemap index may hold URLs from ``since`` on."""
    if entry.updated is not None and entry.updated.date() < since:
        return False
    end = archive_period_end(entry.url)
    return end is None or end >= since


def candidate_before(candidate: Candidate, since: dt.date) -> bool:
    """Known to predate the story (by publication date, else last modification)."""
    when = candidate.published or candidate.updated
    return when is not None and when.date() < since


# -- feeds -------------------------------------------------------------------


def _struct_to_datetime(value: object) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_json_feed(body: bytes, base: str) -> list[Candidate]:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise DiscoveryError(f"malformed JSON feed: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DiscoveryError("not a JSON feed (no items list)")
    found = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        url = canonicalize_url(link, base) if isinstance(link, str) else None
        if url:
            title = item.get("title")
            found.append(
                Candidate(
                    url=url,
                    published=parse_datetime(item.get("date_published")),
                    updated=parse_datetime(item.get("date_modified")),
                    title=title if isinstance(title, str) else None,
                )
            )
    return found


def parse_feed(body: bytes, base: str, charset: str | None = None) -> list[Candidate]:
    """Entries of an RSS, Atom or JSON feed; ``charset``: the one its
    response's Content-Type names (feedparser weighs it against the XML
    declaration as RFC 3023 says; without it, a feed that declares none is
    read as UTF-8, then windows-1252)."""
    head = body[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _parse_json_feed(body, base)
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    # Bytes, never a str: feedparser would treat a string as a URL or path.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False,
                              response_headers=headers)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no feed found"
        raise DiscoveryError(f"malformed feed: {reason}")
    found: list[Candidate] = []
    html_links = _atom_html_links(body)
    if len(html_links) != len(parsed.entries):
        html_links = [None] * len(parsed.entries)
    for entry, html_link in zip(parsed.entries, html_links, strict=True):
        link = html_link or entry.get("link")
        if not link:
            for alt in entry.get("links", []):
                if alt.get("rel") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        url = canonicalize_url(link, base) if isinstance(link, str) else None
        if not url:
            continue
        found.append(
            Candidate(
                url=url,
                published=_struct_to_datetime(entry.get("published_parsed")),
                # Only a real <updated>: feedparser otherwise aliases the published date.
                updated=_struct_to_datetime(entry.get("updated_parsed")) if "updated" in entry else None,
                title=entry.get("title"),
            )
        )
    if parsed.get("bozo") and not found:
        raise DiscoveryError(f"malformed feed: {parsed.get('bozo_exception') or 'no usable entries'}")
    return found


_ATOM = "{http://www.w3.org/2005/Atom}"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _atom_html_links(body: bytes) -> list[str | None]:
    """Per Atom entry, the link it marks explicitly as the HTML alternate.
    feedparser gives a bare ``<link href>`` the same rel and type, and takes
    the last one as the entry's link, so the choice is read from the XML."""
    try:
        root = etree.fromstring(body, parser=_xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None or root.tag != f"{_ATOM}feed":
        return []
    found: list[str | None] = []
    for entry in root.iter(f"{_ATOM}entry"):
        explicit = [
            link.get("href")
            for link in entry.iter(f"{_ATOM}link")
            if link.get("rel") == "alternate" and (link.get("type") or "").split(";")[0].strip() in _HTML_TYPES
        ]
        found.append(next((href for href in explicit if href), None))
    return found


# -- HTML pages --------------------------------------------------------------

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")


def _html_tree(body: bytes, charset: str | None) -> lxml.html.HtmlElement:
    # Decoded as an article page is (crawler.textdecode: the response's
    # charset, a BOM, the page's declaration, UTF-8): lxml alone reads bytes
    # as Latin-1 until a <meta charset> it has not reached yet, or that the
    # page leaves to its HTTP header, and a link typed in UTF-8
    # ("/artikel/über-sora") became another address.
    text = decode_html(body, charset)
    try:
        tree = lxml.html.document_fromstring(
            text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", huge_tree=False, no_network=True))
    except (etree.ParserError, ValueError) as exc:
        raise DiscoveryError(f"unparseable HTML: {exc}") from None
    anchor_component_links(tree, text)
    return tree


def feed_links(body: bytes, base: str, charset: str | None = None) -> list[str]:
    """Feeds a page advertises with <link rel="alternate" type="...">;
    ``charset``: the one its response's Content-Type names."""
    tree = _html_tree(body, charset)
    found = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in _FEED_TYPES and link.get("href"):
            url = canonicalize_url(link.get("href", ""), base)
            if url and url not in found:
                found.append(url)
    return found


def article_links(body: bytes, base: str, patterns: Sequence[str] = (), charset: str | None = None) -> list[str]:
    """Links on a section page that look like articles (by URL shape);
    ``charset``: the one its response's Content-Type names."""
    return _shaped_links(_html_tree(body, charset).iter("a"), base, compile_patterns(patterns))


# Where an article's own body is, in the markup news sites use, most
# telling first; links in the navigation, rails and footers around it are
# not the article's.
_BODY_XPATHS = (
    "//article",
    "//*[@itemprop='articleBody']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]",
    "//main",
)


def body_links(body: bytes, base: str, limit: int = 100, charset: str | None = None) -> list[str]:
    """Links inside an article's body ("Related:", "Read more" links to
    follow-up coverage), before any judgement of their shape or host; none
    when no body element is found."""
    try:
        tree = _html_tree(body, charset)
    except DiscoveryError:
        return []
    return links_in_body(tree, base, limit)


def links_in_body(tree: lxml.html.HtmlElement, base: str, limit: int = 100) -> list[str]:
    """``body_links`` on a page already parsed."""
    for xpath in _BODY_XPATHS:
        containers = tree.xpath(xpath)
        if containers:
            # Several <article> elements: the story is the one with the most
            # text, the others are teaser cards.
            container = max(containers, key=lambda node: len(node.text_content()))
            break
    else:
        return []
    page_url = canonicalize_url(base)
    found: list[str] = []
    for anchor in container.iter("a"):
        url = canonicalize_url(anchor.get("href") or "", base) if anchor.get("href") else None
        if url and url != page_url and url not in found:
            found.append(url)
            if len(found) >= limit:
                break
    return found


def _shaped_links(anchors: Iterable[lxml.html.HtmlElement], base: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    found: list[str] = []
    for anchor in anchors:
        href = anchor.get("href")
        if not href:
            continue
        url = canonicalize_url(href, base)
        if url and url not in found and is_article_url(url, patterns):
            found.append(url)
    return found


def unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))
