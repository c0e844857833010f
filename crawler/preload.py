"""What the first extraction worker loads before it forks the others
(crawler.extraction_host).

The extractor loads large tables lazily: justext's stoplists for every
language (~27 MB), dateparser's locales and the regexes built from them
(~30 MB), tld's suffix trie.  Loaded on first use they are private to each
worker; loaded here, once, every worker shares the same pages.
``gc.freeze()`` then keeps the workers' garbage collector from writing to
(and so copying) those objects.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging

import lxml.html

from crawler.analyse import analyse_page

log = logging.getLogger(__name__)

# Exercises metadata, dates in several languages, the body extractor and its
# fallbacks.  Written for this purpose; its content does not matter.
_SAMPLE_PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Warm-up page | Example</title>
<meta property="og:title" content="Warm-up page"><meta name="author" content="A. Writer">
<meta property="article:published_time" content="2024-11-26T10:00:00Z">
<link rel="canonical" href="https://example.org/warm-up">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Warm-up page",
"datePublished": "2024-11-26", "author": {"@type": "Person", "name": "A. Writer"}}</script>
</head><body><header><nav><a href="/">Home</a></nav></header><main><article><h1>Warm-up page</h1>
<p class="byline">By A. Writer, 26 novembre 2024</p>
<p>This paragraph exists so that the extractor has some running text to read and judge.</p>
<p>Ein zweiter Absatz, am 3. M\xc3\xa4rz 2024 ver\xc3\xb6ffentlicht, mit etwas deutschem Text.</p>
<p>Un troisi\xc3\xa8me paragraphe, publi\xc3\xa9 le 5 avril 2023, en fran\xc3\xa7ais.</p>
</article></main><footer>Published 12/03/2024</footer></body></html>"""

_SAMPLE_DATES = ("26 November 2024", "3. M\u00e4rz 2024", "5 avril 2023", "12 de mayo de 2022", "not a date at all")


def warm_extractor() -> None:
    # An exception here would stop every worker from starting; a
    # cold extractor is only slower, and real pages will show any real fault.
    try:
        analyse_page(_SAMPLE_PAGE, "https://example.org/warm-up", "utf-8", "warm", dt.date(2000, 1, 1))
    except Exception as exc:  # noqa: BLE001 -- see above
        log.warning("extractor warm-up failed: %s", exc)
    _load_lazy_tables()
    gc.collect()
    gc.freeze()


def _load_lazy_tables() -> None:
    # Library internals, so each step is best effort: a renamed function
    # costs memory (each worker loads its own copy), never correctness.
    try:
        from trafilatura.external import try_justext

        try_justext(lxml.html.fromstring(_SAMPLE_PAGE), None, None)
    except (ImportError, AttributeError, TypeError) as exc:
        log.debug("justext stoplists not preloaded: %s", exc)
    try:
        from tld import get_tld

        get_tld("https://example.org/warm-up", fail_silently=True)  # the public suffix trie
    except ImportError as exc:
        log.debug("public suffix list not preloaded: %s", exc)
    try:
        from htmldate.extractors import get_external_parser, month_words

        month_words()
        parser = get_external_parser()
        for text in _SAMPLE_DATES:
            parser.get_date_data(text)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        log.debug("date parser tables not preloaded: %s", exc)


warm_extractor()
