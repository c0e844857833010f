"""Structured page metadata: JSON-LD, OpenGraph and <meta>, and the cleaning
of titles, author lists and dates.  Pure functions over a parsed tree or strings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import lxml.html
from lxml import etree

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "techarticle",
        "report",
        "scholarlyarticle",
    }
)

_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " // ", " • ")
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:view|see)\s+all\s+(?:posts|articles|stories)\s+by|all\s+posts\s+by|posted\s+by|written\s+by|"
    r"zeige\s+alle\s+beiträge\s+von|alle\s+beiträge\s+von|by|von|por|par|door|di|af)[:\s]+",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"\b(?:staff|senior|contributing|contributor|editor|reporter|writer|correspondent|"
    r"columnist|journalist|producer|analyst|news desk|newsroom|for\s+[A-Z].*)\b",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\|)\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Labels and placeholders that byline markup holds instead of a name.
_NOT_NAMES = frozenset({"posted", "name", "datum", "date", "admin", "administrator", "wordpressadmin", "author", "autor"})


@dataclasses.dataclass(frozen=True, slots=True)
class PageMetadata:
    headline: str | None = None
    h1: tuple[str, ...] = ()
    og_title: str | None = None
    html_title: str | None = None
    site_name: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    description: str | None = None
    article_body: str | None = None
    accessible_for_free: bool | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    canonical: str | None = None


def _squash(text: str | None) -> str | None:
    if text is None:
        return None
    text = _SPACE.sub(" ", text).strip()
    return text or None


def parse_datetime(value: object) -> dt.datetime | None:
    """Parse an ISO-8601-ish date or datetime; naive values are taken as UTC."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    text = re.sub(r"\s*(?:UTC|GMT)$", "Z", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0000 -> +00:00
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        if not match:
            return None
        try:
            parsed = dt.datetime(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if not 1990 <= parsed.year <= 2100:
        return None
    # Kept in the page's own offset: its calendar day is the one the outlet
    # meant.  Storage converts to UTC.
    return parsed


def _json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = script.text_content() or ""
        if len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except (json.JSONDecodeError, RecursionError):
            continue
        yield from _flatten_json_ld(data, depth=0)


def _flatten_json_ld(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_json_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten_json_ld(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten_json_ld(main, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value (string, Person, list of either).
    Organizations are left out: a publisher is not a byline."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "organization" in _types(value) or "newsmediaorganization" in _types(value):
            return []
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        return []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _text_value(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]
    if isinstance(value, str):
        return _squash(html.unescape(value))  # JSON-LD often carries HTML entities
    return None


# Markup some CMSs leave in a JSON-LD articleBody.
_BODY_MARKUP = re.compile(r"</?(?:p|br|div|a|strong|em|b|i|span|h[1-6]|ul|ol|li|blockquote|figure)\b[^>]*>", re.I)
_BODY_BREAKS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figure")


# Markdown some CMSs write their articleBody in (Condé Nast's): a link
# "[text](https://...)" and strong or emphasised words are their text.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:https?://|/)[^)\s]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*)(?=\S)([^*\n]{1,300}?)(?<=\S)\1(?![\w*])")
# A heading's hashes ("## Where to stay"); a rule ("***"); an attribute list after a link
# ("{: target="_blank"}"); a block's fences ("+++group-2", "+++"); an
# embed, an image with its caption and credit after it
# ("[#image: /photos/61979e]|||The spa at night.|||Photo: Jane Doe"), of
# which the caption is the page's text.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_MARKDOWN_ATTRIBUTES = re.compile(r"\{:[^{}\n]{0,300}\}")
_MARKDOWN_FENCE = re.compile(r"^(?:\+\+\+[\w:-]*|([-*_])(?:[ \t]*\1){2,})[ \t]*$", re.M)
_MARKDOWN_EMBED = re.compile(r"^\[#\w+:[^\]\n]*\](?:\|\|\|([^\n]*?)\|\|\|[^\n]*)?[ \t]*$", re.M)


def article_body_text(value: Any) -> str | None:
    """A JSON-LD articleBody as plain text, one paragraph a line: its HTML
    entities decoded, and markup (some CMSs put the body's HTML there, or
    Markdown) read as text with its paragraphs kept."""
    if not isinstance(value, str) or not value.strip():
        return None
    if _BODY_MARKUP.search(value):
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            return None
        for element in fragment.iter(*_BODY_BREAKS):
            element.tail = "\n" + (element.tail or "")
        value = fragment.text_content()
    else:
        value = html.unescape(value)
    value = _MARKDOWN_EMPHASIS.sub(r"\2", _MARKDOWN_LINK.sub(r"\1", value))
    value = _MARKDOWN_ATTRIBUTES.sub("", _MARKDOWN_HEADING.sub("", value))
    value = _MARKDOWN_EMBED.sub(r"\1", _MARKDOWN_FENCE.sub("", value))
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n".join(line for line in lines if line) or None


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        parts: Iterable[str] = value.split(",")
    elif isinstance(value, list):
        parts = [v for v in value if isinstance(v, str)]
    else:
        return ()
    return tuple(p.strip() for p in parts if p.strip())


def _free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _accessible(json_ld: dict[str, Any]) -> bool | None:
    """``isAccessibleForFree`` of the article, or False when one of its
    parts (``hasPart``, Google's paywalled-content markup) is not free."""
    parts = json_ld.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict) and _free(part.get("isAccessibleForFree")) is False:
            return False
    return _free(json_ld.get("isAccessibleForFree"))


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def _meta_authors(meta: dict[str, str]) -> list[str]:
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "byl", "dc.creator"):
        value = meta.get(key)
        if value and not value.startswith(("http://", "https://")):
            return [value]
    return []


def read_page_metadata(tree: lxml.html.HtmlElement) -> PageMetadata:
    article: dict[str, Any] | None = None
    for obj in _json_ld_objects(tree):
        if _types(obj) & ARTICLE_TYPES:
            article = obj
            break
    meta = _meta_map(tree)
    canonical = None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    headings = tuple(t for t in (_squash(h.text_content()) for h in tree.xpath("//h1")[:3]) if t)
    titles = tree.xpath("//title")
    html_title = _squash(titles[0].text_content()) if titles else None
    language = tree.get("lang") or meta.get("og:locale") or meta.get("content-language")

    json_ld: dict[str, Any] = article or {}
    authors = _names(json_ld.get("author")) or _meta_authors(meta)
    published = parse_datetime(json_ld.get("datePublished")) or parse_datetime(
        meta.get("article:published_time") or meta.get("datepublished") or meta.get("date")
    )
    modified = parse_datetime(json_ld.get("dateModified")) or parse_datetime(
        meta.get("article:modified_time") or meta.get("og:updated_time") or meta.get("datemodified")
    )
    in_language = json_ld.get("inLanguage")
    if isinstance(in_language, str) and in_language:
        language = in_language
    publisher = json_ld.get("publisher")
    site_name = meta.get("og:site_name") or (
        publisher.get("name") if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) else None
    )
    return PageMetadata(
        headline=_text_value(json_ld.get("headline")) or _text_value(json_ld.get("name")),
        h1=headings,
        og_title=_squash(meta.get("og:title") or meta.get("twitter:title")),
        html_title=html_title,
        site_name=_squash(site_name),
        authors=tuple(authors),
        published=published,
        modified=modified,
        description=_squash(
            _text_value(json_ld.get("description")) or meta.get("og:description") or meta.get("description")
        ),
        article_body=article_body_text(json_ld.get("articleBody")),
        accessible_for_free=_accessible(json_ld),
        keywords=_keywords(json_ld.get("keywords")) or _keywords(meta.get("news_keywords") or meta.get("keywords")),
        language=_normalise_language(language),
        canonical=canonical,
    )


# Compiled once.  The last: a class naming a byline or an author
# ("entry-byline", "post-author-name", German "autor").
_BYLINE_XPATH = (
    etree.XPath('//*[@itemprop="author"]'),
    etree.XPath('//a[@rel="author"]'),
    etree.XPath('//*[contains(@class, "byline") or contains(@class, "autor") or contains(@class, "author")]'),
)
_ITEMPROP_NAME = etree.XPath('.//*[@itemprop="name"]')


def visible_bylines(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Bylines marked up in the page (schema.org itemprop, rel=author, byline
    classes): a last resort, so read only when nothing else names an author."""
    for path in _BYLINE_XPATH:
        found: list[str] = []
        for element in path(tree)[:6]:
            if "comment" in (element.get("class") or "").lower():
                continue
            names = _ITEMPROP_NAME(element)
            text = _squash((names[0] if names else element).text_content())
            if text and 2 <= len(text) <= 80:
                found.append(text)
        if found:
            return tuple(dict.fromkeys(found))
    return ()


def _normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def comparable(text: str) -> str:
    """Lower-case letters and digits only: how two spellings of a name compare."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def clean_title(title: str, site_name: str | None, headings: tuple[str, ...] = ()) -> str:
    """Drop a site-name prefix or suffix ("Headline | The Verge").

    A page heading that the title contains with something around it is the
    headline without the decoration ("Headline - Section - Site")."""
    title = _squash(title) or title
    for heading in headings:
        if len(heading) >= 10 and heading != title and heading in title:
            return heading
    site = comparable(site_name or "")
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        first, _, rest = title.partition(separator)
        if site and (comparable(tail) == site or site in comparable(tail) and len(tail) < 40):
            return head.strip()
        if site and (comparable(first) == site or site in comparable(first) and len(first) < 40):
            return rest.strip()
        # Without a known site name: a short trailing segment that looks like
        # a brand ("... - Example News") is dropped when the head is long.
        if not site and len(tail) <= 30 and len(head) >= 25 and len(tail.split()) <= 4:
            return head.strip()
    return title


def clean_authors(raw: Iterable[str]) -> tuple[str, ...]:
    """Normalise bylines: no "By", no roles, split on "and"/commas, no URLs or duplicates."""
    names: list[str] = []
    for entry in raw:
        entry = _squash(entry) or ""
        if not entry or entry.startswith(("http://", "https://")):
            continue
        entry = _BYLINE_PREFIX.sub("", entry)
        parts = _AUTHOR_SPLIT.split(entry)
        if len(parts) > 1:
            # "Jane Doe, Senior Reporter": a role beside a name is not a name.
            parts = [p for p in parts if not (_ROLE_WORDS.search(p) and len(_ROLE_WORDS.split(p)[0].split()) < 2)] or parts
        for part in parts:
            part = _BYLINE_PREFIX.sub("", part)
            part = re.split(r"\s+-\s+https?://", part)[0].strip(" .:-|")
            if not part or "@" in part or "[at]" in part or part.startswith(("http://", "https://")):
                continue
            if part.casefold() in _NOT_NAMES:
                continue
            if _ROLE_WORDS.search(part):
                # "Jane Doe, Senior Reporter" -> "Jane Doe"; a byline that is
                # only a role ("Staff Writer") is kept as the page says it.
                stripped = _ROLE_WORDS.split(part)[0].strip(" ,.-|")
                if len(stripped.split()) >= 2:
                    part = stripped
            if len(part) > 60 or len(part.split()) > 5 or not re.search(r"[^\W\d_]", part):
                continue
            if part.lower() not in (n.lower() for n in names):
                names.append(part)
    return tuple(names)
