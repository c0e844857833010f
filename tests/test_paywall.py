"""Subscriber pages: teasers recognised (isAccessibleForFree, hasPart,
barrier markup), their own chain of versions (a changed headline or
standfirst is an edit), the first complete text after them not an edit,
a complete version never replaced by a teaser, subscriber-only in the digest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crawler.extract import extract_article
from digest.render import render
from digest.select import select_day
from storage import record as recording
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import ArticleVersion
from storage.record import FetchRecord, ensure_outlets
from storywatch.article import Extracted, Relevance
from storywatch.revisit import RevisitPolicy

T0 = dt.datetime(2024, 11, 27, 9, tzinfo=dt.UTC)
ZONE = ZoneInfo("Europe/London")
POLICY = RevisitPolicy(since=dt.date(2024, 11, 1))
TEASER = "Artists who had early access to OpenAI's Sora leaked it in protest on Tuesday."
FULL = [TEASER, "The group, calling itself PR Puppets, said it was used for unpaid labor.",
        "OpenAI paused access a few hours later, a spokesperson said."]


def _page(json_ld: dict[str, object], body: str, extra: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><title>Sora leak | FT</title>
<meta name="description" content="Artists calling themselves PR Puppets leak access">
<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": "Sora leak", **json_ld})}</script>
</head><body><article><h1>Sora leak</h1>{body}</article>{extra}</body></html>""".encode()


def test_teasers_are_recognised_three_ways() -> None:
    teaser = f"<p>{TEASER}</p>"
    marked = extract_article(_page({"isAccessibleForFree": False}, teaser), "https://ft.example/content/1")
    parts = extract_article(_page({"isAccessibleForFree": True, "hasPart": {
        "@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}}, teaser), None)
    barrier = extract_article(_page({}, teaser, '<div id="barrier-page"><h2>Subscribe to unlock</h2></div>'), None)
    free = extract_article(_page({}, "".join(f"<p>{p}</p>" for p in FULL)), None)
    for extracted in (marked, parts, barrier):
        assert extracted is not None and extracted.is_partial and extracted.partial_reason == "paywall"
        assert TEASER in extracted.text and extracted.description
    assert free is not None and not free.is_partial


COMPLETE_BRIEF = "".join(f"<p>{p}</p>" for p in FULL)


def _read(body: str, extra: str = "") -> Extracted:
    extracted = extract_article(_page({}, body, extra), "https://news.example/2024/11/sora.html")
    assert extracted is not None
    return extracted


def test_a_subscription_menu_in_the_footer_is_no_paywall() -> None:
    # A print newspaper's footer offers its subscribers' services on every
    # page; a short article (or an edit that shortened one) is no teaser.
    menu = ('<footer id="footer"><div class="footer-col"><h2>Already a subscriber</h2>'
            '<ul><li>Manage your subscription</li></ul></div></footer>')
    assert not _read(COMPLETE_BRIEF, menu).is_partial
    prompt = '<div class="offer"><p>Already a subscriber? Sign in to read on.</p></div>'
    assert _read(f"<p>{TEASER}</p>", prompt).partial_reason == "paywall"


def test_barrier_markup_that_says_nothing_of_this_page_is_no_paywall() -> None:
    # An empty modal every page prints for a script to fill (Newsquest's
    # local papers, Condé Nast's), an icon named "paywall", a menu.
    empty = ('<div id="paywallWindowOverlay"></div><svg><symbol id="paywall"><title>Lock icon here</title></symbol></svg>'
             '<aside class="PaywallModalWrapper paywall-modal"></aside><ul class="paywallUserNavigation"><li>E-paper</li></ul>')
    assert not _read(COMPLETE_BRIEF, empty).is_partial
    # The paragraphs a metered paywall would hide, marked so and all there.
    hidden = ("The group said in an open letter that hundreds of artists had given unpaid labor to OpenAI through "
              "bug testing and feedback, while the company stood to gain from their work and their names.")
    marked = _read(f"<p>{TEASER}</p><p class='paywall'>{hidden}</p>")
    assert hidden in marked.text and not marked.is_partial
    assert _read(f"<p>{TEASER}</p>", "<div class='paywall'><p>Subscribe to unlock it</p></div>").partial_reason == "paywall"


def _content(title: str, description: str, paragraphs: list[str], partial: bool) -> Extracted:
    return Extracted(
        title=title, authors=("A. Writer",), published_at=T0 - dt.timedelta(hours=2), modified_at=None,
        text="\n".join(paragraphs), description=description, language="en", tags=(), is_partial=partial,
        partial_reason="paywall" if partial else None, extractor_version="7",
    )


def test_an_edit_of_a_page_an_older_extractor_took_for_a_teaser_is_an_edit(sqlite_url: str) -> None:
    # Version 1 was stored as a teaser by an extractor that read an empty
    # paywall modal as a barrier; the current one reads that page (the
    # crawl's re-extraction of it, the baseline) as the complete article,
    # so the next fetch's changed sentence is an edit, not "full text".
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    stored = dataclasses.replace(_content("Sora leak", "Artists leak access", FULL, True), extractor_version="6")
    reread = _content("Sora leak", "Artists leak access", FULL, False)
    edited = _content("Sora leak", "Artists leak access", [*FULL[:2], FULL[2].replace("a few hours", "two hours")], False)
    first = FetchRecord(outlet_key="ft", url="https://ft.example/content/1", kind="page", fetched_at=T0, status=200,
                        raw_sha256="ab" * 32, relevance=Relevance(True, 2.0, ("sora",)), content=stored)
    later = dataclasses.replace(first, fetched_at=T0 + dt.timedelta(hours=1), raw_sha256="cd" * 32, content=edited,
                                baseline=reread)
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("ft", "FT", "https://ft.example/")])
        states = [recording.record_fetch(session, step, outlets, POLICY, ZONE) for step in (first, later)]
    assert [(r.new_version, r.state) for r in states] == [(1, "partial"), (2, "new_version")]
    with sessions() as session:
        versions = list(session.scalars(select(ArticleVersion).order_by(ArticleVersion.number)))
        assert versions[1].change_kinds == "paragraphs_edited"


def test_teasers_chain_and_the_full_text_is_not_an_edit(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    first = _content("Sora leak", "Artists leak access", [TEASER], True)
    base = FetchRecord(outlet_key="ft", url="https://ft.example/content/1", kind="page", fetched_at=T0, status=200,
                       raw_sha256="ab" * 32, relevance=Relevance(True, 2.0, ("sora",)), content=first)

    def at(hours: int, content: Extracted) -> FetchRecord:
        return dataclasses.replace(base, fetched_at=T0 + dt.timedelta(hours=hours), content=content)

    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("ft", "FT", "https://ft.example/")])
        steps = [
            at(0, first),  # v1: a teaser
            at(1, _content("Sora leak", "Artists leak access", [TEASER], True)),  # the same teaser
            at(2, _content("Sora leak", "Artists calling themselves PR Puppets leak access", [TEASER], True)),  # v2
            at(3, _content("OpenAI's Sora leaked", "Artists calling themselves PR Puppets leak access", [TEASER], True)),
            at(4, _content("OpenAI's Sora leaked", "Artists calling themselves PR Puppets leak access", FULL, False)),
            at(5, _content("OpenAI's Sora leaked", "Artists calling themselves PR Puppets leak access", [TEASER], True)),
            at(6, _content("OpenAI's Sora leaked", "A new standfirst", [*FULL, "Update: OpenAI responded."], False)),
        ]
        states = [recording.record_fetch(session, step, outlets, POLICY, ZONE) for step in steps]
    assert [(r.new_version, r.state) for r in states] == [
        (1, "partial"), (None, "same_content"), (2, "partial"), (3, "partial"), (4, "new_version"),
        (None, "partial"), (5, "new_version"),
    ]
    with sessions() as session:
        versions = list(session.scalars(select(ArticleVersion).order_by(ArticleVersion.number)))
        kinds = [v.change_kinds for v in versions]
        assert kinds == [None, "standfirst", "headline", "full_text", "paragraphs_added,update_notice"]
        assert [v.is_partial for v in versions] == [True, True, True, False, False]
        # The digest: the full text is not a change; the day's teaser edits are,
        # and the article is marked subscriber-only while it is a teaser.
        content = select_day(session, T0.date(), "Sora leak")
    [changed] = content.changed
    assert (changed.from_version, changed.to_version) == (4, 5) and not changed.subscriber_only
    text, html = render(content, ZONE)
    assert "[subscriber-only]" in text and "subscriber-only" in html  # the new article, first seen as a teaser
