"""An outlet that sends everything a crawler should survive, and a host that
accepts connections and never answers.  Written for these tests."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib

import brotli

from tests.replica import ArticleSpec, Host, ReplicaSite, Reply, RequestInfo, article_html, urlset
from tests.story_site import LEAK
from tests.support.payloads import billion_laughs

BOMB_BYTES = 200 * 1024 * 1024  # inflates to 200 MB; the page cap is 2 MB in these tests


class SilentServer:
    """Accepts TCP connections and never sends a byte."""

    def __init__(self, address: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.address = address
        self.connections: list[socket.socket] = []
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def url(self, path: str) -> str:
        return f"http://{self.address}:{self.port}{path}"

    def close(self) -> None:
        self.closed.set()
        self.sock.close()
        for conn in self.connections:
            conn.close()


def _bomb(encoding: str) -> bytes:
    zeros = b"\0" * (8 * 1024 * 1024)
    if encoding == "gzip":
        return gzip.compress(zeros * (BOMB_BYTES // len(zeros)), compresslevel=9)
    if encoding == "deflate":
        return zlib.compress(zeros * (BOMB_BYTES // len(zeros)), 9)
    return brotli.compress(zeros * (BOMB_BYTES // len(zeros)), quality=5)


def build_hostile(site: ReplicaSite, offsite: Host) -> tuple[Host, SilentServer, threading.Event]:
    host = site.add_host("hostile", "127.0.0.5")
    release = threading.Event()
    good = ArticleSpec("/2024/11/26/sora-leak-survivor", "Sora leak: the one good page", LEAK, "2024-11-26T10:00:00Z")
    host.route(good.path, article_html(good, host.base))
    for path, canonical in (("/2024/11/26/sora-leak-canon-relative", "/2024/11/26/sora-leak-canonical-target"),
                            ("/2024/11/26/sora-leak-canon-protocol", f"//{host.address}:{host.port}/2024/11/26/sora-leak-protocol-target")):
        spec = ArticleSpec(path, "Sora leak: canonical " + path[-8:], LEAK, "2024-11-26T10:00:00Z")
        host.route(path, article_html(spec, host.base).replace(
            f'href="{host.base}{path}"'.encode(), f'href="{canonical}"'.encode()))
    for encoding in ("gzip", "deflate", "br"):
        host.route(f"/2024/11/26/sora-leak-{encoding}-bomb",
                   Reply(200, _bomb(encoding), {"Content-Encoding": encoding}, validators=False))
    host.route("/2024/11/26/sora-leak-huge-page", Reply(200, b"<html><body>" + b"<p>Sora leak filler.</p>" * 1_300_000 + b"</body></html>",
                                                        validators=False))

    host.route("/2024/11/26/sora-leak-never-finishes",
               Reply(200, b"<html><body><p>Sora leak, the first part of a page that never ends", validators=False,
                     stall=release))
    host.route("/2024/11/26/sora-leak-redirect-offsite", Reply(302, b"", {"Location": offsite.url("/2024/11/26/sora-leak-elsewhere")}))
    host.route("/2024/11/26/sora-leak-redirect-localhost", Reply(302, b"", {"Location": f"http://localhost:{host.port}/x"}))
    host.routes["/2024/11/26/sora-leak-rate-limited"] = _rate_limited(good, host)
    host.route("/2024/11/26/sora-leak-server-error", Reply(500, b"storm"))
    host.route("/2024/11/26/sora-leak-wrong-encoding", article_html(
        ArticleSpec("/2024/11/26/sora-leak-wrong-encoding", "Sora leak in Cyrillic", [*LEAK, "Утечка Sora."], "2024-11-26T10:00:00Z",
                    charset="utf-8"), host.base).replace(b'charset="utf-8"', b'charset="shift_jis"'))
    articles = [p for p in host.routes if p.startswith("/2024/")]
    host.route("/sitemap.xml", urlset([(host.url(p), "2024-11-26") for p in articles]), "application/xml")
    host.route("/bomb-sitemap.xml", billion_laughs("urlset") + (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>' + host.url("/x&lol9;").encode() +
        b"</loc></url></urlset>"), "application/xml")
    host.route("/bomb-feed.xml", billion_laughs("rss") + b'<rss version="2.0"><channel><title>&lol9;</title></channel></rss>',
               "application/rss+xml")
    host.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    host.route("/", b"<html><body>hostile</body></html>")
    return host, SilentServer("127.0.0.6"), release


def _rate_limited(spec: ArticleSpec, host: Host):
    seen: list[float] = []

    def handler(info: RequestInfo) -> Reply:
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Reply(429, b"slow down", {"Retry-After": "1"}, validators=False)
        page = ArticleSpec("/2024/11/26/sora-leak-rate-limited", "Sora leak: after the rate limit", LEAK, spec.published)
        return Reply(200, article_html(page, host.base))

    handler.seen = seen  # type: ignore[attr-defined]
    return handler
