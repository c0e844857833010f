"""Content identity, change classification, diffs and the revisit policy,
tested as pure functions."""

from __future__ import annotations

import datetime as dt

from storywatch.content import content_hash, normalise_text
from storywatch.diffing import classify_change, sentence_diff, word_diff
from storywatch.revisit import RevisitPolicy

T0 = dt.datetime(2024, 11, 26, 12, tzinfo=dt.UTC)
BODY = "First paragraph about the Sora leak.\nSecond paragraph. It has two sentences."


def test_content_hash_ignores_whitespace_and_invisibles_but_not_words() -> None:
    base = content_hash("Title", ["A", "B"], BODY)
    assert content_hash(" Title ", ["A", "B"], BODY.replace(" ", "  ") + "\n\n") == base
    assert content_hash("Title", ["A", "B"], BODY.replace("Sora", "So\u200bra")) == base
    assert content_hash("Title", ["A", "B"], BODY.replace("ﬁ", "fi")) == base
    assert content_hash("Title", ["B", "A"], BODY) != base  # author order matters
    assert content_hash("Title!", ["A", "B"], BODY) != base
    assert content_hash("Title", ["A", "B"], BODY + " More.") != base
    assert normalise_text("a\u00adb\u200c c\n\td") == "ab c d"
    # An ASCII line takes a shorter road to the same text: every kind of
    # space, the separators a page's text may hold among them, folds.
    assert normalise_text(" \x0bHe was\x1c\x1f 45.\r\n") == "He was 45."
    assert normalise_text("\u2003He was\u00a045.\u2028") == "He was 45."


def test_classify_headline_and_update() -> None:
    new_body = BODY + "\nUpdate, November 27th: OpenAI responded."
    change = classify_change("Old title", ["A"], BODY, "New title", ["A"], new_body)
    assert change.kinds == ("headline", "paragraphs_added", "update_notice")
    assert change.added == ("Update, November 27th: OpenAI responded.",)
    assert not change.is_minor and change.size > 0


def test_classify_correction_removal_edit_byline() -> None:
    corrected = BODY.replace("two sentences", "three sentences") + "\nCorrection: an earlier version misnamed the group."
    change = classify_change("T", ["A"], BODY, "T", ["A", "B"], corrected)
    assert {"byline", "paragraphs_edited", "paragraphs_added", "correction"} <= set(change.kinds)
    removed = classify_change("T", ["A"], BODY, "T", ["A"], "First paragraph about the Sora leak.")
    assert "paragraphs_removed" in removed.kinds
    assert removed.removed == ("Second paragraph.", "It has two sentences.")


def test_trivial_changes_are_minor() -> None:
    punctuation = classify_change("T", [], BODY, "T", [], BODY.replace("leak.", "leak!"))
    assert punctuation.is_minor and "minor" in punctuation.kinds
    dated = classify_change("T", [], BODY + "\nUpdated Nov 26, 2024, 10:00 AM", "T", [], BODY + "\nUpdated Nov 27, 2024, 11:30 AM")
    assert dated.is_minor


def test_diffs() -> None:
    ops = sentence_diff(BODY, BODY + " A new sentence.")
    assert [o.text for o in ops if o.op == "insert"] == ["A new sentence."]
    words = word_diff("Artists leak Sora", "Artists leaked Sora")
    assert [(o.op, o.text) for o in words] == [("equal", "Artists"), ("delete", "leak"), ("insert", "leaked"), ("equal", "Sora")]


def test_revisit_ladder_over_a_timeline() -> None:
    policy = RevisitPolicy(since=dt.date(2024, 11, 26))

    def after(checked: dt.timedelta) -> dt.timedelta | None:
        next_at = policy.next_check(relevant=True, checked_at=T0 + checked, newest_version_at=T0,
                                    first_seen_at=T0, published_at=T0)
        return None if next_at is None else next_at - (T0 + checked)

    assert after(dt.timedelta(minutes=10)) == dt.timedelta(minutes=15)
    assert after(dt.timedelta(hours=5)) == dt.timedelta(hours=1)
    assert after(dt.timedelta(days=2)) == dt.timedelta(hours=3)
    assert after(dt.timedelta(days=10)) == dt.timedelta(days=1)
    assert after(dt.timedelta(days=31)) is None  # retired
    # A new version resets the clock.
    fresh = policy.next_check(relevant=True, checked_at=T0 + dt.timedelta(days=10),
                              newest_version_at=T0 + dt.timedelta(days=10), first_seen_at=T0, published_at=T0)
    assert fresh == T0 + dt.timedelta(days=10, minutes=15)


def test_non_matching_articles_rechecked_daily_for_a_few_days() -> None:
    policy = RevisitPolicy(irrelevant_days=3, since=dt.date(2024, 11, 26))

    def check(checked_at: dt.datetime, published_at: dt.datetime = T0) -> dt.datetime | None:
        return policy.next_check(relevant=False, checked_at=checked_at, newest_version_at=None,
                                 first_seen_at=T0, published_at=published_at)

    assert check(T0) == T0 + dt.timedelta(days=1)
    assert check(T0 + dt.timedelta(days=2)) == T0 + dt.timedelta(days=3)
    assert check(T0 + dt.timedelta(days=3)) is None
    assert check(T0, published_at=T0 - dt.timedelta(days=60)) is None  # published before since


def test_one_due_rule_for_the_crawl_plan_and_status(db_url: str) -> None:
    """Due: its time has come, or a signal came after the last fetch (even
    when retired); the crawl plan and `status` ask the same SQL."""
    from storage.engine import make_engine, make_sessionmaker
    from storage.migrate import upgrade
    from storage.models import Article, Outlet
    from storage.queries import count_due, load_crawl_plan

    upgrade(db_url)
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    now = T0 + dt.timedelta(hours=1)
    later, before = T0 + dt.timedelta(hours=2), T0 - dt.timedelta(minutes=30)
    cases = {  # url: (next_check_at, last_checked_at, signal_at, due)
        "time-not-come": (later, T0, None, False),
        "time-come": (T0 + dt.timedelta(minutes=59), T0, None, True),
        "signal-after-fetch": (later, T0, T0 + dt.timedelta(minutes=30), True),
        "retired-signal-after": (None, T0, T0 + dt.timedelta(minutes=30), True),
        "retired-signal-before": (None, T0, before, False),
        "never-fetched-signal": (None, None, T0 + dt.timedelta(minutes=30), True),
    }
    with sessions.begin() as session:
        outlet = Outlet(key="a", name="A", home="https://a.example/")
        session.add(outlet)
        session.flush()
        for url, (next_check_at, last_checked_at, signal_at, _) in cases.items():
            session.add(Article(outlet_id=outlet.id, url=url, first_seen_at=T0 - dt.timedelta(hours=1),
                                first_seen_day=T0.date(), discovered_via="sitemap", relevant=True,
                                next_check_at=next_check_at, last_checked_at=last_checked_at, signal_at=signal_at))
    with sessions() as session:
        plan = load_crawl_plan(session, ["a"], now)
        assert {a.url for a in plan.due} == {url for url, case in cases.items() if case[3]}
        assert count_due(session, now) == len(plan.due)
    engine.dispose()
