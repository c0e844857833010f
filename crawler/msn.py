"""MSN's content API (``[[outlets]] fetch = "msn"``).

MSN article pages are client-rendered shells; their text comes from a JSON
API on another host: ``{api_base}/{market}/{ID}`` for a page
``https://www.msn.com/{market}/.../ar-{ID}``.  Pure functions: the API URL
of an article URL, the JSON read into its fields, and those fields written
as a small HTML document, so the one extractor reads it like any page (its
metadata from the meta tags and JSON-LD, its body from ``<article>``) and
a syndicated piece's ``sourceHref`` becomes its ``rel=canonical``, which
the pipeline already takes for "a copy of".  The JSON itself is what is
stored as the page's bytes (the evidence, re-read on re-extraction)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

DEFAULT_API_BASE = "https://assets.msn.com/content/view/v2/Detail"
_ID = re.compile(r"/ar-([A-Za-z0-9]{4,})/?$")
_MARKET = re.compile(r"^/([a-z]{2}-[a-z]{2})/", re.IGNORECASE)


class ContentError(ValueError):
    """The API's answer is not an article we can read; the reason is one short phrase."""


@dataclasses.dataclass(frozen=True, slots=True)
class MsnContent:
    title: str
    abstract: str | None
    body_html: str
    published: str | None
    authors: tuple[str, ...]
    provider: str | None
    source_href: str | None
    language: str | None


def content_api_url(article_url: str, api_base: str) -> str | None:
    """The API URL for an MSN article URL; None when the URL has no ``ar-`` ID."""
    parts = urlsplit(article_url)
    found = _ID.search(parts.path)
    if found is None:
        return None
    market = _MARKET.match(parts.path)
    return f"{api_base.rstrip('/')}/{(market.group(1) if market else 'en-us').lower()}/{found.group(1)}"


def is_content_json(body: bytes) -> bool:
    """Whether stored bytes are an API answer rather than an HTML page."""
    return body[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _authors(value: Any) -> tuple[str, ...]:
    names = []
    for author in value if isinstance(value, list) else []:
        name = _text(author.get("name") if isinstance(author, dict) else author)
        if name:
            names.append(name)
    return tuple(dict.fromkeys(names))


def read_content(payload: bytes) -> MsnContent:
    """The fields storywatch uses from the API's JSON; ContentError when it
    is not JSON, not an object, or holds no title or body."""
    try:
        data = json.loads(payload.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise ContentError("not a JSON object")
    title, body = _text(data.get("title")), _text(data.get("body"))
    if title is None or body is None:
        raise ContentError("no title or body in the content")
    provider = data.get("provider")
    source = _text(data.get("sourceHref"))
    if source is not None and urlsplit(source).scheme not in ("http", "https"):
        source = None
    return MsnContent(
        title=title,
        abstract=_text(data.get("abstract")),
        body_html=body,
        published=_text(data.get("publishedDateTime")),
        authors=_authors(data.get("authors")),
        provider=_text(provider.get("name")) if isinstance(provider, dict) else _text(provider),
        source_href=source,
        language=_text(data.get("locale")),
    )


def content_page(content: MsnContent) -> str:
    """The content as an HTML document the extractor reads like any page."""
    e = html.escape
    head = [f"<title>{e(content.title)}</title>", f'<meta property="og:title" content="{e(content.title)}">']
    if content.abstract:
        head.append(f'<meta name="description" content="{e(content.abstract)}">')
    if content.provider:
        head.append(f'<meta property="og:site_name" content="{e(content.provider)}">')
    if content.published:
        head.append(f'<meta property="article:published_time" content="{e(content.published)}">')
    head.extend(f'<meta name="author" content="{e(name)}">' for name in content.authors)
    if content.source_href:
        head.append(f'<link rel="canonical" href="{e(content.source_href)}">')
    structured: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": content.title}
    if content.published:
        structured["datePublished"] = content.published
    if content.authors:
        structured["author"] = [{"@type": "Person", "name": name} for name in content.authors]
    if content.abstract:
        structured["description"] = content.abstract
    ld = json.dumps(structured, ensure_ascii=False).replace("</", "<\\/")
    head.append(f'<script type="application/ld+json">{ld}</script>')
    lang = f' lang="{e(content.language)}"' if content.language else ""
    return (
        f'<!DOCTYPE html><html{lang}><head><meta charset="utf-8">{"".join(head)}</head>'
        f"<body><article>{content.body_html}</article></body></html>"
    )
