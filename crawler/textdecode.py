"""Decode HTML bytes to text: BOM, then the declared charset, then UTF-8,
then cp1252.  Never raises; undecodable bytes become U+FFFD.  Light (no
trafilatura): the crawl process reads stored pages with it too."""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from crawler.msn import ContentError, content_page, is_content_json, read_content


def decode_html(body: bytes, http_charset: str | None = None) -> str:
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom) :].decode(bom_encoding, errors="replace")
    candidates: list[str] = []
    for declared in (http_charset, html_body_declared_encoding(body[:4096])):
        resolved = resolve_encoding(declared) if declared else None
        if resolved:
            candidates.append(resolved)
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode(candidates[0] if candidates else "utf-8", errors="replace")


def page_html(body: bytes, charset: str | None = None) -> str:
    """The HTML to read from a page's bytes: the page, decoded; or a content
    API's JSON (fetch = "msn", stored as the page's bytes) written as a page
    (empty when it cannot be read)."""
    if is_content_json(body):
        try:
            return content_page(read_content(body))
        except ContentError:
            return ""
    return decode_html(body, charset)
