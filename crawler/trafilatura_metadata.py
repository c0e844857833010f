"""trafilatura's reading of a page's metadata, only what storywatch reads.

``bare_extraction(with_metadata=True)`` runs trafilatura's
``extract_metadata``, which also looks for the page's categories, its
tags and its licence, each with a dozen XPath expressions over the whole
tree.  storywatch never reads the categories nor the licence, and reads
trafilatura's tags only when the page's meta tags name none.  Nor does
it need trafilatura's byline search (a dozen more expressions, over a
copy of the tree) when the page's structured metadata names its
authors: crawler.extract._choose_authors then reads trafilatura's author
only when it adds names, and on the corpora's 2,137 pages it did so
once, with a date ("TIMESOFINDIA COM", "Dec 6" beside the JSON-LD's
"TIMESOFINDIA.COM").  Left out, they cost a quarter less (3.7 s against
4.8 s over 371 corpus pages), a twentieth of a page's whole reading.

So the body is extracted without metadata and the metadata is read
here, in ``extract_metadata``'s order and with its own functions,
stopping short of what is not read: every field read comes out as it
does there (tests/test_trafilatura_metadata.py compares the two).
"""

from __future__ import annotations

import logging
import re

import lxml.etree
import lxml.html
from htmldate import find_date
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params

log = logging.getLogger(__name__)

# Every element trafilatura's byline expressions (trafilatura.xpaths.
# AUTHOR_XPATHS, as tests/test_trafilatura_metadata.py pins them) can
# match has one of these attributes holding one of these words, or is an
# <author> or holds a <rel>: each of their regular expressions is a set of
# literal words.  A page none of whose attributes holds one can show no
# byline, and the search's copy of the page, its pruning and its three
# expressions (with a call back into Python per element and regular
# expression: a twelfth of a page's reading) are skipped.  Read as plain
# values and searched at once, not tested element by element in XPath
# (seven times slower on the corpora's pages).
_BYLINE_ATTRIBUTES = lxml.etree.XPath(
    "//@class | //@id | //@itemprop | //@rel | //@data-testid | //@data-component | //rel | //author",
    smart_strings=False,
)
_BYLINE_WORDS = re.compile(
    "uthor|yline|byl|BBL|username|screenname|writer|channel-name|submitted-by|posted-by|journalist-name"
    "|zuozhe|bianji|xiaobian"
)


# Set with the same setting trafilatura's own extraction reads
# (``Extractor.date_params``); the newest day a date may name is today's.
_EXTENSIVE_DATE_SEARCH = DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH")


def _search_byline(tree: lxml.html.HtmlElement) -> str | None:
    """``extract_author(tree)``, without its work where it cannot find one."""
    found = _BYLINE_ATTRIBUTES(tree)
    values = [value for value in found if isinstance(value, str)]
    if len(values) == len(found) and not _BYLINE_WORDS.search("\n".join(values)):
        return None  # no <author>, no <rel>, no attribute holding a byline's word
    return extract_author(tree)


def read_trafilatura_metadata(
    tree: lxml.html.HtmlElement, url: str | None, *, with_tags: bool, search_byline: bool
) -> Document:
    """``trafilatura.metadata.extract_metadata(tree, url)``'s title,
    author, url, sitename, date, description and (``with_tags``) tags;
    its categories, licence and hostname are left empty.  The author is
    looked for in the page's text (where its meta tags name none) only
    ``search_byline``."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # as extract_metadata: a single word is no name
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001 -- extract_metadata's own guard: its JSON-LD reader has bugs
        log.debug("trafilatura's JSON-LD reading failed: %s", exc)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author and search_byline:
        metadata.author = _search_byline(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    metadata.date = find_date(tree, **{**set_date_params(_EXTENSIVE_DATE_SEARCH), "url": metadata.url})
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (host := META_URL.match(metadata.url)):
        metadata.sitename = host[1]
    if with_tags and not metadata.tags:
        metadata.tags = extract_catstags("tag", tree)
    metadata.clean_and_trim()
    return metadata
