"""Issue 20: the pages kept as churn judged again by a later, better rule
(`storywatch rejudge`), on a stored history read by the real extractor."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.version import EXTRACTOR_VERSION
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Article, ArticleVersion, ChurnFetch
from storage.record import FetchRecord, ensure_outlets, record_fetch
from storywatch.article import Relevance
from storywatch.config import Config, load_config
from storywatch.content import compress_html
from storywatch.rejudge import _read_stored_page, rejudge_kept_pages
from storywatch.revisit import RevisitPolicy
from storywatch.templates import EMPTY
from tests.conftest import Cli
from tests.support.config import minimal_config, write_toml

T0 = dt.datetime(2024, 11, 27, 10, 0, tzinfo=dt.UTC)
ZONE = ZoneInfo("UTC")
POLICY = RevisitPolicy(since=dt.date(2024, 11, 1))
URL = "https://replica.test/2024/11/27/sora-leak"
TITLE = "Artists leak access to OpenAI's Sora video tool"
LEAD = "A group of artists calling themselves PR Puppets leaked access to Sora on Tuesday."
BODY = (
    "The group said the early access program used artists for unpaid labor and art washing.",
    "OpenAI said the program was voluntary and that it had paused access while it looked into the leak.",
    "The leaked interface let anyone generate short clips for about three hours before it was shut.",
)
OLD_EXTRACTOR = "old"


def page(lead: str = LEAD, related: tuple[str, ...] = ("Dev day, recapped", "Five tools to try"),
         ago: str = "3 hours ago", table: str = "") -> bytes:
    """An article page: its paragraphs (and ``table``) under a relative
    time, and a list of related links around it."""
    paragraphs = "".join(f"<p>{text}</p>" for text in (lead, *BODY)) + table
    links = "".join(f'<li><a href="/2024/11/2{n}/story-{n}">{text}</a></li>' for n, text in enumerate(related))
    return f"""<!DOCTYPE html><html><head><title>{TITLE}</title>
<meta property="article:published_time" content="2024-11-27T09:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/ai">AI</a></nav>
<article><h1>{TITLE}</h1><p class="time">{ago}</p>{paragraphs}</article>
<aside><h2>Related</h2><ul>{links}</ul></aside></body></html>""".encode()


def _config(folder: Path, database_url: str) -> Path:
    outlet = {"key": "replica", "name": "Replica", "home": "https://replica.test/"}
    return write_toml(folder / "storywatch.toml", minimal_config(database_url, [outlet]))


def _fetch(html: bytes, hours: float) -> FetchRecord:
    content = _read_stored_page(compress_html(html), None, URL, (), EMPTY)
    assert content is not None
    return FetchRecord(outlet_key="replica", url=URL, kind="page", fetched_at=T0 + dt.timedelta(hours=hours),
                       status=200, raw_sha256=hashlib.sha256(html).hexdigest(), compressed_html=compress_html(html),
                       content=content, relevance=Relevance(True, 2.0, ("sora", "leak")))


def _set_aside_by_an_older_rule(session: Session, article_id: int, html: bytes, hours: float) -> None:
    """What an older release did with a fetch it took for churn: counted, page kept."""
    article = session.get(Article, article_id)
    assert article is not None
    article.churn_count += 1
    session.add(ChurnFetch(article_id=article_id, fetched_at=T0 + dt.timedelta(hours=hours),
                           raw_sha256=hashlib.sha256(html).hexdigest(), raw_html=compress_html(html),
                           extractor_version=OLD_EXTRACTOR))


@pytest.fixture
def stored(sqlite_url: str, tmp_path: Path) -> tuple[sessionmaker[Session], Config, int]:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("replica", "Replica", "https://replica.test/")])
        result = record_fetch(session, _fetch(page(), 0), outlets, POLICY, ZONE)
        assert result.new_version == 1
    return sessions, load_config(str(_config(tmp_path, sqlite_url))), result.article_id


def _versions(sessions: sessionmaker[Session], article_id: int) -> list[tuple[int, dt.datetime, str | None]]:
    with sessions() as session:
        return [(v.number, v.fetched_at, v.change_kinds) for v in session.scalars(
            select(ArticleVersion).where(ArticleVersion.article_id == article_id).order_by(ArticleVersion.number))]


def _kept(sessions: sessionmaker[Session]) -> list[tuple[dt.datetime, str]]:
    with sessions() as session:
        return [(k.fetched_at, k.extractor_version) for k in session.scalars(select(ChurnFetch).order_by(ChurnFetch.fetched_at))]


def test_an_edit_an_older_rule_took_for_churn_becomes_the_next_version(
        stored: tuple[sessionmaker[Session], Config, int]) -> None:
    sessions, config, article_id = stored
    edited = page(LEAD.replace("Tuesday", "Wednesday"), related=("Five tools to try", "Dev day, recapped"))
    with sessions.begin() as session:
        _set_aside_by_an_older_rule(session, article_id, edited, 2)

    preview = rejudge_kept_pages(sessions, config, dry_run=True)
    assert [(p.verdict, p.versus, p.written, p.before) for p in preview] == [("edit", 1, None, None)]
    assert [n for n, _, _ in _versions(sessions, article_id)] == [1]  # a dry run writes nothing
    assert _kept(sessions) == [(T0 + dt.timedelta(hours=2), OLD_EXTRACTOR)]

    [judged] = rejudge_kept_pages(sessions, config)
    assert (judged.verdict, judged.versus, judged.written) == ("edit", 1, 2)
    [_, (number, fetched_at, kinds)] = _versions(sessions, article_id)
    assert (number, fetched_at) == (2, T0 + dt.timedelta(hours=2))  # dated when the page was fetched
    assert kinds is not None and "paragraphs_edited" in kinds
    with sessions() as session:
        article = session.get(Article, article_id)
        assert article is not None and article.churn_count == 0
    assert _kept(sessions) == []
    assert rejudge_kept_pages(sessions, config) == []  # run again: nothing twice


def _signatures(berlin: int) -> str:
    """A table of data in the article: each city's name a link, its count plain text."""
    return ("<table><tr><th>City</th><th>Signatures</th></tr>"
            f"<tr><td><a href='/city/berlin'>Berlin</a></td><td>{berlin}</td></tr>"
            "<tr><td><a href='/city/paris'>Paris</a></td><td>15</td></tr></table>")


def test_a_new_figure_in_a_table_of_data_set_aside_before_version_39_becomes_a_version(
        sqlite_url: str, tmp_path: Path) -> None:
    # Before EXTRACTOR_VERSION 39 a table row whose names are links was
    # chrome by its link density: a new count in it was taken for churn.
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    config = load_config(str(_config(tmp_path, sqlite_url)))
    with sessions.begin() as session:
        outlets = ensure_outlets(session, [("replica", "Replica", "https://replica.test/")])
        article_id = record_fetch(session, _fetch(page(table=_signatures(12)), 0), outlets, POLICY, ZONE).article_id
        _set_aside_by_an_older_rule(session, article_id, page(table=_signatures(14)), 2)
        _set_aside_by_an_older_rule(session, article_id, page(table=_signatures(12), ago="5 hours ago"), 4)

    judged = rejudge_kept_pages(sessions, config)
    assert [(p.fetched_at - T0, p.verdict, p.written) for p in judged] == [
        (dt.timedelta(hours=2), "edit", 2),
        (dt.timedelta(hours=4), "edit", 3),  # back to 12: the count changed again
    ]
    assert [n for n, _, _ in _versions(sessions, article_id)] == [1, 2, 3]


def test_churn_stays_churn_and_an_edit_before_a_later_version_is_only_reported(
        stored: tuple[sessionmaker[Session], Config, int]) -> None:
    sessions, config, article_id = stored
    # Only the time and the links around the article changed.
    rotated = page(related=("Five tools to try", "A new model, tested"), ago="4 hours ago")
    edited = page(LEAD.replace("Tuesday", "Wednesday"))
    with sessions.begin() as session:
        _set_aside_by_an_older_rule(session, article_id, rotated, 1)
        _set_aside_by_an_older_rule(session, article_id, edited, 2)
        outlets = ensure_outlets(session, [("replica", "Replica", "https://replica.test/")])
        later = page(LEAD.replace("Tuesday", "Wednesday") + " It was shut three hours later.")
        assert record_fetch(session, _fetch(later, 3), outlets, POLICY, ZONE).new_version == 2
        # Version 1 as an older extractor read it: compared as this release reads its page.
        first = session.scalars(select(ArticleVersion).where(ArticleVersion.number == 1)).one()
        first.extractor_version = OLD_EXTRACTOR
        first.text += "\nAn older extractor read this sentence into the article, wrongly."
        first.content_hash = hashlib.sha256(first.text.encode()).hexdigest()

    judged = rejudge_kept_pages(sessions, config)
    assert [(p.fetched_at - T0, p.verdict, p.versus, p.written, p.before) for p in judged] == [
        (dt.timedelta(hours=1), "churn", 1, None, None),
        (dt.timedelta(hours=2), "edit", 1, None, 2),  # version numbers are never rewritten
    ]
    assert [n for n, _, _ in _versions(sessions, article_id)] == [1, 2]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ChurnFetch)) == 2
        article = session.get(Article, article_id)
        assert article is not None and article.churn_count == 2
    # Judged churn again, now by this release's extractor; the reported edit is left as it was.
    assert [version for _, version in _kept(sessions)] == [EXTRACTOR_VERSION, OLD_EXTRACTOR]


def test_rejudge_from_the_command_line(stored: tuple[sessionmaker[Session], Config, int], tmp_path: Path,
                                       sqlite_url: str) -> None:
    sessions, _config_object, article_id = stored
    with sessions.begin() as session:
        _set_aside_by_an_older_rule(session, article_id, page(LEAD.replace("Tuesday", "Wednesday")), 2)
    cli = Cli(tmp_path / "storywatch.toml", tmp_path)
    assert "pages kept as churn that an older extractor judged: 1 (storywatch rejudge" in cli("status").stdout
    preview = cli("rejudge", "--dry-run").stdout
    assert "edit: would be the next version" in preview
    assert "judged 1 kept page of 1 article again: 0 still churn, 1 edit (1 would be written as versions" in preview
    assert [n for n, _, _ in _versions(sessions, article_id)] == [1]
    applied = cli("rejudge", "--format", "json").stdout
    assert '"written": 2' in applied and '"dry_run": false' in applied
    assert [n for n, _, _ in _versions(sessions, article_id)] == [1, 2]
    assert "judged 0 kept pages of 0 articles again" in cli("rejudge").stdout
    assert '"churn_pages_to_rejudge": 0' in cli("status", "--format", "json").stdout
    assert "v2" in cli("history", str(article_id)).stdout
