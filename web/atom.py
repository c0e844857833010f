"""An Atom feed (RFC 4287) of new articles and changes.  Pure: rows in,
bytes out, built with lxml so every crawled string is escaped."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from lxml import etree

from storage.queries import ChangeRow

ATOM = "http://www.w3.org/2005/Atom"


def _id(story: str, what: str) -> str:
    """A stable URN per story and thing: the same entry keeps its id across
    requests, hosts and proxies."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"storywatch:{story}:{what}").urn


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrib=attributes)
    if text is not None:
        element.text = text
    return element


def entry_title(change: ChangeRow) -> str:
    title = change.title or change.url
    if change.is_new:
        return f"New ({change.outlet_name}): {title}"
    kinds = ", ".join(change.change_kinds) or "edited"
    return f"Changed ({change.outlet_name}, {kinds}): {title}"


def changes_feed(
    changes: Sequence[ChangeRow], *, story: str, self_url: str, site_url: str, now: dt.datetime
) -> bytes:
    """``site_url`` is the web view's root (links to article pages)."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _add(feed, "id", _id(story, "changes"))
    _add(feed, "title", f"{story}: new articles and changes")
    _add(feed, "updated", _iso(changes[0].fetched_at if changes else now))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=site_url + "/")
    author = _add(feed, "author")
    _add(author, "name", "storywatch")
    _add(feed, "generator", "storywatch")
    for change in changes:
        entry = _add(feed, "entry")
        _add(entry, "id", _id(story, f"version:{change.version_id}"))
        _add(entry, "title", entry_title(change))
        _add(entry, "updated", _iso(change.fetched_at))
        _add(entry, "link", rel="alternate", type="text/html", href=f"{site_url}/articles/{change.article_id}")
        _add(entry, "link", rel="related", href=change.url)
        summary = f"{change.outlet_name}: version {change.number} of {change.url}"
        if change.is_partial:
            summary += " (subscriber-only: a partial text)"
        if change.syndicated_from:
            summary += f" (a copy of {change.syndicated_from})"
        _add(entry, "summary", summary, type="text")
        _add(entry, "category", term="new" if change.is_new else "changed")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
