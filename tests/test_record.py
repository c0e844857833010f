"""The first-crawl write (two INSERTs) writes exactly what the general ORM
path writes, on both databases, and steps aside when the article exists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digest.select import lead, select_day
from storage import record as recording
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Article, ArticleAlias, ArticleVersion, ChurnFetch
from storage.record import FetchRecord, ensure_outlets
from storywatch.article import Extracted, Relevance
from storywatch.content import compress_html, decompress_html
from storywatch.report import around_changes, render_diff
from storywatch.revisit import RevisitPolicy

T0 = dt.datetime(2024, 11, 26, 23, 30, tzinfo=dt.UTC)
ZONE = ZoneInfo("Europe/Berlin")  # 23:30 UTC is the next local day
POLICY = RevisitPolicy(since=dt.date(2024, 11, 1))


def _content(partial: bool = False) -> Extracted:
    return Extracted(
        title="Artists leak Sora",
        authors=("A. Writer", "B. Writer"),
        published_at=T0 - dt.timedelta(hours=3),
        modified_at=None,
        text="Artists calling themselves PR Puppets leaked access to Sora.",
        description="A leak.",
        language="en",
        tags=("AI", "OpenAI"),
        is_partial=partial,
        partial_reason="paywall" if partial else None,
        extractor_version="4",
        content_hash="h1",
    )


def _records() -> list[FetchRecord]:
    base = FetchRecord(
        outlet_key="verge",
        url="https://verge.test/a",
        kind="page",
        fetched_at=T0,
        status=200,
        aliases=("https://verge.test/a?utm=x", "https://verge.test/a"),
        discovered_via="sitemap",
        discovered_from="https://verge.test/sitemap.xml",
        etag='"e1"',
        last_modified="Tue, 26 Nov 2024 20:00:00 GMT",
        raw_sha256="ab" * 32,
        compressed_html=b"x\x9c\x03\x00\x00\x00\x00\x01",
        content=_content(),
        relevance=Relevance(True, 2.5, ("sora", "leak")),
        note="via feed",
    )
    return [
        base,
        dataclasses.replace(base, url="https://verge.test/b", aliases=(), relevance=Relevance(False, 0.0, ())),
        dataclasses.replace(base, url="https://verge.test/c", aliases=(), content=_content(partial=True)),
        dataclasses.replace(base, url="https://verge.test/d", aliases=(), syndicated_from="https://wire.test/d"),
    ]


def _rows(session: Session) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for model in (Article, ArticleAlias, ArticleVersion):
        for obj in session.scalars(select(model)):
            rows.append({c.key: getattr(obj, c.key) for c in model.__table__.columns if c.key != "id"})
    return sorted(rows, key=repr)


def _record_all(url: str, fast: bool) -> list[dict[str, Any]]:
    upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        for record in _records():
            if fast:
                result = recording.record_new_page(session, record, outlets["verge"], POLICY, ZONE)
                assert result is not None and result.new_article
            else:
                recording._record_fetch(session, record, outlets, POLICY, ZONE)
    with sessions() as session:
        return _rows(session)


def test_fast_first_write_equals_the_general_path(db_url: str, tmp_path: Any) -> None:
    fast = _record_all(db_url, fast=True)
    general = _record_all(f"sqlite:///{tmp_path / 'general.db'}", fast=False)
    assert fast == general
    assert len([r for r in fast if "number" in r]) == 3  # no version for the irrelevant page


def test_fast_write_steps_aside_for_a_known_url(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    first = _records()[0]
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, first, outlets, POLICY, ZONE).new_version == 1
        # The same URL, and a page reached through an alias only: both taken.
        for again in (first, dataclasses.replace(first, url="https://verge.test/other")):
            assert recording.record_new_page(session, again, outlets["verge"], POLICY, ZONE) is None
        result = recording.record_fetch(session, first, outlets, POLICY, ZONE)
        assert (result.new_article, result.new_version, result.state) == (False, None, "same_content")
        assert session.scalar(select(ArticleVersion.number).where(ArticleVersion.article_id == result.article_id)) == 1


def test_a_fetch_changed_only_in_its_chrome_is_counted_not_versioned(sqlite_url: str) -> None:
    """Issue 20: a fetch whose identity (the body without its chrome lines)
    is unchanged while its text is not makes no version; it is counted on
    the article.  A real edit still is a version."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    body = "Artists calling themselves PR Puppets leaked access to Sora.\n3 hours ago"
    first = dataclasses.replace(
        _records()[0], content=dataclasses.replace(_content(), text=body, chrome=(1,), content_hash="")
    )
    churned = dataclasses.replace(
        first,
        fetched_at=T0 + dt.timedelta(hours=1),
        content=dataclasses.replace(_content(), text=body.replace("3 hours", "4 hours"), chrome=(1,), content_hash=""),
    )
    edited = dataclasses.replace(
        first,
        fetched_at=T0 + dt.timedelta(hours=2),
        content=dataclasses.replace(_content(), text=body.replace("Sora.", "Sora on Tuesday."), chrome=(1,), content_hash=""),
    )
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, first, outlets, POLICY, ZONE).new_version == 1
        result = recording.record_fetch(session, churned, outlets, POLICY, ZONE)
        assert (result.new_version, result.state) == (None, "churn")
        same = recording.record_fetch(session, first, outlets, POLICY, ZONE)
        assert same.state == "same_content"  # the version's own text: nothing changed at all
        assert recording.record_fetch(session, edited, outlets, POLICY, ZONE).new_version == 2
        article = session.get(Article, result.article_id)
        assert article is not None and article.churn_count == 1


def test_an_edit_is_described_without_the_page_around_it(sqlite_url: str) -> None:
    """A version's change (its kinds, size and sentences, which history and
    the digest show) is the article's: a related link that rotated in the
    same fetch is no paragraph added or removed; the digest's excerpt of a
    new article is its own first words, not an audio player's label."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    lead = "Artists calling themselves PR Puppets leaked access to Sora."
    edited_lead = lead.replace("Sora.", "Sora on Tuesday.")

    def fetch(hours: int, first_line: str, related: str) -> FetchRecord:
        text = f"Listen to this article\n{first_line}\nThe group wants fair pay.\nRead more: {related}"
        return dataclasses.replace(_records()[0], fetched_at=T0 + dt.timedelta(hours=hours),
                                   content=dataclasses.replace(_content(), text=text, chrome=(0, 3), content_hash=""))

    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        recording.record_fetch(session, fetch(0, lead, "OpenAI's dev day, recapped"), outlets, POLICY, ZONE)
        edited = fetch(1, edited_lead, "Five AI video tools to try this weekend")
        assert recording.record_fetch(session, edited, outlets, POLICY, ZONE).new_version == 2
        version = session.scalars(select(ArticleVersion).where(ArticleVersion.number == 2)).one()
        assert version.change_kinds == "paragraphs_edited"
        assert version.change_size == len(lead) + len(edited_lead)
        digest = select_day(session, version.fetched_day, "Sora leak")
        first = session.scalars(select(ArticleVersion).where(ArticleVersion.number == 1)).one()
        diff = render_diff(first, version, color=False).split("\n")[1:]
    assert diff == ["~ Artists calling themselves PR Puppets leaked access to [-Sora.-] {+Sora on Tuesday.+}",
                    "(the page around the article, left out of its identity: 1 line(s) gone, 1 new)"]
    assert around_changes("Lead.\nRead more: A", (1,), "Lead.\nRead more: B\nAdvertisement\n", (1, 2, 3)) == (1, 2)
    [[new]] = digest.new_by_outlet.values()
    assert new.excerpt.startswith(lead)
    [changed] = digest.changed
    assert changed.change.kinds == ("paragraphs_edited",)
    assert (changed.change.removed, changed.change.added) == ((lead,), (edited_lead,))


def test_the_excerpt_does_not_repeat_the_headline(sqlite_url: str) -> None:
    """The digest prints a new article's headline and then its first words:
    a body that opens with the headline again (as a fifth of real pages'
    do) is excerpted from the line after it."""
    assert lead("Artists leak Sora.\n\nThe group posted a page.", (), "Artists Leak Sora") == "The group posted a page."
    assert lead("“Sora” leaks\nThe group posted a page.", (), '"Sora" leaks') == "The group posted a page."
    assert lead("Listen\nArtists leak Sora\nThe group posted a page.", (0,), "Artists leak Sora") \
        == "The group posted a page."
    # The headline only, a line that goes on after it, or one further down: kept.
    assert lead("Artists leak Sora", (), "Artists leak Sora") == "Artists leak Sora"
    assert lead("Artists leak Sora to protest.\nMore.", (), "Artists leak Sora").startswith("Artists leak Sora to")
    assert lead("The group posted.\nArtists leak Sora", (), "Artists leak Sora").startswith("The group")
    assert lead("Artists leak Sora\nMore.", (), None).startswith("Artists leak Sora")

    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    body = "Artists calling themselves PR Puppets leaked access to Sora."
    content = dataclasses.replace(_content(), text=f"Artists leak Sora\n{body}", content_hash="")
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        recording.record_fetch(session, dataclasses.replace(_records()[0], content=content), outlets, POLICY, ZONE)
        version = session.scalars(select(ArticleVersion)).one()
        digest = select_day(session, version.fetched_day, "Sora leak")
    [[new]] = digest.new_by_outlet.values()
    assert (new.title, new.excerpt) == ("Artists leak Sora", body)


def test_a_guessed_byline_and_moved_lines_are_churn_a_stated_byline_is_not(sqlite_url: str) -> None:
    """Issue 20: the stored version keeps the authors its identity held
    (``stated_authors``), so a later fetch whose guessed byline changed and
    whose teaser lines only moved is churn; a changed stated byline is an
    edit."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    lines = ["Artists calling themselves PR Puppets leaked access to Sora.",
             "OpenAI's dev day, recapped.", "Sora's first review is in."]

    def fetch(hours: int, text_lines: list[str], authors: tuple[str, ...], stated: tuple[str, ...]) -> FetchRecord:
        content = dataclasses.replace(_content(), text="\n".join(text_lines), authors=authors, stated_authors=stated,
                                      content_hash="")
        return dataclasses.replace(_records()[0], fetched_at=T0 + dt.timedelta(hours=hours), content=content)

    moved = [lines[0], lines[2], lines[1]]
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, fetch(0, lines, ("More by Ana",), ()), outlets, POLICY, ZONE).new_version == 1
        churned = recording.record_fetch(session, fetch(1, moved, ("Mia Sato",), ()), outlets, POLICY, ZONE)
        assert (churned.new_version, churned.state) == (None, "churn")
        stated = recording.record_fetch(session, fetch(2, lines, ("Mia Sato",), ("Mia Sato",)), outlets, POLICY, ZONE)
        assert stated.new_version == 2
        stored = session.scalars(select(ArticleVersion.stated_authors).order_by(ArticleVersion.number)).all()
        assert stored == [[], ["Mia Sato"]]


def test_a_subheading_reworded_or_a_figure_changed_is_a_version_a_label_replaced_is_not(sqlite_url: str) -> None:
    """Issue 20: short lines that are no sentences are page furniture, but
    the article's subheading reworded and its offer's figure changed are
    edits, as the crawl records them."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    lead = "Artists calling themselves PR Puppets leaked access to Sora."

    def fetch(hours: int, heading: str, offer: str, label: str) -> FetchRecord:
        content = dataclasses.replace(_content(), text="\n".join([lead, heading, offer, label]), content_hash="")
        return dataclasses.replace(_records()[0], fetched_at=T0 + dt.timedelta(hours=hours), content=content)

    heading, offer = "What the artists want from OpenAI", "Sora costs $200 a month for now"
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, fetch(0, heading, offer, "Zum Angebot"), outlets, POLICY, ZONE
                                      ).new_version == 1
        relabelled = recording.record_fetch(session, fetch(1, heading, offer, "Jetzt kaufen"), outlets, POLICY, ZONE)
        assert (relabelled.new_version, relabelled.state) == (None, "churn")
        reworded = fetch(2, "What the artists demand of OpenAI", offer, "Jetzt kaufen")
        assert recording.record_fetch(session, reworded, outlets, POLICY, ZONE).new_version == 2
        refigured = fetch(3, "What the artists demand of OpenAI", offer.replace("$200", "$250"), "Jetzt kaufen")
        assert recording.record_fetch(session, refigured, outlets, POLICY, ZONE).new_version == 3


def test_the_pages_of_churn_fetches_are_kept_for_a_later_rule(sqlite_url: str) -> None:
    """Issue 20: a fetch set aside as churn keeps its page (compressed), the
    latest CHURN_FETCHES_KEPT per article; the same page again only moves
    its time."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    body = "Artists calling themselves PR Puppets leaked access to Sora.\n3 hours ago"
    first = dataclasses.replace(
        _records()[0], content=dataclasses.replace(_content(), text=body, chrome=(1,), content_hash="")
    )

    assert first.content is not None

    def churned(hours: int, page_number: int) -> FetchRecord:
        assert first.content is not None
        page = f"<p>{body} ({page_number})</p>".encode()
        return dataclasses.replace(
            first, fetched_at=T0 + dt.timedelta(hours=hours), raw_sha256=hashlib.sha256(page).hexdigest(),
            compressed_html=compress_html(page),
            content=dataclasses.replace(first.content, text=body.replace("3 hours", f"{hours} hours")))

    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        article_id = recording.record_fetch(session, first, outlets, POLICY, ZONE).article_id
        for hours, page_number in ((4, 1), (5, 2), (6, 3), (7, 4), (8, 2)):  # page 2 again, later
            result = recording.record_fetch(session, churned(hours, page_number), outlets, POLICY, ZONE)
            assert result.state == "churn"
        kept = session.scalars(select(ChurnFetch).where(ChurnFetch.article_id == article_id)
                               .order_by(ChurnFetch.fetched_at)).all()
        assert len(kept) == recording.CHURN_FETCHES_KEPT == 3
        assert [(k.fetched_at - T0, decompress_html(k.raw_html)) for k in kept] == [
            (dt.timedelta(hours=h), f"<p>{body} ({n})</p>".encode()) for h, n in ((6, 3), (7, 4), (8, 2))]
        assert all(k.extractor_version == first.content.extractor_version for k in kept)
        assert session.scalar(select(func.count()).select_from(ArticleVersion)) == 1



def test_a_line_both_pages_say_is_churn_a_line_only_the_new_page_says_is_a_version(sqlite_url: str) -> None:
    """Issue 20: a redeploy renamed a class and the extractor now keeps the
    promo box the page always had: the previous version's page says it, so
    the fetch is churn.  A word edited on the page is a version."""
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    lead = "Artists calling themselves PR Puppets leaked access to Sora."
    promo = "Sign up for The Replica Daily, the five stories everyone is talking about."

    def fetch(hours: int, page_lead: str, box_class: str, text_lines: list[str]) -> FetchRecord:
        page = f'<html><body><p>{page_lead}</p><div class="{box_class}"><p>{promo}</p></div></body></html>'.encode()
        content = dataclasses.replace(_content(), text="\n".join(text_lines), content_hash="")
        return dataclasses.replace(_records()[0], fetched_at=T0 + dt.timedelta(hours=hours), content=content,
                                   raw_sha256=hashlib.sha256(page).hexdigest(), compressed_html=compress_html(page))

    edited = lead.replace("Sora", "Sora on Tuesday")
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        assert recording.record_fetch(session, fetch(0, lead, "newsletter", [lead]), outlets, POLICY, ZONE).new_version == 1
        redeployed = recording.record_fetch(session, fetch(1, lead, "nl-3f9a", [lead, promo]), outlets, POLICY, ZONE)
        assert (redeployed.new_version, redeployed.state) == (None, "churn")
        result = recording.record_fetch(session, fetch(2, edited, "nl-3f9a", [edited, promo]), outlets, POLICY, ZONE)
        assert (result.new_version, result.state) == (2, "new_version")


def test_a_dead_link_is_dropped_by_every_article_holding_it(db_url: str) -> None:
    """On SQLite and PostgreSQL: every article holding a gone link drops
    it, exactly that link: not one its text merely contains, nor one
    LIKE's wildcards would match ("_" and "%" are in URLs)."""
    upgrade(db_url)
    sessions = make_sessionmaker(make_engine(db_url))
    dead = "https://verge.test/2024/11/29/sora_leak-100%-künstler"
    alive = ["https://verge.test/2024/11/29/soraXleak-100%-künstler", dead + "-2", "https://verge.test/other"]
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("verge", "The Verge", "https://verge.test/")])
        relevant = [record for record in _records() if record.relevance and record.relevance.relevant]
        for index, record in enumerate(relevant):
            links = (dead, *alive) if index < 2 else tuple(alive)
            recording.record_fetch(session, dataclasses.replace(record, body_links=links), outlets, POLICY, ZONE)
    with sessions.begin() as session:
        held = {a.url: a.body_links for a in session.scalars(select(Article))}
        assert sorted(url for url, links in held.items() if links and dead in links) == [
            "https://verge.test/a", "https://verge.test/c"]
        recording.forget_body_link(session, dead)
    with sessions() as session:
        assert {a.url: a.body_links for a in session.scalars(select(Article))} == {
            url: [link for link in links if link != dead] if links else links for url, links in held.items()}
