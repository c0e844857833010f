"""Where storywatch leans on a library's private parts, each in one module,
checked against the library version it was written for.  A failure here
after an upgrade means: re-verify that module (and its measured gain), then
move the version here and the upper bound in pyproject.toml together."""

from __future__ import annotations

import importlib.metadata

from packaging.version import Version

# Verified together; pyproject.toml bounds each below the next minor release.
VERIFIED = {"trafilatura": "2.3", "htmldate": "1.11", "scrapy": "2.19"}


def _minor(package: str) -> str:
    version = Version(importlib.metadata.version(package))
    return f"{version.major}.{version.minor}"


def test_the_installed_libraries_are_the_verified_ones() -> None:
    assert {name: _minor(name) for name in VERIFIED} == VERIFIED


def test_htmltree_uses_trafilatura_loader_constants() -> None:
    # crawler/htmltree.py repeats trafilatura.utils.load_html's steps with these.
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html

    assert DOCTYPE_TAG.pattern and FAULTY_HTML.pattern and INVALID_XML_CHARS
    assert callable(is_dubious_html)
    # The tree equality itself is tests/test_htmltree.py.


def test_trafilatura_metadata_mirrors_extract_metadata_s_steps() -> None:
    # crawler/trafilatura_metadata.py repeats extract_metadata's steps, in
    # its order, up to what storywatch reads; a release that adds, drops or
    # reorders a step must be read again there.
    import inspect

    from trafilatura.metadata import extract_metadata

    source = inspect.getsource(extract_metadata)
    steps = ["examine_meta(", "extract_meta_json(", "extract_title(", "extract_author(", "extract_url(",
             "find_date(", "extract_sitename(", "META_URL.match(", 'extract_catstags("category"',
             'extract_catstags("tag"', "extract_license(", "clean_and_trim("]
    assert [source.find(step) for step in steps] == sorted(source.find(step) for step in steps)
    assert all(step in source for step in steps)
    assert source.count("metadata.") == 41  # no step added or dropped between them
    # The field values themselves are compared in tests/test_trafilatura_metadata.py.


def test_preload_reaches_the_lazy_tables() -> None:
    # crawler/preload.py loads these before forking workers (memory, not correctness).
    from htmldate.extractors import get_external_parser, month_words
    from trafilatura.external import try_justext

    assert callable(try_justext) and callable(month_words)
    assert get_external_parser().get_date_data("26 November 2024") is not None


def test_stats_collector_skips_scrapy_s_attribute_shim() -> None:
    # crawler/stats.py replaces Scrapy 2.19's per-access __getattribute__ shim.
    from scrapy.statscollectors import MemoryStatsCollector

    from crawler.stats import CrawlStats

    assert "__getattribute__" in vars(MemoryStatsCollector) or "__getattribute__" in vars(MemoryStatsCollector.__mro__[1])
    assert CrawlStats.__getattribute__ is object.__getattribute__


def test_scrapy_refusal_texts_are_scrapy_s() -> None:
    # crawler/failures.py tells these plain IgnoreRequests apart by their text.
    import inspect

    from scrapy.downloadermiddlewares import redirect, robotstxt
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded

    from crawler.failures import SCRAPY_REFUSALS

    sources = inspect.getsource(robotstxt) + inspect.getsource(redirect)
    for text in SCRAPY_REFUSALS:
        assert f'IgnoreRequest("{text}")' in sources, text
    assert issubclass(_DecompressionMaxSizeExceeded, Exception)
