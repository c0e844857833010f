"""A replica of several outlets, served on loopback, each on its own address
(127.0.0.x) so each has its own robots.txt.  Pages can change between crawls
(``site.state = 2``), every request is logged, and hostile cases are served
on request.  Written for these tests; no page here comes from a real site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import gzip
import hashlib
import html
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[["RequestInfo"], "Reply"]


@dataclasses.dataclass(frozen=True, slots=True)
class RequestInfo:
    host: str
    path: str
    headers: dict[str, str]


@dataclasses.dataclass(slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    validators: bool = True  # send ETag / Last-Modified and honour them
    stall: threading.Event | None = None  # send part of the body, then wait for this


@dataclasses.dataclass(slots=True)
class ArticleSpec:
    path: str
    title: str
    paragraphs: list[str]
    published: str  # ISO date-time
    authors: list[str] = dataclasses.field(default_factory=lambda: ["Jane Reporter"])
    canonical: str | None = None  # absolute URL or None for self
    description: str = ""
    site_name: str = "Replica"
    charset: str = "utf-8"
    json_ld: bool = True
    modified: str | None = None  # JSON-LD dateModified
    related: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (href, text) inside the article


def article_html(spec: ArticleSpec, base: str) -> bytes:
    canonical = spec.canonical or base + spec.path
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in spec.paragraphs)
    if spec.related:
        links = " ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in spec.related)
        body += f"\n<p>Related: {links}</p>"
    ld = ""
    if spec.json_ld:
        ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": spec.title,
                "datePublished": spec.published,
                **({"dateModified": spec.modified} if spec.modified else {}),
                "author": [{"@type": "Person", "name": a} for a in spec.authors],
                "publisher": {"@type": "Organization", "name": spec.site_name},
            }
        )
        ld = f'<script type="application/ld+json">{ld}</script>'
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{spec.charset}">
<title>{html.escape(spec.title)} | {html.escape(spec.site_name)}</title>
<link rel="canonical" href="{html.escape(canonical)}">
<meta property="og:site_name" content="{html.escape(spec.site_name)}">
<meta property="og:title" content="{html.escape(spec.title)}">
<meta name="description" content="{html.escape(spec.description)}">
{ld}
</head><body>
<nav><a href="/">Home</a> <a href="/ai">AI</a> <a href="/about">About us</a></nav>
<header><h1>{html.escape(spec.title)}</h1><p class="byline">By {html.escape(" and ".join(spec.authors))}</p></header>
<article>
{body}
</article>
<aside><h3>Most read</h3><ul><li>Subscribe to our newsletter for daily updates</li></ul></aside>
<footer>Copyright Replica Media. All rights reserved.</footer>
</body></html>"""
    return page.encode(spec.charset, errors="xmlcharrefreplace")


def rss(items: list[tuple[str, str, str]], title: str = "Replica feed") -> bytes:
    """items: (absolute link, title, RFC-822 date)."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link><pubDate>{d}</pubDate></item>"
        for link, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.invalid/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


def news_sitemap(items: list[tuple[str, str, str]]) -> bytes:
    """items: (absolute loc, ISO publication date, title)."""
    urls = "".join(
        f"<url><loc>{html.escape(loc)}</loc><news:news><news:publication><news:name>Replica</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{d}</news:publication_date>"
        f"<news:title>{html.escape(t)}</news:title><news:keywords>OpenAI, Sora</news:keywords></news:news></url>"
        for loc, d, t in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def urlset(items: list[tuple[str, str]]) -> bytes:
    """items: (absolute loc, ISO lastmod)."""
    urls = "".join(f"<url><loc>{html.escape(loc)}</loc><lastmod>{d}</lastmod></url>" for loc, d in items)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(items: list[tuple[str, str | None]]) -> bytes:
    entries = "".join(
        f"<sitemap><loc>{html.escape(loc)}</loc>" + (f"<lastmod>{d}</lastmod>" if d else "") + "</sitemap>"
        for loc, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


def section_page(links: list[tuple[str, str]], title: str = "AI") -> bytes:
    anchors = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in links)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>'
        f'<body><nav><a href="/">Home</a> <a href="/tag/openai/">OpenAI</a></nav><ul>{anchors}</ul></body></html>'
    ).encode()


def rfc822(iso: str) -> str:
    return email.utils.format_datetime(dt.datetime.fromisoformat(iso))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], host: Host) -> None:
        self.host = host
        super().__init__(address, _RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a browser aborting a request it no longer
        # needs) is not the server's error: no traceback for it.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- silence the default log
        return

    def do_GET(self) -> None:  # noqa: N802 -- http.server's naming
        host = self.server.host
        info = RequestInfo(host.address, self.path, {k.lower(): v for k, v in self.headers.items()})
        host.site.log_request(info)
        if host.site.delay:
            time.sleep(host.site.delay)
        handler = host.routes.get(self.path.split("#")[0])
        if handler is None and "?" in self.path:
            handler = host.routes.get(self.path.split("?")[0])
        reply = handler(info) if handler else Reply(404, b"<html><body>Not found</body></html>")
        if reply.status == -1:  # a hostile handler already wrote (or never will)
            return
        headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
        body = reply.body
        if reply.status == 200 and reply.validators and host.site.validators:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", "Tue, 26 Nov 2024 12:00:00 GMT")
            if info.headers.get("if-none-match") == headers["ETag"]:
                self._send(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"")
                return
        if reply.stall is not None:
            self._send(reply.status, {**headers, "Content-Length": str(len(body) * 100)}, body)
            reply.stall.wait(60)
            return
        self._send(reply.status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Host:
    """One outlet's server on its own loopback address."""

    def __init__(self, site: ReplicaSite, address: str) -> None:
        self.site = site
        self.address = address
        self.routes: dict[str, Handler] = {}
        self.server = _Server((address, 0), self)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler | Reply | bytes, content_type: str = "text/html; charset=utf-8") -> None:
        if isinstance(handler, bytes):
            reply = Reply(200, handler, {"Content-Type": content_type})
            self.routes[path] = lambda _info: reply
        elif isinstance(handler, Reply):
            fixed = handler
            self.routes[path] = lambda _info: fixed
        else:
            self.routes[path] = handler


class ReplicaSite:
    def __init__(self) -> None:
        self.hosts: dict[str, Host] = {}
        self.requests: list[RequestInfo] = []
        self.validators = True
        self.delay = 0.0  # seconds before every answer
        self._lock = threading.Lock()

    def add_host(self, key: str, address: str) -> Host:
        host = Host(self, address)
        self.hosts[key] = host
        host.thread.start()
        return host

    def log_request(self, info: RequestInfo) -> None:
        with self._lock:
            self.requests.append(info)

    def requested(self, key: str) -> list[str]:
        address = self.hosts[key].address
        with self._lock:
            return [r.path for r in self.requests if r.host == address]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def close(self) -> None:
        for host in self.hosts.values():
            host.server.shutdown()
            host.server.server_close()


def loopback_available(address: str) -> bool:
    try:
        with socket.socket() as probe:
            probe.bind((address, 0))
    except OSError:
        return False
    return True


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
