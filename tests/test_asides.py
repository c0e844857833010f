"""Asides inside the body's container (crawler/asides.py): the blocks the
page marks as comments, a related list, a newsletter, share, author's or
credit box, on small pages written for this test."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.asides import aside_lines, form_field_lines
from crawler.blocks import line_blocks
from crawler.container import body_container, placing_blocks
from crawler.extract import extract_article

BODY = (
    "A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said in a post.",
    "The artists, who call themselves PR Puppets, said the company used them for unpaid research and testing.",
    "OpenAI shut down the early access a few hours later, a spokesperson said, and paused it for all artists.",
    *(f"Paragraph {i} of the story about the leak goes on, with enough words in it to count as a line." for i in range(5)),
)
ASIDE = "Sign up for the Replica Daily and get the five stories everyone is talking about every morning."
UPDATE = "Update: OpenAI said on Wednesday that participation in the early access program had been voluntary."


def _aside_lines_of(html: str, lines: tuple[str, ...]) -> frozenset[int]:
    """The aside lines of a page whose body's container is its
    ``post-content`` element."""
    tree = lxml.html.document_fromstring(html)
    blocks = line_blocks(tree, lines)
    container = body_container(placing_blocks(blocks))
    assert container is not None and container.get("class") == "post-content"
    return aside_lines(lines, blocks, container)


def _asides(box: str, lines: tuple[str, ...], wrapper: str = "story") -> frozenset[int]:
    """The aside lines of a page whose container holds the body and, after
    its third paragraph, ``box`` (an element with ``{}`` for its text)."""
    paragraphs = [f"<p>{p}</p>" for p in BODY]
    inside = "".join(paragraphs[:3]) + box.format(ASIDE) + "".join(paragraphs[3:])
    return _aside_lines_of(
        f"<html><body><div class='{wrapper}'><div class='post-content'>{inside}</div></div></body></html>", lines)


WITH_ASIDE = (*BODY[:3], ASIDE, *BODY[3:])


@pytest.mark.parametrize(
    "box",
    [
        "<div class='newsletter-signup'><p>{}</p></div>",
        "<section id='comments'><div class='msg'><p>{}</p></div></section>",
        "<div class='box post_formulario sf_comment_form'><p>{}</p></div>",
        "<div class='inline-article-recirc md:relative'><ul><li>{}</li></ul></div>",
        "<div class='ts-recommendation'><p>{}</p></div>",
        "<div class='share-tools'><p>{}</p></div>",
        "<div class='author-bio'><p>{}</p></div>",
        "<p class='bio'>{}</p>",
        "<div class='related-stories'><p>{}</p></div>",
        # a call to action, a promotion, an appeal for money, a sponsor's
        # or advertiser's box, a disclosure of the page's own business
        "<section class='c-letters-cta'><p class='c-letters-cta__text'>{}</p></section>",
        "<div class='promo-contact'><p>{}</p></div>",
        "<div class='donation-appeal'><p>{}</p></div>",
        "<div class='membership'><p>{}</p></div>",
        "<div class='steady-kasten'><p>{}</p></div>",
        "<aside class='sponsored-content'><p>{}</p></aside>",
        "<div class='advertisement'><p>{}</p></div>",
        "<p class='aawp-disclaimer'>{}</p>",
        "<section class='editorial-disclosure'><p>{}</p></section>",
        # the author's box, a picture's credit, a paywall's offer
        "<div class='cbx-Author_PersonalInfo'><p>{}</p></div>",
        "<div class='authorbox'><p>{}</p></div>",
        "<div class='info-item authors'><p>{}</p></div>",
        "<p class='photo-credit'>{}</p>",
        "<div class='content-form-account-paywall'><h2>{}</h2></div>",
        # a bio named as the last word of its class (Forbes' "contrib-bio")
        "<div class='contrib-bio'><p>{}</p></div>",
        "<div class='post_bio'><p>{}</p></div>",
        # the label of an embed the CMS inserted (MSN's videos and slideshows)
        "<p data-embed-type='content-auto' data-embed-id='cms/api/amp/video/AA1'><strong>{}</strong></p>",
        "<div data-embed-id='cms/api/amp/slideshow/AA2'><p>{}</p></div>",
        # a cookie or consent box, a pop-up or modal over the article
        "<div class='sp-dsgvo sp-dsgvo-popup-overlay'><div class='service-details'><p>{}</p></div></div>",
        "<div id='cookie-notice'><p>{}</p></div>",
        "<div class='cookie'><p class='cookie__text'>{}</p></div>",
        "<div class='gdpr-banner'><p>{}</p></div>",
        "<div class='modal login-modal'><p>{}</p></div>",
        "<div class='b-system x-cookies'><p>{}</p></div>",
        "<div class='b-system-dialog'><p>{}</p></div>",
        "<div class='micromodal-slide intro-rgpd'><p>{}</p></div>",
        "<div class='alert dialogCookieWarning'><p>{}</p></div>",
        # a dialog, by its name, its role or its element
        "<div class='topbar-dialog'><p>{}</p></div>",
        "<div role='dialog'><p>{}</p></div>",
        "<div aria-modal='true'><p>{}</p></div>",
        "<dialog><p>{}</p></dialog>",
        # a camelCase name's words
        "<div class='relatedPosts'><p>{}</p></div>",
        "<div class='newsletterSignup'><p>{}</p></div>",
        # a table of contents (its entries name headings the body has), an
        # author box plugin's, an affiliate disclosure, the next story of an
        # endless page, a consent manager's stand-in for an embed
        "<div id='ez-toc-container' class='ez-toc-v2_0_17'><div class='ez-toc-title-container'><p>{}</p></div></div>",
        "<div id='toc_container' class='no_bullets'><p class='toc_title'>{}</p></div>",
        "<div id='toc' class='toc'><p>{}</p></div>",
        "<div class='wp-block-table-of-contents'><p>{}</p></div>",
        "<div class='saboxplugin-wrap'><div class='saboxplugin-desc'><p>{}</p></div></div>",
        "<p class='v-article-affiliate'>{}</p>",
        "<div class='affiliate-text'><p>{}</p></div>",
        "<div class='nextstory'><p>{}</p></div>",
        "<div class='BorlabsCookie'><div class='_brlbs-content-blocker'><p>{}</p>"
        "<p><a class='_brlbs-btn' href='#'>Inhalt laden</a></p></div></div>",
    ],
)
def test_a_block_the_page_marks_as_an_aside_is_found(box: str) -> None:
    assert _asides(box, WITH_ASIDE) == {3}


@pytest.mark.parametrize(
    "box",
    [
        "<div class='quote'><p>{}</p></div>",  # no mark
        "<div class='gallery__item__comment'><p>{}</p></div>",  # a BEM element: an item's annotation
        "<div class='has-comments is-social'><p>{}</p></div>",  # its state, not what it is
        "<div class='product-name--sidamo-bio-kaffeebohnen'><p>{}</p></div>",  # a word inside a name
        "<div class='bio-kaffee'><p>{}</p></div>",  # "bio" opening a name: organic, not a biography
        "<div class='embed-wrapper'><p>{}</p></div>",  # a class naming an embed: the article's tweet or video
        "<div class='live-match-comment-block'><p>{}</p></div>",  # a live ticker's entry is the article
        "<div class='promotion-story octal'><p>{}</p></div>",  # words that only begin like a mark
        "<div class='global-affiliate-network'><p>{}</p></div>",  # the network is the story
        "<div class='authoritative-sources'><p>{}</p></div>",  # a word that only begins like a mark
        "<div class='cookie-recipe-card'><p>{}</p></div>",  # a recipe's card: the article
        "<div class='cmp-container'><p>{}</p></div>",  # a CMS's component (AEM, OJS), not a consent manager
        "<article class='post type-post tag-gdpr category-newsletter'><p>{}</p></article>",  # what it is about
        "<div class='hasComments isShared'><p>{}</p></div>",  # a camelCase state
        "<div class='cookies-not-set'><p>{}</p></div>",  # the page's state, not a box
        "<div class='dialog-off-canvas-main-canvas'><p>{}</p></div>",  # Drupal's page wrapper
        "<div class='dialogue'><p>{}</p></div>",  # a word that only begins like a mark
        "<h2 class='skip-toc'>{}</h2>",  # a heading the table of contents leaves out: the article's
        "<div class='no-toc'><p>{}</p></div>",
        "<div class='affiliate-network-members'><p>{}</p></div>",  # the network is the story
    ],
)
def test_a_block_whose_marks_say_something_else_stays(box: str) -> None:
    assert _asides(box, WITH_ASIDE) == frozenset()


def test_an_edit_notice_in_a_marked_box_stays() -> None:
    lines = (*BODY[:3], UPDATE, *BODY[3:])
    html_box = "<div class='related-box'><p>{}</p></div>".replace("{}", UPDATE)
    assert _asides(html_box, lines) == frozenset()


def test_marks_around_the_container_do_not_count() -> None:
    # The whole article sits in an element called "comments-enabled":
    # what wraps the container says where the article is, not what it is.
    wrapper = "comments-enabled story"
    assert _asides("<div class='quote'><p>{}</p></div>", WITH_ASIDE, wrapper=wrapper) == frozenset()
    assert _asides("<div class='newsletter-signup'><p>{}</p></div>", WITH_ASIDE, wrapper=wrapper) == {3}


def test_a_marked_block_outside_the_container_is_not_for_this_rule() -> None:
    # (What the extractor read past the container is the tail rule's,
    # crawler/container.py; one before it is the article's head.)
    html = "<html><body><div class='newsletter-box'><p>{}</p></div><div class='post-content'>{}</div></body></html>"
    assert _aside_lines_of(html.format(ASIDE, "".join(f"<p>{p}</p>" for p in BODY)), (ASIDE, *BODY)) == frozenset()


def test_a_dialog_outside_the_container_is_not_the_article_either() -> None:
    # A site's menu dialog in the page header, read as the article's head:
    # never the article wherever it sits; its wrappers around the
    # container (a page-wide "dialog-off-canvas-main-canvas") do not count.
    html = ("<html><body><div class='dialog-off-canvas-main-canvas'><header><div class='{}'><p>{}</p></div>"
            "</header><div class='post-content'>{}</div></div></body></html>")
    for box, found in (("topbar-dialog", {0}), ("x-cookies", {0}), ("newsletter-box", set())):
        page = html.format(box, ASIDE, "".join(f"<p>{p}</p>" for p in BODY))
        assert _aside_lines_of(page, (ASIDE, *BODY)) == found, box


def test_marks_that_would_take_half_the_body_are_not_believed() -> None:
    # Half the body in a "share" block: the article itself sits in it.
    share = "<div class='share-wrapper'>{}</div>".format("".join(f"<p>{p}</p>" for p in BODY[3:]) + "<p>{}</p>")
    assert _asides(share, WITH_ASIDE) == frozenset()


def test_a_consent_box_goes_however_much_of_the_body_it_is() -> None:
    # A privacy dialog longer than the story: never the article, so the
    # half-the-body guard does not keep it (nor a "related" box beside it).
    consent = "<div class='sp-dsgvo-popup-overlay'>{}</div>".format(
        "".join(f"<p>{p}</p>" for p in BODY[3:]) + "<p>{}</p>")
    assert _asides(consent, WITH_ASIDE) == frozenset(range(3, len(WITH_ASIDE)))
    # ... and goes where the other marks are not believed.
    share = "<div class='share-wrapper'>{}</div>".format("".join(f"<p>{p}</p>" for p in BODY[3:]))
    assert _asides(share + "<div class='cookie-banner'><p>{}</p></div>", WITH_ASIDE) == {3}


def test_a_hidden_dialog_goes_however_much_of_the_body_it_is() -> None:
    # A pop-up holding another article, longer than the story and shown
    # only on a click: what a reader sees is the rest.
    def dialog(attributes: str) -> str:
        return f"<div {attributes}>" + "".join(f"<p>{p}</p>" for p in BODY[3:]) + "<p>{}</p></div>"

    assert _asides(dialog("role='dialog' aria-hidden='true'"), WITH_ASIDE) == frozenset(range(3, len(WITH_ASIDE)))
    assert _asides(dialog("class='modal' role='dialog' hidden"), WITH_ASIDE) == frozenset(range(3, len(WITH_ASIDE)))
    # One the page shows is not believed when it would take half the body.
    assert _asides(dialog("role='dialog'"), WITH_ASIDE) == frozenset()


def test_a_recirculation_list_inside_the_article_is_not_the_article() -> None:
    # TIME's roundup sits in the article's own container, its headlines
    # half linked, so neither the link density nor the container's end
    # leaves it out; its markup says what it is.
    def page(headlines: tuple[str, ...], body: tuple[str, ...] = BODY) -> str:
        items = "".join(f"<li><span>{h[:12]}</span><a href='/x{i}'>{h[12:]}</a></li>" for i, h in enumerate(headlines))
        paragraphs = "".join(f"<p>{p}</p>" for p in body)
        return f"""<html><head><title>Artists leak Sora</title></head><body><main><article>
        <h1>Artists leak Sora</h1><div class="article-body">{paragraphs}
        <div class="inline-article-recirc"><p>More Must-Reads From Replica</p><ul>{items}</ul></div>
        <p>Write to the reporter at desk@replica.test with tips about the Sora leak and the artists.</p>
        </div></article></main></body></html>"""

    headlines = ("The Struggle to Save Lives Inside the Hospitals", "The Best Inventions of the Year So Far")
    url = "https://replica.test/2024/11/26/sora"
    served = extract_article(page(headlines), url)
    assert served is not None
    assert "More Must-Reads" not in served.text and "Inventions" not in served.text
    assert served.text.startswith(BODY[0]) and "Write to the reporter" in served.text
    rotated = extract_article(page(("Why the Snooze Button Is Bad for You", "A Love Story of Chosen Family")), url)
    assert rotated is not None and rotated.content_hash == served.content_hash
    edited = extract_article(page(headlines, (*BODY[:2], BODY[2].replace("a few hours", "two hours"), *BODY[3:])), url)
    assert edited is not None and edited.content_hash != served.content_hash


def test_a_contributors_bio_and_an_inserted_videos_label_are_not_the_article() -> None:
    # Forbes prints its contributor's bio after the article, twice (cut
    # short with "Read More", and whole), beside the article in the block
    # trafilatura reads (its "article-body-container"), so the bio's
    # paragraphs pull the container up to take them in; MSN labels the
    # videos its CMS inserts between paragraphs.
    # Both change without the article changing: a new bio, another video.
    def page(bio: str, video: str, body: tuple[str, ...] = BODY[:5]) -> str:
        paragraphs = [f"<p>{p}</p>" for p in body]
        inserted = (f"<p data-embed-type='content-auto' data-embed-id='cms/api/amp/video/AA1'>"
                    f"<strong>Video: {video} (Replica TV)</strong></p>")
        return f"""<html><head><title>Artists leak Sora</title></head><body><main><div class="article-body-container">
        <div class="article-body">{"".join(paragraphs[:4])}{inserted}{"".join(paragraphs[4:])}</div>
        <div class="bottom-contrib-block"><div class="contrib-bio">
        <p>{bio[:80]}</p><button>Read More</button><p>{bio}</p></div></div>
        </div></main></body></html>"""

    bio = ("I am a full-time freelance writer in Asheville, North Carolina. I've written more than 900 published "
           "articles for a wide variety of publications, and four non-fiction books, after ten years in news.")
    url = "https://replica.test/2024/11/26/sora"
    served = extract_article(page(bio, "Why the Snooze Button Is Bad for You"), url)
    assert served is not None
    assert "freelance writer" not in served.text and "Video:" not in served.text
    assert served.text.startswith(BODY[0]) and BODY[4] in served.text
    changed = extract_article(page(bio.replace("900", "950"), "A Love Story of Chosen Family"), url)
    assert changed is not None and changed.content_hash == served.content_hash
    edited = extract_article(page(bio, "Why the Snooze Button Is Bad for You",
                                  (*BODY[:2], BODY[2].replace("a few hours", "two hours"), *BODY[3:5])), url)
    assert edited is not None and edited.content_hash != served.content_hash


def test_an_embed_code_offered_for_copying_is_not_the_article() -> None:
    # Global News prints, under each video article, a <textarea> holding
    # the video's embed code; on a short article the extractor read it as
    # the article's last line, and its width, height and video number
    # change with the video.
    def page(embed: str, body: tuple[str, ...] = BODY[:2]) -> str:
        paragraphs = "".join(f"<p>{p}</p>" for p in body)
        return f"""<html><head><title>Artists leak Sora</title></head><body><main><article>
        <h1>Artists leak Sora</h1><div class="story">{paragraphs}
        <div class="embed-box"><textarea class="embed-select">{embed}</textarea></div>
        </div></article></main></body></html>"""

    def embed(number: int, width: int) -> str:
        return (f"&lt;iframe width='{width}' height='437' frameborder='0' allowfullscreen "
                f"src='https://replica.test/video/embed/{number}/'&gt;Your browser does not support frames."
                f"&lt;/iframe&gt;")

    url = "https://replica.test/2024/11/26/sora-video"
    served = extract_article(page(embed(1747657, 670)), url)
    assert served is not None
    assert "iframe" not in served.text and BODY[0] in served.text and served.text.endswith(BODY[1])
    other_video = extract_article(page(embed(2858768, 781)), url)
    assert other_video is not None and other_video.content_hash == served.content_hash
    edited = extract_article(page(embed(1747657, 670), (BODY[0], BODY[1].replace("unpaid", "paid"))), url)
    assert edited is not None and edited.content_hash != served.content_hash


def test_a_page_whose_whole_text_is_a_form_field_keeps_it() -> None:
    # A paste site shows its text in a <textarea>: then it is the text.
    lines = ("First line of the pasted text", "Second line of the pasted text")
    tree = lxml.html.document_fromstring(f"<html><body><textarea>{lines[0]}</textarea>"
                                         f"<textarea>{lines[1]}</textarea></body></html>")
    assert form_field_lines(tree, lines) == frozenset()
    assert form_field_lines(tree, (*lines, "A line of the page around it")) == frozenset({0, 1})
