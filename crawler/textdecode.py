"""Decode HTML bytes to text: BOM, then the declared charset, then UTF-8,
then cp1252.  Never raises; undecodable bytes become U+FFFD."""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding


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
