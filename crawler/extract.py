"""Extraction: ``html bytes + url -> Extracted | None``, a pure function.

Structured metadata first (JSON-LD NewsArticle, OpenGraph, <meta>), then
trafilatura for the body and for whatever metadata the page does not state.
Bump crawler.version.EXTRACTOR_VERSION whenever a change here can change
what is extracted.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

from crawler.asides import aside_lines, form_field_lines
from crawler.blocks import (
    block_densities,
    innermost_block_texts,
    line_blocks,
    line_key,
    prefer_inside,
)
from crawler.chrome import chrome_paragraphs
from crawler.component_links import anchor_component_links
from crawler.container import body_container, placing_blocks, trailing_outside
from crawler.htmltree import load_tree
from crawler.metadata import (
    PageMetadata,
    clean_authors,
    clean_title,
    comparable,
    parse_datetime,
    read_page_metadata,
    visible_bylines,
)
from crawler.notices import missing_notices
from crawler.paragraphs import FLAT_LINE, split_at_paragraphs, split_flat_lines
from crawler.rejoin import kept_source_breaks, rejoin_split_blocks
from crawler.sections import missing_sections
from crawler.selectors import Pinned, apply_selectors
from crawler.server_errors import without_server_errors
from crawler.standfirst import find_standfirst
from crawler.textdecode import page_html
from crawler.trafilatura_metadata import read_trafilatura_metadata
from crawler.version import EXTRACTOR_VERSION
from storywatch.article import Extracted

log = logging.getLogger(__name__)

# Body text shorter than this with a paywall marker is treated as a teaser.
_TEASER_CHARS = 1200
# What a paywall's prompt says, counted only where the page says it
# outside its header, navigation and footer: a print newspaper's footer
# menu says "Already a subscriber" on every page, and a short article
# (an edit that shortened it) would read as a teaser.
_PAYWALL_PHRASES = (
    "subscribe to continue reading",
    "subscribe to read",
    "this article is for subscribers",
    "to continue reading, subscribe",
    "already a subscriber",
    "for subscribers only",
    "create a free account to continue reading",
    "sign in to continue reading",
)
# Not in the page's header, navigation or footer, nor a script's or a
# style's text: where the page speaks of its article.
_NOT_FURNITURE = ("not(ancestor-or-self::header or ancestor-or-self::nav or ancestor-or-self::footer"
                  " or ancestor-or-self::script or ancestor-or-self::style)")
_OUTSIDE_FURNITURE = etree.XPath(f"//body//text()[{_NOT_FURNITURE}]")
# Barrier markup of subscription sites (FT, The Washington Post, Piano):
# an element whose id, class or data-qa begins so.  It counts when it says
# something of its own (a barrier speaks: "Subscribe to unlock this
# article") outside the header, navigation and footer.  Many sites print
# an empty paywall modal on every page for a script to fill (Condé Nast's,
# Newsquest's local papers), name an icon or a menu so, or mark the
# paragraphs a paywall would hide, which are then the article itself.
_BARRIER = etree.XPath(
    "//body//*[@id='barrier-page' or starts-with(@class, 'o-barrier') or starts-with(@class, 'tp-modal')"
    " or starts-with(@data-qa, 'paywall') or starts-with(translate(@class, 'PAYWL', 'paywl'), 'paywall')"
    " or starts-with(translate(@id, 'PAYWL', 'paywl'), 'paywall')]"
    f"[{_NOT_FURNITURE}][not(ancestor::svg or ancestor-or-self::template)]"
)
_BARRIER_WORDS = 3
# A marked element this long that the body holds is the article's own
# paragraphs (trafilatura may read a short barrier into the body too).
_MARKED_PROSE_WORDS = 25


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parse_tree(html_text: str) -> lxml.html.HtmlElement | None:
    # lxml refuses a str that still carries an XML encoding declaration.
    html_text = _XML_DECLARATION.sub("", html_text, count=1)
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=False, no_network=True)
        tree = lxml.html.document_fromstring(html_text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        log.debug("unparseable HTML: %s", exc)
        return None
    return tree


def _shows_a_barrier(tree: lxml.html.HtmlElement, text: str) -> bool:
    body = " ".join(text.split()).casefold()
    for element in _BARRIER(tree):
        said = " ".join(element.text_content().split())
        words = len(said.split())
        if words >= _BARRIER_WORDS and not (words >= _MARKED_PROSE_WORDS and said.casefold()[:80] in body):
            return True
    return False


def _paywall_reason(meta: PageMetadata, html_head: str, text: str, tree: lxml.html.HtmlElement) -> str | None:
    if meta.accessible_for_free is False:
        return "paywall"
    if len(text) >= _TEASER_CHARS:
        return None
    if _shows_a_barrier(tree, text):
        return "paywall"
    html_lower = html_head.lower()  # only for a short body: most pages never need it
    if any(phrase in html_lower for phrase in _PAYWALL_PHRASES):
        said = " ".join(" ".join(_OUTSIDE_FURNITURE(tree)).split()).lower()
        if any(phrase in said for phrase in _PAYWALL_PHRASES):
            return "paywall"
    return None


def _trafilatura_body(
    page: lxml.html.HtmlElement, url: str | None, *, with_tags: bool, search_byline: bool
) -> trafilatura.settings.Document | None:
    """trafilatura's body of ``page`` and its metadata, read by
    crawler.trafilatura_metadata (only the fields read here): its tags
    only ``with_tags``, a byline in the page's text only
    ``search_byline``."""
    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            favor_precision=False,
        )
        if not isinstance(document, trafilatura.settings.Document):
            return None
        # bare_extraction works on a copy: the tree is as the page was.
        metadata = read_trafilatura_metadata(page, url, with_tags=with_tags, search_byline=search_byline)
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as exc:
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None
    # The only fields of the body's extraction read here: its text, and
    # its tree for whether that text kept the source's line breaks.
    metadata.text = document.text
    metadata.body = document.body
    return metadata


def _site_name(meta: PageMetadata, document: object | None, url: str | None) -> str | None:
    if meta.site_name:
        return meta.site_name
    name = getattr(document, "sitename", None)
    if name:
        return str(name)
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None
    return None


# A JSON-LD articleBody agrees with the page when it holds this share of
# the word 4-grams of what trafilatura read there.
_BODY_AGREEMENT = 0.8


_WORD = re.compile(r"\w+")


def _word_shingles(text: str) -> set[tuple[str, ...]]:
    # Words only: trafilatura's list bullets and table bars are not text.
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


# Below this many characters what trafilatura read (a caption, a teaser:
# the page draws its article by script, or shows it to subscribers) is
# too little to judge an articleBody four times as long by.
_THIN_TEXT = 400
_THIN_RATIO = 4
_ELLIPSIS = re.compile(r"\s*(?:\.{3}|…)$")


def _casefolded(title: str) -> str:
    return " ".join(title.casefold().split())


def _names_the_page(meta: PageMetadata) -> bool:
    """Whether the JSON-LD article's headline (cut short with an ellipsis,
    as CMSs do) is the page's own: its h1's, og:title's or <title>'s."""
    headline = _ELLIPSIS.sub("", _casefolded(meta.headline or ""))
    if len(headline) < 12:
        return False
    return any(headline in _casefolded(title) for title in (*meta.h1, meta.og_title, meta.html_title) if title)


def _choose_body(meta: PageMetadata, trafilatura_text: str) -> str:
    body = meta.article_body or ""
    # A JSON-LD articleBody is used when it is complete (at least as long as
    # what trafilatura found) and agrees with it (holds what trafilatura
    # read on the page): a stale or foreign articleBody is not the page's.
    # One the CMS flattened into a line gets the page's paragraph breaks.
    if len(body) < 400 or len(body) < 0.9 * len(trafilatura_text):
        return trafilatura_text
    thin = len(trafilatura_text) < _THIN_TEXT and len(body) >= _THIN_RATIO * len(trafilatura_text)
    if thin and _names_the_page(meta):
        # Too little on the page to agree with: naming the page's headline
        # makes the articleBody the page's own.
        return split_at_paragraphs(body, trafilatura_text)
    seen = _word_shingles(trafilatura_text)
    if seen and len(seen & _word_shingles(body)) < _BODY_AGREEMENT * len(seen):
        return trafilatura_text
    return split_at_paragraphs(body, trafilatura_text)


# WordPress's comment form heading ("Leave a Reply Cancel reply"): its
# class and id say "title", so trafilatura takes it for the headline of a
# theme that marks its own headline with neither.
_REPLY_TITLE = etree.XPath("//*[@id='reply-title' or contains(@class, 'comment-reply-title')]")


def _document_title(document: object | None, tree: lxml.html.HtmlElement) -> str | None:
    title = getattr(document, "title", None)
    if not title:
        return None
    if any(_casefolded(element.text_content()) == _casefolded(title) for element in _REPLY_TITLE(tree)):
        return None
    return str(title)


def _choose_authors(meta: PageMetadata, document: object | None, tree: lxml.html.HtmlElement
                    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The authors to show and the ones the page states (its structured
    metadata).  Structured bylines first; trafilatura's when they add names
    or there are none."""
    structured = clean_authors(meta.authors)
    raw = getattr(document, "author", None)
    found = clean_authors(str(raw).split(";")) if raw else ()
    if not structured:
        return found or clean_authors(visible_bylines(tree)), ()
    known = {comparable(n) for n in found}
    if len(found) > len(structured) and all(comparable(n) in known for n in structured):
        return found, structured
    return structured, structured


def extract_article(html: bytes | str, url: str | None = None) -> Extracted | None:
    """Read an article page.  Returns None when the page holds no readable text."""
    return read_article(html, url)[0]


def read_article(
    html: bytes | str, url: str | None = None, selectors: Sequence[tuple[str, str]] = ()
) -> tuple[Extracted | None, lxml.html.HtmlElement | None]:
    """``extract_article``, and the page's parsed tree (left intact by the
    extraction) for a caller that reads more of the page without parsing it
    again; the tree is None when the page could not be parsed.
    ``selectors`` (the outlet's, crawler/selectors.py) pin fields first; one
    that matches nothing leaves its field to the general extraction and is
    named in ``Extracted.selectors_missed``."""
    html_text = page_html(html) if isinstance(html, bytes) else html
    if not html_text or html_text.isspace():  # strip() would copy the page
        return None, None
    html_text = without_server_errors(html_text)
    # One parse, as trafilatura's own loader would (crawler.htmltree), so its
    # body extraction sees the tree it would have built; it works on a copy,
    # leaving this one intact.
    loaded = load_tree(html_text)
    # A page trafilatura's loader refuses has no body from it; its
    # metadata may still hold text.
    tree = loaded if loaded is not None else _parse_tree(html_text)
    if tree is None:
        return None, None
    # Before trafilatura reads it: its boilerplate rules, like ours, know a
    # link by its tag.
    anchor_component_links(tree, html_text)
    # Only its beginning is read from here on (the paywall markers); a large
    # page's text (up to four bytes a character) need not outlive its tree.
    html_head = html_text[:200_000]
    del html_text
    meta = read_page_metadata(tree)
    pinned = apply_selectors(tree, selectors) if selectors else Pinned()
    document = _trafilatura_body(loaded, url, with_tags=not meta.keywords,
                                 search_byline=not clean_authors(meta.authors)) if loaded is not None else None
    trafilatura_text = (getattr(document, "text", None) or "").strip()
    text = (pinned.text or _choose_body(meta, trafilatura_text)).strip()
    if not text:
        return None, tree
    if kept_source_breaks(getattr(document, "body", None)):
        text = rejoin_split_blocks(text, tree)

    site_name = _site_name(meta, document, url)
    raw_title = pinned.title or meta.headline or meta.og_title or _document_title(document, tree) or meta.html_title
    title = clean_title(raw_title, site_name, meta.h1) if raw_title else None

    if pinned.authors:
        authors = stated_authors = clean_authors(pinned.authors)
    else:
        authors, stated_authors = _choose_authors(meta, document, tree)

    # htmldate (through trafilatura) reads the same JSON-LD and meta tags and
    # weighs them against the page's own visible dates: it wins on the
    # evaluation sets, so its day is used, with the structured time of day
    # when both agree on the day.
    published = meta.published
    date_text = getattr(document, "date", None)
    found = parse_datetime(str(date_text)) if date_text else None
    if found is not None and (published is None or published.date() != found.date()):
        published = found
    pinned_date = parse_datetime(pinned.date) if pinned.date else None
    if pinned_date is not None:
        published = pinned_date
    modified = meta.modified
    if modified is not None and published is not None and modified < published:
        modified = None

    canonical = urljoin(url or "", meta.canonical) if meta.canonical else None
    if canonical and urlsplit(canonical).scheme not in ("http", "https"):
        canonical = None

    reason = _paywall_reason(meta, html_head, text, tree)
    tags = meta.keywords or tuple(
        t.strip() for t in (getattr(document, "tags", None) or []) if t and t.strip()
    )
    language = meta.language or getattr(document, "language", None)
    description = meta.description or getattr(document, "description", None)
    lines = text.split("\n")
    repeated: dict[str, list[lxml.html.HtmlElement]] = {}
    blocks = line_blocks(tree, lines, repeated)
    # A long line that is no paragraph's text (no block's, or a block's
    # that holds several paragraphs) may be trafilatura's fallback: a short
    # post's whole article element read as one line.
    flat = [i for i, line in enumerate(lines)
            if len(line) >= FLAT_LINE and not line.startswith(("|", "- "))
            and ((key := line_key(line)) not in blocks or len(innermost_block_texts(blocks[key])) >= 2)]
    if flat and not pinned.text:
        unflattened = split_flat_lines(lines, flat, innermost_block_texts(tree))
        if unflattened != lines:
            lines, text, repeated = unflattened, "\n".join(unflattened), {}
            blocks = line_blocks(tree, lines, repeated)
    placing = placing_blocks(blocks)
    container = body_container(placing) if not pinned.text else None
    if container is not None:
        blocks = prefer_inside(blocks, repeated, container)
        # A lead the page marks as a teaser or intro above the body's
        # container: trafilatura drops it, but it is the article's.  What
        # it read on into after the container (a forum, a newsletter box)
        # is not; the run cut never reaches the container's own lines.
        lines = [*find_standfirst(tree, lines, placing, container), *lines]
        # An "Update:" or "Correction:" paragraph among or above the body's
        # that trafilatura dropped: the one line that says it was edited.
        lines = missing_notices(lines, blocks, container)
        lines = lines[: len(lines) - trailing_outside(tree, lines, blocks, container)]
        # An article laid out as a run of modules of one kind, of which
        # the extractor kept one: the others' paragraphs are the article's.
        lines, put_back = missing_sections(lines, blocks, container)
        if put_back:
            blocks = {**blocks, **put_back}
        # Inside it, the blocks the page marks as comments, a related
        # list, a newsletter or share box are not the article either.
        asides = aside_lines(lines, blocks, container)
        lines = [line for index, line in enumerate(lines) if index not in asides]
        text = "\n".join(lines)
    if not pinned.text and (fields := form_field_lines(tree, lines)):
        lines = [line for index, line in enumerate(lines) if index not in fields]
        text = "\n".join(lines)
    chrome = chrome_paragraphs(lines, block_densities(blocks), authors)
    extracted = Extracted(
        url=url,
        canonical_url=canonical,
        title=title,
        authors=authors,
        published_at=published,
        modified_at=modified,
        text=text,
        description=description.strip() if description else None,
        language=language,
        tags=tuple(dict.fromkeys(tags)),
        site_name=site_name,
        is_partial=reason is not None,
        partial_reason=reason,
        extractor_version=EXTRACTOR_VERSION,
        chrome=chrome,
        stated_authors=stated_authors,
        # A date selector that matched something that is not a date missed too.
        selectors_missed=(*pinned.missed, "date") if pinned.date and pinned_date is None else pinned.missed,
    )
    return extracted, tree
