"""crawler.trafilatura_metadata reads the fields trafilatura's
extract_metadata reads, as it reads them, and skips what storywatch never
reads."""

from __future__ import annotations

import pytest
from trafilatura.metadata import extract_author, extract_metadata
from trafilatura.xpaths import AUTHOR_XPATHS

from crawler.extract import extract_article
from crawler.htmltree import load_tree
from crawler.trafilatura_metadata import _search_byline, read_trafilatura_metadata

_BODY = "<p>" + "The artists said the tool had been opened to them as unpaid testers. " * 6 + "</p>"
# Each reaches a different step of extract_metadata.
PAGES = {
    "json-ld": (
        '<html><head><title>Sora leaked | Replica News</title><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Sora leaked", "datePublished": "2024-11-26T10:00:00Z",'
        ' "author": {"@type": "Person", "name": "Jane Doe"}, "publisher": {"name": "Replica News"}}</script>'
        '<meta name="description" content="Artists leak access.">'
        '<meta name="keywords" content="OpenAI, Sora"></head>'
        f"<body><article><h1>Sora leaked</h1>{_BODY}</article></body></html>"
    ),
    "meta tags": (
        '<html><head><title>Sora leaked - replica.example</title>'
        '<meta property="og:title" content="Sora leaked">'
        '<meta property="og:site_name" content="replica news">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-11-27">'
        '<meta property="og:image" content="https://replica.example/sora.png">'
        '<link rel="canonical" href="/2024/11/27/sora-leaked"></head>'
        f"<body><article>{_BODY}</article></body></html>"
    ),
    "only the page's text": (
        "<html><head><title>Sora leaked | replica-news.example</title></head><body>"
        '<h1>Sora leaked</h1><p class="byline">By <a rel="author" href="/authors/jane-doe">Jane Doe</a></p>'
        '<time datetime="2024-11-28">November 28, 2024</time>'
        f"<article>{_BODY}</article>"
        '<div class="tags"><a href="/tag/openai/">OpenAI</a> <a href="/tag/sora/">Sora</a></div>'
        '<a href="/category/tech/">Tech</a><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC</a>'
        "</body></html>"
    ),
    "nothing but a body": f"<html><body>{_BODY}</body></html>",
    "a one-word author, an undated og:url": (
        '<html><head><meta name="author" content="admin"><meta property="og:title" content="Sora &amp;amp; artists">'
        '<meta property="og:url" content="https://replica.example/sora-leaked"></head><body>'
        f'<p class="byline">By Jane Doe</p><article>{_BODY}</article></body></html>'
    ),
}
_FIELDS = ("title", "author", "url", "sitename", "date", "description", "tags")
_URL = "https://replica.example/2024/11/24/sora-leaked"  # where the page was fetched: a day in it


@pytest.mark.parametrize("name", PAGES)
def test_the_fields_read_are_trafilatura_s_own(name: str) -> None:
    tree = load_tree(PAGES[name])
    assert tree is not None
    theirs = extract_metadata(load_tree(PAGES[name]), _URL)
    ours = read_trafilatura_metadata(tree, _URL, with_tags=True, search_byline=True)
    assert {f: getattr(ours, f) for f in _FIELDS} == {f: getattr(theirs, f) for f in _FIELDS}


def test_the_pages_reach_each_step() -> None:
    # Without this the comparison above could pass on pages that never
    # reach the byline search, the tag links or the site name's fallbacks.
    read = {name: extract_metadata(load_tree(html), _URL) for name, html in PAGES.items()}
    assert read["json-ld"].author == "Jane Doe" and read["json-ld"].tags == ["OpenAI, Sora"]
    assert read["meta tags"].sitename == "Replica News"  # title-cased
    assert read["meta tags"].url == "https://replica.example/2024/11/27/sora-leaked"  # the canonical, made whole
    assert read["only the page's text"].author == "Jane Doe"  # the byline search
    assert read["only the page's text"].tags == ["OpenAI", "Sora"]  # the tag links
    assert read["only the page's text"].sitename == "replica-news.example"  # from the <title>
    assert read["nothing but a body"].sitename == "replica.example"  # the URL's host
    assert read["nothing but a body"].date == "2024-11-24"  # the URL's day
    one_word = read["a one-word author, an undated og:url"]
    assert one_word.author == "Jane Doe"  # "admin" is no name: the byline is searched
    assert one_word.date is None  # its own URL, undated, not the dated one it was fetched from
    assert one_word.title == "Sora & artists"  # unescaped


def test_what_is_not_read_is_not_looked_for() -> None:
    html = PAGES["only the page's text"]
    ours = read_trafilatura_metadata(load_tree(html), None, with_tags=False, search_byline=False)
    assert ours.author is None and not ours.tags
    assert ours.categories is None and ours.license is None
    assert ours.title == "Sora leaked" and ours.date == "2024-11-28"


def test_a_byline_is_looked_for_only_where_no_author_is_stated() -> None:
    byline = '<p class="byline">By <a rel="author" href="/authors/jane-doe">Jane Doe</a></p>'
    two = PAGES["only the page's text"].replace(byline, '<p class="byline">By Ann Lee and Jane Doe</p>')
    # No stated author: the byline in the page's text names the article's.
    extracted = extract_article(two, "https://replica.example/a")
    assert extracted is not None and extracted.authors == ("Ann Lee", "Jane Doe")
    assert extracted.tags == ("OpenAI", "Sora")  # no keywords in its meta tags: trafilatura's
    # A JSON-LD trafilatura does not read (it wants an @context) states
    # one: the stated author, the page's text not searched for more names.
    stated = two.replace("<head>", '<head><script type="application/ld+json">'
                         '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Lee"}}</script>')
    extracted = extract_article(stated, "https://replica.example/a")
    assert extracted is not None and extracted.authors == extracted.stated_authors == ("Ann Lee",)


# The byline expressions crawler.trafilatura_metadata's pre-check was
# written for: another trafilatura's must be read again before it is
# trusted (each of their regular expressions' words is in _BYLINE_WORDS).
_AUTHOR_XPATHS_READ = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong][ @rel='author'"
    " or @id='author' or @class='author' or @itemprop='author name' or rel='me' or @data-testid='AuthorCard' or"
    " @data-testid='AuthorURL' or re:test(@class, 'author-?name|AuthorName|authorName')]|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ @class='byline' or"
    " @class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or re:test(@id,"
    " 'author|zuozhe|bianji|xiaobian') or re:test(@class,"
    " 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id, '[Aa]uthor') or"
    " re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
)


def test_the_byline_expressions_are_the_ones_the_pre_check_was_written_for() -> None:
    assert tuple(" ".join(x.path.split()) for x in AUTHOR_XPATHS) == _AUTHOR_XPATHS_READ


# One element for each way those expressions find a byline.
_BYLINES = [
    'rel="author"', 'id="author"', 'class="author"', 'itemprop="author name"', 'data-testid="AuthorCard"',
    'data-testid="AuthorURL"', 'class="author-name"', 'class="story-authorname"', 'class="AuthorName"',
    'class="authorName"', 'class="byline"', 'class="username"', 'class="byl"', 'class="BBL"',
    'itemprop="author"', 'id="post-author"', 'id="zuozhe"', 'id="bianji"', 'id="xiaobian"',
    'class="channel-name"', 'class="zuozhe"', 'class="bianji"', 'class="xiaobian"', 'class="submitted-by"',
    'class="posted-by"', 'class="journalist-name"', 'data-component="Byline"', 'id="Author"',
    'class="Author"', 'class="screenname"', 'class="writer"', 'class="Byline"',
]


@pytest.mark.parametrize("byline", [f"<span {attribute}>Jane Doe</span>" for attribute in _BYLINES]
                         + ["<author>Jane Doe</author>", "<div><rel>me</rel> Jane Doe</div>"])
def test_the_byline_search_finds_every_byline_trafilatura_s_does(byline: str) -> None:
    html = f'<html><body><div class="story">{_BODY}</div>{byline}</body></html>'
    theirs = extract_author(load_tree(html))
    assert theirs is not None
    assert _search_byline(load_tree(html)) == theirs


def test_a_page_showing_no_byline_is_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    html = f'<html><body><div class="story" id="main">{_BODY}</div><p class="note">Jane Doe</p></body></html>'
    assert extract_author(load_tree(html)) is None

    def searched(tree: object) -> str:
        raise AssertionError("searched a page without a byline's attribute")

    monkeypatch.setattr("crawler.trafilatura_metadata.extract_author", searched)
    assert _search_byline(load_tree(html)) is None
