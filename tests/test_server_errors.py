"""PHP's error messages printed into a page are taken out before it is read
(crawler/server_errors.py), on pages written for this test."""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from crawler.server_errors import without_server_errors

URL = "https://blog.replica.test/2024/11/26/sora-leak/"
WARNING = (
    "<b>Warning</b>:  Use of undefined constant comments - assumed 'comments' (this will throw an Error in a "
    "future version of PHP) in <b>/homepages/15/d39327265/htdocs/wp-content/plugins/recent-comments/"
    "recent-comments.php</b> on line <b>928</b><br />"
)


def _post(sidebar: str) -> str:
    return (
        "<html><head><title>Sora leaked - Replica Blog</title></head><body>"
        "<div id='header'><h1><a href='/'>Replica Blog</a></h1></div>"
        "<div id='content'><div class='post'><h2 class='posttitle'>Sora leaked</h2>"
        "<div class='postentry'><p>Artists leaked access to OpenAI's Sora on Tuesday, in protest.</p>"
        "<p>OpenAI paused the preview hours later.</p></div></div></div>"
        f"<div id='sidebar'><h2>Recent comments</h2>{sidebar}</div></body></html>"
    )


@pytest.mark.parametrize(
    "message",
    [
        WARNING,
        "<b>Notice</b>:  Undefined index: page in <b>/var/www/index.php</b> on line <b>12</b><br>",
        "<b>Deprecated</b>:  Function create_function() is deprecated in <b>/srv/a.php</b> on line <b>3</b>",
        "<b>Strict Standards</b>: Non-static method nggGallery::get_option() should not be called statically in "
        "<b>/www/nextgen.php</b> on line <b>51</b><br />",
        "<b>Fatal error</b>:  Allowed memory size exhausted in <b>/srv/b.php</b> on line <b>77</b><br />",
        "<b>Warning</b>:  include(): Failed opening 'x.php' for inclusion [<a href='function.include'>"
        "function.include</a>] in <b>/var/www/index.php</b> on line <b>3</b><br />",
    ],
)
def test_each_level_of_php_message_is_taken_out(message: str) -> None:
    assert without_server_errors(f"<div>before\n<br />\n{message}\nafter</div>") == "<div>before\n<br />\n\nafter</div>"


def test_a_page_without_messages_is_the_same_object() -> None:
    page = _post("<p>Nothing went wrong here.</p>")
    assert without_server_errors(page) is page


def test_a_message_quoted_as_text_and_bold_words_elsewhere_stay() -> None:
    """A tutorial quoting a message escapes its markup; a bold "Warning:"
    that is no message (no file) is the page's own, beside one that is."""
    quoted = ("<pre>&lt;b&gt;Warning&lt;/b&gt;: Division by zero in &lt;b&gt;/tmp/x.php&lt;/b&gt; on line "
              "&lt;b&gt;2&lt;/b&gt;</pre>")
    own = "<p><b>Warning</b>: the artists' demand is on line <b>2</b> of the memo, in bold.</p>"
    assert without_server_errors(f"<div>{quoted}{own}{WARNING}</div>") == f"<div>{quoted}{own}</div>"


def test_a_short_post_is_read_not_the_warnings_beside_it() -> None:
    """Four warnings in a sidebar widget are more text than a short post:
    read as they are, the extractor took them for the article."""
    served = extract_article(_post(f"<br />\n{WARNING}\n<br />\n{WARNING}\n<br />\n{WARNING}\n<br />\n{WARNING}"),
                             URL)
    assert served is not None
    assert "Artists leaked access to OpenAI's Sora on Tuesday" in served.text
    assert "undefined constant" not in served.text
    # The server moving its files or the plugin its lines is no edit.
    moved = extract_article(_post(WARNING.replace("/15/d39327265/", "/26/d40438376/").replace("928", "1039")), URL)
    assert moved is not None and moved.content_hash == served.content_hash


def test_a_page_that_is_only_a_servers_error_is_no_article() -> None:
    """A tracked article's page answering with nothing but PHP's fatal
    error (status 200) holds no text: the crawl records it as empty, not
    as a version whose text is the error."""
    page = ("<html><body><br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted in "
            "<b>/srv/wp-includes/plugin.php</b> on line <b>77</b><br />\n</body></html>")
    assert extract_article(page, URL) is None
