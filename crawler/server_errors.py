"""A server's error messages printed into a page, taken out before the page
is read: ``str -> str``.  Pure.

PHP, with its ``html_errors`` setting on (as on much shared hosting),
prints a warning into the page wherever the script that raised it was
writing: ``<b>Warning</b>:  Use of undefined constant ... in
<b>/homepages/15/.../plugin.php</b> on line <b>928</b><br />``.  Such a
message is not the page's: it names the server's paths and line numbers,
comes and goes with the server's configuration, and on a short post four
of them in a sidebar widget are more text than the article, so the
extractor took them for it and left the post out.  A message written as
text by the page's author (a tutorial quoting one) is escaped
(``&lt;b&gt;``) and stays.
"""

from __future__ import annotations

import re

# PHP's message levels, as its error handler names them, then the
# message (a documentation link in it, no bold and no block: a page's own
# bold "Warning:" must not run on into a message after it), the file and
# the line.
_PHP_ERROR = re.compile(
    r"<b>(?:(?:catchable |recoverable )?fatal error|parse error|warning|notice|deprecated|strict standards)</b>:"
    r"(?:[^<\n]|<(?!/?(?:b|p|div|li|td|tr|h[1-6]|section|article)\b))*?"
    r" in <b>[^<\n]*</b> on line <b>\d+</b>(?:<br\s*/?>)?",
    re.IGNORECASE,
)
# What every such message holds, looked for first (one pass in C over a
# page that has none).
_MARK = "</b> on line <b>"


def without_server_errors(html_text: str) -> str:
    """``html_text`` without the PHP error messages printed into it (the
    same object when there are none)."""
    if _MARK not in html_text:
        return html_text
    return _PHP_ERROR.sub("", html_text)
