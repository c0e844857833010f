"""Per-outlet selectors: CSS or XPath pinning body, title, byline and date
before the general extraction; checked as config; a selector that stops
matching falls back and is logged once per crawl with its outlet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from crawler.extract import read_article
from crawler.selectors import SelectorError, check_selectors, compile_selector
from storywatch.config import ConfigError, parse_config
from tests.conftest import Cli
from tests.helpers import db_state
from tests.replica import ReplicaSite, loopback_available, section_page
from tests.support.config import minimal_config, write_toml

STORY = ["Artists who had early access to OpenAI's Sora leaked it on Hugging Face in protest.",
         "The group, calling itself PR Puppets, said it was used for unpaid labor and art washing.",
         "OpenAI paused access to the tool a few hours later, a spokesperson said."]
RELATED = ("Elsewhere: a very long paragraph about a different story that the general extraction may well take "
           "for part of the article because it sits right beside it and is written in the same style.")


def page(design: str = "old", title: str = "The Sora leak, pinned") -> bytes:
    body_class = "story-text" if design == "old" else "article-body-v2"
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return f"""<!DOCTYPE html><html><head><title>Replica | Wrong title</title>
<meta property="og:title" content="Wrong title from og"></head><body>
<div class="promo"><p>Subscribe to our newsletter for every story about Sora and the leak.</p></div>
<h1 class="headline">{title}</h1>
<p class="byline"><span class="writer">Jane Doe</span> and <span class="writer">John Roe</span></p>
<p class="stamp">Published <time datetime="2024-11-27T10:00:00Z">27 Nov</time></p>
<div class="{body_class}">{paragraphs}<ul><li>A list item, <b>kept</b> once</li></ul></div>
<div class="related"><p>{RELATED}</p></div>
</body></html>""".encode()


SELECTORS = {"body": ".story-text", "title": "//h1[@class='headline']", "byline": ".byline .writer", "date": ".stamp time"}


def test_selectors_pin_every_field() -> None:
    extracted, _ = read_article(page(), "https://pinned.example/sora", check_selectors(SELECTORS))
    assert extracted is not None
    assert extracted.title == "The Sora leak, pinned"
    assert extracted.authors == ("Jane Doe", "John Roe")
    assert extracted.published_at == dt.datetime(2024, 11, 27, 10, tzinfo=dt.UTC)
    assert extracted.text.split("\n") == [*STORY, "A list item, kept once"]
    assert extracted.selectors_missed == ()


def test_a_selector_that_matches_nothing_falls_back_and_says_so() -> None:
    redesigned, _ = read_article(page("new"), "https://pinned.example/sora", check_selectors(SELECTORS))
    assert redesigned is not None
    assert redesigned.selectors_missed == ("body",)
    assert STORY[0] in redesigned.text  # the general extraction read it
    assert redesigned.title == "The Sora leak, pinned"  # the others still pin
    not_a_date, _ = read_article(page(), None, [("date", ".headline")])
    assert not_a_date is not None and not_a_date.selectors_missed == ("date",)


def test_selectors_are_css_or_xpath_and_bad_ones_are_named() -> None:
    tree = lxml.html.fromstring("<html><body><article><div class='body'><p>one</p></div></article></body></html>")
    assert len(compile_selector("article .body > p")(tree)) == 1
    assert len(compile_selector("//div[@class='body']//p")(tree)) == 1
    assert check_selectors({"date": "time", "body": "main"}) == [("body", "main"), ("date", "time")]
    with pytest.raises(SelectorError, match=r"^selectors\.body: not a valid CSS selector: 'div\[' "):
        check_selectors({"body": "div["})
    with pytest.raises(SelectorError, match=r"^selectors\.title: not a valid XPath: '//h1\[' "):
        check_selectors({"title": "//h1["})
    outlet = {"key": "pinned", "name": "Pinned", "home": "https://pinned.example/"}
    with pytest.raises(ConfigError, match=r"outlets\[pinned\]\.selectors\.headline"):
        parse_config(minimal_config("sqlite:///x.db", [{**outlet, "selectors": {"headline": "h1"}}]))


class PinnedSite:
    def __init__(self) -> None:
        self.site = ReplicaSite()
        self.host = self.site.add_host("pinned", "127.0.0.7")
        paths = {"/2024/11/27/sora-leak-pinned": page("old"),
                 "/2024/11/28/sora-leak-redesigned": page("new", "Sora leak, redesigned"),
                 "/2024/11/29/sora-leak-redesigned-again": page("new", "Sora leak, redesigned again")}
        for path, body in paths.items():
            self.host.route(path, body)
        self.host.route("/", section_page([]))
        self.host.route("/ai", section_page([(path, "story") for path in paths]))

    def config(self, folder: Path, database_url: str, selectors: dict[str, str]) -> Path:
        outlet = {"key": "pinned", "name": "Pinned", "home": self.host.url("/"), "sections": [self.host.url("/ai")],
                  "selectors": selectors}
        return write_toml(folder / "storywatch.toml", minimal_config(
            database_url, [outlet], crawl={"allow_private_addresses": True, "per_host_delay": 0, "timeout": 5,
                                           "extract_workers": 1}))


@pytest.fixture
def pinned_site() -> Iterator[PinnedSite]:
    if not loopback_available("127.0.0.7"):
        pytest.skip("loopback address 127.0.0.7 is not usable here")
    site = PinnedSite()
    yield site
    site.site.close()


def test_a_bad_selector_is_a_config_error_everywhere(pinned_site: PinnedSite, tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(pinned_site.config(tmp_path, sqlite_url, {"body": "div[", "title": "h1"}), tmp_path)
    for command in (("config", "check"), ("crawl",), ("status",)):
        result = cli(*command, check=False)
        assert result.returncode == 2, command
        assert result.stderr.count("\n") == 1, result.stderr
        assert "outlets[pinned].selectors.body: not a valid CSS selector: 'div['" in result.stderr


@pytest.mark.slow
def test_a_crawl_uses_the_selectors_and_reports_a_redesign_once(
    pinned_site: PinnedSite, tmp_path: Path, sqlite_url: str
) -> None:
    cli = Cli(pinned_site.config(tmp_path, sqlite_url, {"body": ".story-text", "byline": ".writer"}), tmp_path)
    cli("db", "upgrade")
    crawled = cli("crawl")
    state = db_state(sqlite_url)
    pinned = state["versions"][pinned_site.host.url("/2024/11/27/sora-leak-pinned")]
    assert pinned[0].text.split("\n") == [*STORY, "A list item, kept once"]
    assert pinned[0].authors == ["Jane Doe", "John Roe"]
    redesigned = state["versions"][pinned_site.host.url("/2024/11/28/sora-leak-redesigned")]
    assert STORY[0] in redesigned[0].text and redesigned[0].authors == ["Jane Doe", "John Roe"]
    warnings = [line for line in crawled.stderr.splitlines() if "selectors.body" in line]
    assert len(warnings) == 1 and "pinned" in warnings[0] and "matched nothing" in warnings[0], crawled.stderr
