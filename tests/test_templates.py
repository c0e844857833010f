"""Each outlet's template, learnt (storywatch/templates.py): on strings, and
its counts as the storage keeps them."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Outlet, TemplateBlock
from storage.queries import load_templates
from storage.record import count_template_prints, ensure_outlets
from storywatch.article import Extracted
from storywatch.templates import (
    EMPTY,
    MIN_PAGES,
    block_print,
    page_prints,
    snapshot,
    template_lines,
    under_template,
)

NEWSLETTER = "Sign up for the Replica AI newsletter to get stories like this every morning."
TEXT = "\n".join([
    "Artists who had early access to OpenAI's Sora leaked it on Hugging Face.",
    NEWSLETTER,
    "OpenAI paused access a few hours later, a spokesperson said.",
])


def _content(text: str = TEXT) -> Extracted:
    return Extracted("Artists leak Sora", ("Jane Doe",), None, None, text, None, "en", (), False, None, "8")


def test_a_line_is_template_when_enough_of_the_outlets_pages_show_it() -> None:
    newsletter = block_print(NEWSLETTER)
    assert block_print("  sign up for the REPLICA AI newsletter to get stories like this every morning. ") == newsletter
    assert snapshot([(newsletter, MIN_PAGES - 1)], pages=6) == EMPTY  # too few pages
    assert snapshot([(newsletter, 9)], pages=40) == EMPTY  # too small a share
    template = snapshot([(newsletter, 12), ("0" * 16, 2)], pages=40)
    assert template.prints == {newsletter} and len(template.version) == 16
    assert snapshot([("0" * 16, 12), (newsletter, 12)], pages=40).version != template.version
    assert snapshot([(newsletter, 30)], pages=40).version == template.version  # the same lines: the same version


def test_template_lines_leave_the_identity_and_stay_in_the_text() -> None:
    template = snapshot([(block_print(NEWSLETTER), 10)], pages=10)
    assert template_lines(TEXT, template) == (1,)
    judged = under_template(_content(), template)
    assert judged.text == TEXT and judged.chrome == (1,)
    without = _content(TEXT.replace(NEWSLETTER + "\n", ""))
    assert under_template(without, template).content_hash == judged.content_hash
    assert _content().content_hash != without.content_hash  # without a template, the line counts
    edited = under_template(_content(TEXT.replace("a few hours", "two hours")), template)
    assert edited.content_hash != judged.content_hash
    assert under_template(_content(), EMPTY) is not None and under_template(_content(), EMPTY).chrome == ()
    kept = dataclasses.replace(_content(), chrome=(0,), content_hash="")
    assert under_template(kept, template).chrome == (0, 1)


def test_counts_follow_what_each_page_shows_now(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    story, newsletter, last = map(block_print, TEXT.split("\n"))
    with sessions.begin() as session:
        outlet_id = ensure_outlets(session, [("replica", "Replica", "https://replica.test/")])["replica"]
        for _ in range(6):
            count_template_prints(session, outlet_id, None, sorted(page_prints(TEXT)))
        # One page drops the newsletter box on a revisit.
        count_template_prints(session, outlet_id, sorted(page_prints(TEXT)), [story])
        counts = {fingerprint: pages for fingerprint, pages in session.execute(
            select(TemplateBlock.fingerprint, TemplateBlock.pages))}
        assert counts == {newsletter: 5, story: 6, last: 5}
        assert session.scalar(select(Outlet.template_pages)) == 6
        assert load_templates(session, ["replica"])["replica"].prints == {newsletter, story, last}
        # Pages that show a line no more take it out of the table.
        for _ in range(5):
            count_template_prints(session, outlet_id, [newsletter], [])
        assert session.scalar(select(TemplateBlock.pages).where(TemplateBlock.fingerprint == newsletter)) is None
        assert newsletter not in load_templates(session, ["replica"])["replica"].prints
