"""The standfirst above the body's container: put back before the body
when the page marks it so, and nothing else is (crawler/standfirst.py)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from crawler.blocks import as_line, line_blocks
from crawler.container import body_container, placing_blocks
from crawler.extract import extract_article
from crawler.standfirst import find_standfirst
from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import ReplicaSite, Reply, loopback_available, section_page
from tests.support.config import minimal_config, write_toml

LEAD = "Artists who tested OpenAI's video tool say they were used as unpaid testers, and they leaked it in protest."
PARAGRAPHS = (
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
    "The company said participation in the early access program had been voluntary and that it would review.",
)
PAGE = """<html><head><title>Artists leak Sora</title></head><body>
{top}
<nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<main><div class="story">
<header><h1>Artists leak OpenAI's Sora</h1>{above}</header>
<div class="post-content">{body}</div>
{below}
</div></main>
<aside>{aside}</aside>
</body></html>"""


def _page(above: str = "", below: str = "", aside: str = "", top: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return PAGE.format(above=above, body=body, below=below, aside=aside, top=top)


def _standfirst(html: str, lines: tuple[str, ...] = PARAGRAPHS) -> list[str]:
    tree = lxml.html.document_fromstring(html)
    placing = placing_blocks(line_blocks(tree, lines))
    container = body_container(placing)
    assert container is not None
    return find_standfirst(tree, lines, placing, container)


@pytest.mark.parametrize("mark", [
    'class="article-lead"', 'class="dek"', 'class="teaser-text description"', 'class="entry-summary"',
    'id="standfirst"', 'itemprop="description"', 'class="chapo"', 'class="site__teaser"',
])
def test_a_lead_marked_as_such_above_the_body_is_the_standfirst(mark: str) -> None:
    assert _standfirst(_page(above=f"<p {mark}>{LEAD}</p>")) == [LEAD]


def test_a_deck_is_a_standfirst() -> None:
    assert _standfirst(_page(above=f'<div><h2 class="article-deck article__deck">{LEAD}</h2></div>')) == [LEAD]


def test_the_date_a_dek_shows_is_not_the_standfirst() -> None:
    # National Geographic ends its dek with the day: a date, not the lead.
    deck = f'<div class="ngart-hl__deck"><h2>{LEAD}<span class="ngart-hl__date">Monday, 6 January 2020</span></h2></div>'
    assert _standfirst(_page(above=deck)) == [LEAD]
    # a <time> inside the lead's sentence is a word of it
    timed = LEAD.replace("leaked it", "leaked it on <time datetime='2024-11-26'>Tuesday</time>")
    assert _standfirst(_page(above=f'<p class="lead">{timed}</p>')) == [
        LEAD.replace("leaked it", "leaked it on Tuesday")]


def test_a_paragraph_of_the_headlines_header_is_the_standfirst_whatever_its_class() -> None:
    # HTML's own mark: the <header> that holds the <h1>, or an <hgroup>.
    assert _standfirst(_page(above=f'<p class="text-xl md:text-2xl">{LEAD}</p>')) == [LEAD]
    hgroup = _page().replace("<h1>Artists leak OpenAI's Sora</h1>",
                             f"<hgroup><h1>Artists leak OpenAI's Sora</h1><h2>{LEAD}</h2></hgroup>")
    assert _standfirst(hgroup) == [LEAD]
    # The headline's header may hold its kicker in a <p> first: the lead
    # after it is still found.
    assert _standfirst(_page(above=f"<p>Artificial intelligence and art</p><p>{LEAD}</p>")) == [LEAD]


@pytest.mark.parametrize("above", [
    "<p>Published December 29, 2014 at 9:11 PM, updated 3 hours ago by our staff.</p>",  # a dateline
    "<p>Home » Technology » Artificial intelligence » Artists leak OpenAI's Sora</p>",  # a breadcrumb
    f'<p class="article-meta">{LEAD}</p>',  # marked as the page's furniture
    "<p>Artists leak OpenAI's Sora video tool in protest against unpaid testing</p>",  # a headline, not sentences
    "<p>Agenturfotos: Reuters/Getty-Images/Picture-Alliance.</p>",  # a credit, not sentences
])
def test_other_lines_of_the_headlines_header_are_not_the_standfirst(above: str) -> None:
    assert _standfirst(_page(above=above)) == []


def test_a_paragraph_of_a_header_without_the_headline_is_not_the_standfirst() -> None:
    # A card's <header> (a related story above the body) holds no <h1>.
    html = _page().replace("<h1>Artists leak OpenAI's Sora</h1>", f"<h2>Related</h2><p>{LEAD}</p>")
    assert _standfirst(html) == []


def test_a_hyphenated_page_is_read_as_trafilatura_writes_it() -> None:
    # A hyphenation plugin puts soft hyphens into every long word of the
    # page; trafilatura's lines have none.  The body is still placed on
    # the page, and the standfirst comes back without them.
    def hyphenated(text: str) -> str:
        return " ".join(w[:4] + "\xad" + w[4:] if len(w) > 7 else w for w in text.split())

    body = "".join(f"<p>{hyphenated(p)}</p>" for p in PARAGRAPHS)
    html = PAGE.format(above=f"<p class='lead'>{hyphenated(LEAD)}</p>", body=body, below="", aside="", top="")
    assert _standfirst(html) == [LEAD]


def test_what_wraps_the_whole_article_does_not_hide_its_standfirst() -> None:
    # A page-wide <form> (ASP.NET) and a media-ish class on the article
    # wrap the body as much as the lead: only what wraps the lead alone
    # says what it is.
    html = _page(above=f'<p class="lead">{LEAD}</p>').replace(
        "<main>", '<form id="aspnetForm"><main class="post type-media has-post-thumbnail">'
    ).replace("</main>", "</main></form>")
    assert _standfirst(html) == [LEAD]


def test_a_standfirst_of_several_paragraphs_keeps_them_apart() -> None:
    second = "The group posted a statement and a link to a page where anyone could try the model for three hours."
    html = _page(above=f'<div class="article-intro"><p>{LEAD}</p><p>{second}</p></div>')
    assert _standfirst(html) == [LEAD, second]


def test_a_subtitle_and_the_lead_under_it_are_both_the_standfirst() -> None:
    # A kicker-like subtitle, then the lead paragraph: the first was the
    # only one read, and the lead, the one a rewrite most often touches,
    # was lost.
    subtitle = "Potential for a more honest early access program, the artists say in their open letter"
    html = _page(above=f'<h2 class="subline">{subtitle}</h2><p class="lead">{LEAD}</p>')
    assert _standfirst(html) == [subtitle, LEAD]
    # After a lead, or after the subtitle's lead, a marked block is another
    # story's teaser (a run of them above the body), or a promo.
    promo = "One month of the whole season, every match live, for a third of the price."
    assert _standfirst(_page(above=f'<p class="lead">{LEAD}</p><p class="teaser-text">{promo}</p>')) == [LEAD]
    html = _page(above=f'<h2 class="subline">{subtitle}</h2><p class="lead">{LEAD}</p><p class="teaser">{promo}</p>')
    assert _standfirst(html) == [subtitle, LEAD]
    titles = "".join(f'<div class="teaser-title">{title}, and what the artists did next</div>'
                     for title in ("OpenAI pauses Sora", "Artists publish their letter"))
    assert _standfirst(_page(above=titles + f'<p class="lead">{LEAD}</p>')) == [
        "OpenAI pauses Sora, and what the artists did next"]
    # A lead inside a marked intro is read once, with its intro, and so is
    # a marked part of its sentence.
    html = _page(above=f'<div class="article-intro"><p class="lead">{LEAD}</p></div>')
    assert _standfirst(html) == [LEAD]
    summary = "OpenAI paused the program for every artist within hours of the leak."
    html = _page(above=f'<div class="article-intro"><p>{LEAD} <span class="summary">{summary}</span></p></div>')
    assert _standfirst(html) == [f"{LEAD} {summary}"]


@pytest.mark.parametrize("where", [
    # below the body: a teaser of another story
    {"below": f'<div class="teaser"><p>{LEAD}</p></div>'},
    # in the site's banner, far above the article; in a sidebar, in
    # navigation, inside a link
    {"top": f'<div class="site-intro"><p>{LEAD}</p></div>'},
    {"aside": f'<p class="lead">{LEAD}</p>'},
    {"above": f'<nav><p class="lead">{LEAD}</p></nav>'},
    {"above": f'<a href="/other"><span class="teaser-text">{LEAD}</span></a>'},
    # an author's bio, a photo caption: their markup says what they are
    {"above": f'<div class="author-description">{LEAD}</div>'},
    {"above": f'<p class="lead-image-caption">{LEAD}</p>'},
    # the site's tagline, and what its banner holds, however near
    {"above": f'<p class="site-description">{LEAD}</p>'},
    {"above": f'<div id="masthead"><p class="description">{LEAD}</p></div>'},
    # unmarked (and not a paragraph of the headline's header itself),
    # too short, mostly links, or a widget's script
    {"above": f"<div><p>{LEAD}</p></div>"},
    {"above": '<p class="lead">Sora, leaked.</p>'},
    {"above": f'<p class="lead"><a href="/a">{LEAD}</a></p>'},
    {"above": f'<div class="lead"><script>var x = 1;</script>{LEAD}</div>'},
])
def test_nothing_else_is_the_standfirst(where: dict[str, str]) -> None:
    assert _standfirst(_page(**where)) == []


HERO_PAGE = """<html><body>
<section class="article-hero"><div class="hero__inner"><div class="hero__titles">
<h1 class="hero__title">Artists leak OpenAI's Sora</h1>{dek}</div></div></section>
<section class="article-main"><div class="article-body"><div class="article-copy">{body}</div></div></section>
</body></html>"""


def _hero(dek: str) -> str:
    return HERO_PAGE.format(dek=dek, body="".join(f"<p>{p}</p>" for p in PARAGRAPHS))


def test_a_marked_dek_under_the_headline_far_from_the_body_is_the_standfirst() -> None:
    # A hero banner holds the headline and its dek, a section away from
    # the body: farther than a lead is looked for around the body.
    assert _standfirst(_hero(f'<h2 class="hero__subtitle">{LEAD}</h2>')) == [LEAD]
    assert _standfirst(_hero(f'<div class="c-head"><p class="article-subheadline">{LEAD}</p></div>')) == [LEAD]


@pytest.mark.parametrize("dek", [
    f"<h2>{LEAD}</h2>",  # not marked as a dek
    f'<h2 class="hero__caption">{LEAD}</h2>',  # marked as something else
    f'<a href="/other"><h2 class="hero__subtitle">{LEAD}</h2></a>',  # a link to another story
])
def test_nothing_else_under_a_far_headline_is_the_standfirst(dek: str) -> None:
    assert _standfirst(_hero(dek)) == []


def test_a_marked_lead_far_from_the_body_and_from_the_headline_is_not_the_standfirst() -> None:
    # Above the headline, or under it but deeper than the headline's own
    # wrapper (a teaser block in the hero).
    above = _hero("").replace('<h1 class="hero__title">', f'<p class="teaser-text">{LEAD}</p><h1 class="hero__title">')
    assert _standfirst(above) == []
    deep = f'<div class="box"><div class="box__inner"><p class="teaser-text">{LEAD}</p></div></div>'
    assert _standfirst(_hero(deep)) == []
    # A site's logo in an <h1> of no words, its name linking home (a
    # blog's description sits under it), a menu's teaser card linking to
    # its story: none is the headline.
    dek = f'<h2 class="hero__subtitle">{LEAD}</h2>'
    for h1 in ('<img src="/logo.png" alt="">', '<a href="https://a.test/">The Sora Blog</a>',
               '<a href="/2024/11/20/zoos">"Zoos are a model of the past"</a>'):
        assert _standfirst(_hero(dek).replace("Artists leak OpenAI's Sora</h1>", f"{h1}</h1>")) == []
    # A link in place ("#") is not another page.
    anchored = _hero(dek).replace("Artists leak OpenAI's Sora</h1>", '<a href="#top">Artists leak Sora</a></h1>')
    assert _standfirst(anchored) == [LEAD]


@pytest.mark.parametrize("head", [
    '<div class="header"><h1>Artists leak OpenAI\'s Sora video tool in protest at unpaid work</h1></div>',
    "<h2 class=\"topline\">OpenAI's video tool, leaked by the artists who tested it</h2>",
    # ... read as one line with its kicker: the header's block.
    '<div class="header"><span>Report</span><h1>Artists leak OpenAI\'s Sora video tool in protest</h1></div>',
])
def test_a_lead_under_the_headline_the_extractor_read_as_the_bodys_first_line_is_the_standfirst(head: str) -> None:
    # The extractor kept the headline (or the kicker) with a short body, so
    # the container holds it: the lead below it is still above the body.
    body = PARAGRAPHS[:2]
    html = ('<html><body><main><div class="article">' + head + f'<div class="teaser-text"><p>{LEAD}</p></div>'
            + '<div class="body">' + "".join(f"<p>{p}</p>" for p in body) + "</div></div></main></body></html>")
    headline = as_line(lxml.html.fromstring(head).text_content())
    assert _standfirst(html, (headline, *body)) == [LEAD]


def test_a_standfirst_already_in_the_body_is_not_added_twice() -> None:
    assert _standfirst(_page(above=f'<p class="lead">{LEAD}</p>'), (LEAD, *PARAGRAPHS)) == []


def test_the_extracted_article_opens_with_its_standfirst_and_its_edits_are_edits() -> None:
    url = "https://a.test/2024/11/26/sora"
    html = _page(above=f'<p class="article-lead">{LEAD}</p>')
    extracted = extract_article(html, url)
    assert extracted is not None
    assert extracted.text.split("\n")[0] == LEAD and extracted.text.count(LEAD) == 1
    assert PARAGRAPHS[0] in extracted.text
    rewritten = extract_article(html.replace("unpaid testers", "unpaid beta testers"), url)
    assert rewritten is not None and rewritten.content_hash != extracted.content_hash
    # The page around it changing (a teaser below the body) is not.
    teaser = '<div class="teaser"><p>Read next: a story about another tool that leaked this week, in full.</p></div>'
    around = extract_article(_page(above=f'<p class="article-lead">{LEAD}</p>', below=teaser), url)
    assert around is not None and around.text.split("\n")[0] == LEAD
    assert around.content_hash == extracted.content_hash


# -- through the real crawl -----------------------------------------------------

class StandfirstSite:
    """One outlet, one article with a standfirst above its body and a
    teaser of another story below it."""

    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.host = self.site.add_host("standfirst", "127.0.0.7")
        self.lead = LEAD
        self.teaser = "Read next: OpenAI's dev day, recapped, with every announcement in one place."
        self.host.route("/2024/11/27/artists-leak-sora", lambda _info: Reply(200, self.page()))
        self.host.route("/", section_page([]))
        self.host.route("/ai", section_page([("/2024/11/27/artists-leak-sora", "Artists leak Sora")]))

    def page(self) -> bytes:
        teaser = f'<div class="teaser"><p>{self.teaser}</p></div>'
        html = _page(above=f'<p class="article-lead">{self.lead}</p>', below=teaser)
        return html.replace("<head>", '<head><meta property="article:published_time" content="2024-11-27T10:00:00Z">'
                            ).encode()

    def config(self, folder: Path, database_url: str) -> Path:
        outlet = {"key": "standfirst", "name": "Standfirst", "home": self.host.url("/"),
                  "sections": [self.host.url("/ai")]}
        return write_toml(folder / "storywatch.toml", minimal_config(
            database_url, [outlet], crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5,
                                           "extract_workers": 1}))


@pytest.mark.slow
def test_a_rewritten_standfirst_is_a_version_through_the_crawl(tmp_path: Path, sqlite_url: str) -> None:
    if not loopback_available("127.0.0.7"):
        pytest.skip("loopback address 127.0.0.7 is not usable here")
    site = StandfirstSite()
    try:
        cli = Cli(site.config(tmp_path, sqlite_url), tmp_path)
        cli("db", "upgrade")
        cli("crawl")
        url = site.host.url("/2024/11/27/artists-leak-sora")

        def texts() -> list[str]:
            return [v.text for v in db_state(sqlite_url)["versions"][url]]

        [first] = texts()
        assert first.split("\n")[0] == LEAD
        site.teaser = "Read next: Apple's event, live, as it happened, with every product in one place."
        cli("crawl", "--recheck")
        assert len(texts()) == 1  # the page around the article changed
        site.lead = LEAD.replace("unpaid testers", "unpaid beta testers")
        cli("crawl", "--recheck")
        assert [text.split("\n")[0] for text in texts()] == [LEAD, site.lead]
    finally:
        site.site.close()
