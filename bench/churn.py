"""Versions under churn: real pages changed the way live pages change, and
edited the way articles are edited; does the version identity move?

    python bench/churn.py --corpus ../shared/corpora/newspaper-fulltext-2014 \
      --corpus ../shared/corpora/newspaper4k-testdata --corpus ../shared/corpora/trafilatura-evaldata

Each page is extracted as served and after each mutation, by storywatch
(``extract_article``, identity ``Extracted.content_hash``) and by plain
trafilatura (its title and text hashed the same way), in one run.

Churn, outside the article body (a changed identity is a false new version):
``links`` every link text rotated; ``chrome`` nav/aside/header/footer/list
children reshuffled; ``digits`` every digit changed; ``ad`` an
"Advertisement / Read more: <link>" block between two body paragraphs;
``attributes`` class, id and data- attributes and script contents changed;
``all_churn`` all of them at once.

Edits, inside the body, the JSON-LD ``articleBody`` kept in step as a CMS
does (an unchanged identity is a missed edit): ``one_word``, ``update``
(an "Update:" paragraph appended), ``paragraph_removed``, ``figure`` (a
number in a body paragraph changed: "killed 12" became "killed 14"),
``update_above`` (an italic update notice above the first paragraph of
the body's container, where The Verge and many outlets put one),
``subheading`` (a subheading of the body reworded: its last word
replaced).

What is inside the body comes from each corpus's reference: a block (p, li,
heading, blockquote, ..., or any element of text and inline tags only, as
a ``<div>`` paragraph) whose text is part of the reference full text
(newspaper-fulltext-2014, newspaper4k-testdata), or that holds one of the
"with" snippets (trafilatura-evaldata; a snippet no block holds: the
deepest element holding it).  A page where the reference places nothing
is skipped: its article cannot be told from the page around it.  Churn
touches only blocks that are neither inside nor around an inside block; a
kind that finds nothing to change on a page does not count that page.
``--scope`` says what else churn spares.  ``container``: the prose
paragraphs (<p>, 40+ characters, under half link text) of the body's
container (the deepest element holding 80 % of the reference's blocks):
references leave out parts of real bodies (a trafilatura-evaldata page
with one "with" snippet in five paragraphs), and changing those is an
edit, not churn.  ``outside``: all of the container, so churn is only the
page around the article's container (related lists, navigation, sidebars,
header, footer) and the ad block the ``ad`` kind puts between two body
paragraphs.  Edits always change the reference's own blocks.

Beside the full decision (``storywatch``: a moved identity hash that is
not page furniture or moved lines only, as storage.record decides) the
identity hash alone is reported (``hash_only``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import functools
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import lxml.html
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.eval_extraction import LOADERS, Page, _read, run_baseline  # noqa: E402
from crawler.extract import extract_article  # noqa: E402
from crawler.metadata import article_body_text  # noqa: E402
from crawler.textdecode import decode_html  # noqa: E402
from storage.record import held_back  # noqa: E402
from storywatch.article import Extracted  # noqa: E402
from storywatch.churn import LineIdentity, extracted_identity, is_churn  # noqa: E402
from storywatch.content import content_hash  # noqa: E402
from storywatch.pagetext import PageSaid, page_said  # noqa: E402

CHURN = ("links", "chrome", "digits", "ad", "attributes", "all_churn")
EDITS = ("one_word", "update", "paragraph_removed", "figure", "update_above", "subheading")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "td", "dd", "dt", "pre"}
_CHROME = {"nav", "aside", "header", "footer", "ul", "ol"}
# Never churned: a page's headline is the article's, whatever its markup.
_SKIP = {"script", "style", "noscript", "template", "head", "title", "h1"}
# What churn spares besides the reference's blocks (the module's text).
SCOPES = ("reference", "container", "outside")
UPDATE_TEXT = "Update: this story has been updated with a statement from the company, which declined to comment further."
UPDATE_ABOVE_TEXT = "Update, November 27, 2024, 3:15 p.m. ET: This story has been updated with a statement from OpenAI."


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


_INLINE = {
    "a", "abbr", "b", "bdi", "br", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span",
    "strong", "sub", "sup", "time", "u", "wbr",
}


def _is_block(element: lxml.html.HtmlElement) -> bool:
    """A paragraph of text: a block tag, or any other element holding only
    text and inline children (CNN's ``<div class="zn-body__paragraph">``,
    an article written into one ``<div>`` with ``<br>``s).  Without the
    second kind a page whose paragraphs are all ``<div>``s has no body, and
    its article was churned as the page around it."""
    if not isinstance(element.tag, str) or element.tag in _SKIP or element.tag in _INLINE:
        return False
    if element.tag in _BLOCKS:
        return True
    return element.tag not in ("html", "body") and all(
        not isinstance(child.tag, str) or child.tag in _INLINE for child in element)


class Body:
    """Which elements of a page hold the article, by the corpus's reference."""

    def __init__(self, page: Page, tree: lxml.html.HtmlElement, protected: frozenset[str] = frozenset(),
                 scope: str = "reference") -> None:
        # The byline and headline as the extractor read them: never churned
        # (a site does not rotate its own byline links).
        self.protected = protected
        self.reference = _norm(page.text or "")
        self.snippets = [_norm(s) for s in page.with_snippets if len(s.strip()) >= 8]
        self.inside: list[lxml.html.HtmlElement] = []
        for element in tree.iter():
            if not _is_block(element):
                continue
            text = _norm(element.text_content())
            if len(text) >= 20 and self._holds_body(text, whole=True):
                self.inside.append(element)
        self.inside.extend(self._snippet_holders(tree))
        # Edits change the reference's own blocks (``inside``); with
        # scope "container", churn also spares the prose paragraphs of the
        # body's container that the reference left out; with "outside", all
        # of the container.
        self.inside_set = set(self.inside)
        self.container = _container(self.inside) if scope in SCOPES[1:] else None
        if scope == "container" and self.container is not None:
            self.inside_set.update(_container_prose(self.container, self.inside))
        if scope == "outside" and self.container is not None:
            self.inside_set.add(self.container)
        self.around = {ancestor for element in self.inside_set for ancestor in element.iterancestors()}
        self._bodyish: dict[lxml.html.HtmlElement, bool] = {}

    def _snippet_holders(self, tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
        """For a snippet no paragraph holds, the deepest element that holds
        it: a short heading, or a text written into a ``<div>`` beside
        other ``<div>``s."""
        found: list[lxml.html.HtmlElement] = []
        for snippet in self.snippets:
            if any(snippet in _norm(element.text_content()) for element in (*self.inside, *found)):
                continue
            holder = None
            for element in tree.iter():
                if (isinstance(element.tag, str) and element.tag not in ("html", "body", *_SKIP)
                        and snippet in _norm(element.text_content())):
                    holder = element
            if holder is not None:
                found.append(self._block_of(holder))
        return found

    def _holds_body(self, text: str, whole: bool = False) -> bool:
        if self.snippets and any(s in text for s in self.snippets):
            return True
        if not self.reference:
            return False
        if whole:
            return text in self.reference
        # Any 40 characters of the reference: a body paragraph written
        # straight into a <div> with <br>s, links and all.
        return any(text[i : i + 40] in self.reference for i in range(0, max(len(text) - 39, 0), 20))

    def _block_of(self, element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        while element.tag in _INLINE and element.getparent() is not None:
            element = element.getparent()
        return element

    def _direct_text(self, block: lxml.html.HtmlElement) -> str:
        parts = [block.text or ""]
        for child in block:
            if isinstance(child.tag, str) and child.tag in _INLINE:
                parts.append(child.text_content())
            parts.append(child.tail or "")
        return _norm(" ".join(parts))

    def touches(self, element: lxml.html.HtmlElement) -> bool:
        """Inside the body, around it, in a block whose own text is body, or
        the byline."""
        if element in self.around or element in self.inside_set:
            return True
        if self.protected and _norm(element.text_content()) in self.protected:
            return True
        for node in (element, *element.iterancestors()):
            marks = " ".join(node.get(name, "") for name in ("class", "id", "rel", "itemprop")).lower()
            if "author" in marks or "byline" in marks:
                return True
        if any(a in self.inside_set for a in element.iterancestors()):
            return True
        block = self._block_of(element)
        if block not in self._bodyish:
            self._bodyish[block] = self._holds_body(self._direct_text(block))
        return self._bodyish[block]


# A paragraph of the body's container is prose when it is this long and
# mostly not link text.
_PROSE_CHARS = 40
_PROSE_LINK_SHARE = 0.5


def _container(inside: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The body's container: the deepest element holding at least 80 % of
    the reference's blocks."""
    if not inside:
        return None
    holding: Counter[lxml.html.HtmlElement] = Counter()
    for element in inside:
        holding.update(element.iterancestors())
    candidates = [a for a, n in holding.items() if n >= 0.8 * len(inside)]
    if not candidates:
        return None
    return max(candidates, key=lambda a: sum(1 for _ in a.iterancestors()))


def _container_prose(container: lxml.html.HtmlElement, inside: list[lxml.html.HtmlElement]
                     ) -> list[lxml.html.HtmlElement]:
    """The prose paragraphs (<p>) of the body's container that the
    reference left out.  A reference holding one snippet of five
    paragraphs would otherwise count the other four as the page around the
    article."""
    known = set(inside)
    found = []
    for paragraph in container.iter("p"):
        if paragraph in known:
            continue
        text = _norm(paragraph.text_content())
        linked = sum(len(_norm(a.text_content())) for a in paragraph.iter("a"))
        if len(text) >= _PROSE_CHARS and linked < _PROSE_LINK_SHARE * len(text):
            found.append(paragraph)
    return found


def _outside_elements(tree: lxml.html.HtmlElement, body: Body) -> list[lxml.html.HtmlElement]:
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        if any(isinstance(a.tag, str) and a.tag in _SKIP for a in element.iterancestors()):
            continue
        if not body.touches(element):
            found.append(element)
    return found


# -- churn -----------------------------------------------------------------


def churn_links(tree: lxml.html.HtmlElement, body: Body) -> bool:
    anchors = [a for a in _outside_elements(tree, body) if a.tag == "a" and len(list(a)) == 0 and len((a.text or "").strip()) >= 3]
    if len(anchors) < 2:
        return False
    texts = [a.text for a in anchors]
    for anchor, text in zip(anchors, texts[1:] + texts[:1], strict=True):
        anchor.text = text
    return True


def churn_chrome(tree: lxml.html.HtmlElement, body: Body) -> bool:
    changed = False
    for element in _outside_elements(tree, body):
        if element.tag in _CHROME:
            children = list(element)
            if len(children) >= 2:
                tail = children[-1].tail
                for child in children:
                    element.remove(child)
                for child in reversed(children):
                    element.append(child)
                element[-1].tail = tail
                changed = True
    return changed


def _bump_digits(text: str | None) -> str | None:
    if not text:
        return text
    return re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), text)


def churn_digits(tree: lxml.html.HtmlElement, body: Body) -> bool:
    changed = False
    outside = set(_outside_elements(tree, body))
    for element in outside:
        new = _bump_digits(element.text)
        if new != element.text:
            element.text, changed = new, True
        parent = element.getparent()
        if parent is not None and parent in outside and not body.touches(parent):
            new = _bump_digits(element.tail)
            if new != element.tail:
                element.tail, changed = new, True
    return changed


def churn_ad(tree: lxml.html.HtmlElement, body: Body) -> bool:
    for block in body.inside:
        following = block.getnext()
        if block.tag == "p" and following is not None and following in body.inside:
            ad = lxml.html.fragment_fromstring(
                '<div class="ad-slot"><p>Advertisement</p><p class="promo">Read more: '
                '<a href="/related/another-story-12345">Another story you may like today</a></p></div>'
            )
            block.addnext(ad)
            return True
    return False


def churn_attributes(tree: lxml.html.HtmlElement, body: Body) -> bool:
    changed = False
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            if name in ("class", "id") or name.startswith("data-"):
                element.set(name, " ".join(f"{v}-r2" for v in value.split()) or "r2")
                changed = True
        if element.tag == "script" and element.get("type") != "application/ld+json" and element.text:
            element.text = element.text + "\n/* build 2 */"
            changed = True
    return changed


def churn_all(tree: lxml.html.HtmlElement, body: Body) -> bool:
    results = [f(tree, body) for f in (churn_links, churn_chrome, churn_digits, churn_ad, churn_attributes)]
    return any(results)


# -- edits -----------------------------------------------------------------


def _paragraphs(body: Body) -> list[lxml.html.HtmlElement]:
    return [b for b in body.inside if b.tag == "p" and len(_norm(b.text_content())) >= 60]


def _json_ld_scripts(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [s for s in tree.iter("script") if (s.get("type") or "").lower() == "application/ld+json" and s.text]


def _edit_nodes(data: object, edit: Callable[[str], str]) -> bool:
    """Edit every articleBody in a JSON-LD document, nested ones (an
    ``@graph``) included; whether there was one."""
    changed = False
    if isinstance(data, list):
        for item in data:
            changed = _edit_nodes(item, edit) or changed
    elif isinstance(data, dict):
        if isinstance(data.get("articleBody"), str):
            data["articleBody"] = edit(data["articleBody"])
            changed = True
        for key, value in data.items():
            if key != "articleBody":
                changed = _edit_nodes(value, edit) or changed
    return changed


def _edit_article_body(tree: lxml.html.HtmlElement, edit: Callable[[str], str]) -> None:
    """Keep a JSON-LD articleBody in step with the visible edit."""
    for script in _json_ld_scripts(tree):
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        if _edit_nodes(data, edit):
            script.text = json.dumps(data, ensure_ascii=False)


def edit_one_word(tree: lxml.html.HtmlElement, body: Body) -> bool:
    paragraphs = _paragraphs(body)
    if len(paragraphs) < 3:
        return False
    target = paragraphs[len(paragraphs) // 2]
    holder = target if target.text and re.search(r"[A-Za-zÀ-ÿ]{4,}", target.text) else None
    if holder is None:
        return False
    words = list(re.finditer(r"[A-Za-zÀ-ÿ]{4,}", holder.text))
    _replace_in_text(tree, holder, words[len(words) // 2], "altered")
    return True


def _in_step(tree: lxml.html.HtmlElement, edited: lxml.html.HtmlElement, old: str, new: str,
             whole: bool = False) -> None:
    """The page's other copies of the edited words changed the same way: a
    CMS renders one paragraph into every place the page shows it (a second
    layout for small screens, a slideshow's text, the app's state in a
    script), so an edit reaches them all.  Without this the bench edited
    one copy and the extractor, reading another, rightly saw no edit.
    ``whole``: only a text that is ``old`` and nothing else (a heading's
    words, which other text may hold by chance)."""
    for element in tree.iter():
        if element is edited or not isinstance(element.tag, str):
            continue
        for side in ("text", "tail"):
            value = getattr(element, side)
            if value and (value.strip() == old.strip() if whole else old in value):
                setattr(element, side, value.replace(old.strip(), new.strip()))


def _replace_in_text(tree: lxml.html.HtmlElement, holder: lxml.html.HtmlElement, found: re.Match[str],
                     replacement: str) -> None:
    """One match in a block's own text replaced, and the same words in the
    page's other copies and the JSON-LD copy (found by the 15 characters
    before them too)."""
    text = holder.text or ""
    context = text[max(0, found.start() - 15) : found.end()]
    edited = context[: len(context) - len(found.group())] + replacement
    holder.text = text[: found.start()] + replacement + text[found.end() :]
    _in_step(tree, holder, context, edited)
    _edit_article_body(tree, lambda body_text: body_text.replace(context, edited, 1))


def _copies(tree: lxml.html.HtmlElement, paragraph: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Every copy of ``paragraph`` the page shows, itself included: a
    paragraph added next to one, or one removed, is added or removed in
    each (as _in_step)."""
    text = " ".join(paragraph.text_content().split())
    return [e for e in tree.iter(paragraph.tag) if " ".join(e.text_content().split()) == text]


def edit_update(tree: lxml.html.HtmlElement, body: Body) -> bool:
    paragraphs = _paragraphs(body)
    if len(paragraphs) < 3:
        return False
    for last in _copies(tree, paragraphs[-1]):
        update = etree.Element("p")
        update.text = UPDATE_TEXT
        last.addnext(update)
    _edit_article_body(tree, lambda text: text.rstrip() + "\n" + UPDATE_TEXT)
    return True


def edit_paragraph_removed(tree: lxml.html.HtmlElement, body: Body) -> bool:
    paragraphs = _paragraphs(body)
    if len(paragraphs) < 3:
        return False
    target = paragraphs[len(paragraphs) // 2]
    text = " ".join(target.text_content().split())
    for copy_ in _copies(tree, target):
        copy_.drop_tree()
    _edit_article_body(tree, lambda body_text: _remove_words(body_text, text))
    return True


# A number standing alone (not a part of a larger one: "1,500", "2.5").
_FIGURE = re.compile(r"(?<![\d.,])\d{1,4}(?![\d.,]?\d)")


def edit_figure(tree: lxml.html.HtmlElement, body: Body) -> bool:
    paragraphs = _paragraphs(body)
    middle = len(paragraphs) // 3
    first = next(((p, found) for p in paragraphs[middle:] + paragraphs[:middle]
                  if (found := _FIGURE.search(p.text or ""))), None)
    if first is None:
        return False
    holder, found = first
    _replace_in_text(tree, holder, found, str(int(found.group()) + 2))
    return True


def edit_update_above(tree: lxml.html.HtmlElement, body: Body) -> bool:
    paragraphs = _paragraphs(body)
    if len(paragraphs) < 3:
        return False
    # Above the body's first paragraph, not the first reference block (a
    # caption, a standfirst): the paragraphs' most common parent's first.
    parent = Counter(paragraph.getparent() for paragraph in paragraphs).most_common(1)[0][0]
    first = next(paragraph for paragraph in paragraphs if paragraph.getparent() is parent)
    for copy_ in _copies(tree, first):
        notice = etree.Element("p")
        etree.SubElement(notice, "em").text = UPDATE_ABOVE_TEXT
        copy_.addprevious(notice)
    _edit_article_body(tree, lambda text: UPDATE_ABOVE_TEXT + "\n" + text)
    return True


def edit_subheading(tree: lxml.html.HtmlElement, body: Body) -> bool:
    headings = [block for block in body.inside if block.tag in ("h2", "h3", "h4") and len(block.text_content().split()) >= 2]
    if not headings:
        return False
    heading = headings[0]
    said = " ".join(heading.text_content().split())
    last_word = said.split()[-1]
    reworded = said[: -len(last_word)] + "altered"
    # The last text node inside the heading that holds its last word.
    nodes = [(heading, "text")] + [(child, side) for child in heading.iterdescendants() for side in ("text", "tail")]
    holder = next(((element, side) for element, side in reversed(nodes) if last_word in (getattr(element, side) or "")),
                  None)
    if holder is None:
        return False
    element, side = holder
    before = getattr(element, side)
    setattr(element, side, before.replace(last_word, "altered", 1))
    _in_step(tree, element, before, getattr(element, side), whole=True)
    _edit_article_body(tree, lambda body_text: body_text.replace(said, reworded, 1))
    return True


def _remove_words(body_text: str, paragraph: str) -> str:
    pattern = r"\s+".join(re.escape(w) for w in paragraph.split())
    removed = re.sub(pattern, "", body_text, count=1)
    if removed != body_text:
        return removed
    # Written in markup (Condé Nast's Markdown, links and all): the CMS
    # drops the line of its own source whose text the paragraph is.
    wanted = " ".join(paragraph.split())
    lines = body_text.split("\n")
    for index, line in enumerate(lines):
        if line.strip() and article_body_text(line) == wanted:
            return "\n".join(lines[:index] + lines[index + 1 :])
    return body_text


MUTATIONS: dict[str, Callable[[lxml.html.HtmlElement, Body], bool]] = {
    "links": churn_links,
    "chrome": churn_chrome,
    "digits": churn_digits,
    "ad": churn_ad,
    "attributes": churn_attributes,
    "all_churn": churn_all,
    "one_word": edit_one_word,
    "update": edit_update,
    "paragraph_removed": edit_paragraph_removed,
    "figure": edit_figure,
    "update_above": edit_update_above,
    "subheading": edit_subheading,
}


# -- one page --------------------------------------------------------------


def read_page(raw: bytes) -> lxml.html.HtmlElement:
    """A corpus page's tree, its bytes decoded as the crawler decodes a
    fetched page (``crawler.textdecode``: a BOM, the declared charset, then
    UTF-8).  lxml left to itself reads bytes as Latin-1 unless a charset is
    declared before the first non-ASCII byte (a UTF-8 title above its
    ``<meta charset>``, a page declaring none): 99 of the corpora's 1,143
    pages, whose every mutation was served, extracted and placed against
    the reference as mojibake ("Rückgewinnung" as "RÃ¼ckgewinnung")."""
    return lxml.html.document_fromstring(decode_html(raw).encode("utf-8"),
                                         parser=lxml.html.HTMLParser(encoding="utf-8"))


def _serialised(tree: lxml.html.HtmlElement) -> str:
    # As text: re-encoded bytes would contradict a page's declared charset.
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


# An extractor's reading of a page: its identity hash, and for storywatch
# its line identity (the paragraph-level comparison a changed hash goes
# through) and the extraction itself.
Reading = tuple[str, LineIdentity | None, Extracted | None]


def _identities(html: bytes | str, url: str | None) -> dict[str, Reading | None]:
    ours = extract_article(html, url)
    base = run_baseline(html, url)
    return {
        "storywatch": (ours.content_hash, extracted_identity(ours), ours) if ours is not None else None,
        "trafilatura": (content_hash(base.get("title"), tuple(base.get("authors") or ()), base["text"]), None, None)
        if base.get("text")
        else None,
    }


def is_new_version(served: Reading, mutated: Reading,
                   pages: Callable[[], tuple[PageSaid, PageSaid]] | None = None) -> bool:
    """As storage.record decides: a fetch that can never replace the
    complete version before it (a teaser, a truncated body) is none; a
    moved hash is a version unless only page furniture changed, lines only
    moved, or (``pages`` given) the lines that came and went are on both
    pages."""
    before, after = served[2], mutated[2]
    if before is not None and after is not None and held_back(None if before.is_partial else before.text, after):
        return False
    return served[0] != mutated[0] and not is_churn(served[1], mutated[1], pages)


def evaluate(page: Page, scope: str = "reference") -> dict[str, object]:
    try:
        original = read_page(_read(page.path))
    except (etree.ParserError, ValueError):
        return {"page": page.key, "corpus": page.corpus, "skipped": "unparseable"}
    if not Body(page, original).inside:
        # Nothing on the page is the reference's: churn cannot be placed
        # around an article that cannot be found.
        return {"page": page.key, "corpus": page.corpus, "skipped": "reference not on the page"}
    # The page as served, through the same parse and serialisation as every
    # mutation: what lxml's round trip alone changes is not counted.
    served_html = _serialised(copy.deepcopy(original))
    served = _identities(served_html, page.url)
    served_said = page_said(served_html)
    read = extract_article(served_html, page.url)
    protected = frozenset(_norm(t) for t in ([read.title or "", *read.authors] if read else []) if t)
    outcome: dict[str, object] = {"page": page.key, "corpus": page.corpus, "kinds": {}}
    for kind, mutate in MUTATIONS.items():
        tree = copy.deepcopy(original)
        if not mutate(tree, Body(page, tree, protected, scope)):
            continue
        mutated_html = _serialised(tree)
        mutated = _identities(mutated_html, page.url)

        def pages(mutated_html: str = mutated_html) -> tuple[PageSaid, PageSaid]:
            return served_said, page_said(mutated_html)

        changed = {
            # Only storywatch reads the pages (plain trafilatura is its hash).
            name: (before is not None and after is not None
                   and is_new_version(before, after, pages if name == "storywatch" else None))
            for name, before in served.items()
            if before is not None
            for after in (mutated[name],)
        }
        ours, ours_after = served["storywatch"], mutated["storywatch"]
        if ours is not None:
            # The identity hash alone, without the paragraph-level comparison.
            changed["hash_only"] = ours_after is not None and ours_after[0] != ours[0]
        outcome["kinds"][kind] = changed  # type: ignore[index]
    return outcome


# -- the run ---------------------------------------------------------------


class Flip(NamedTuple):
    """A page whose storywatch verdict under one kind differs between two runs."""

    corpus: str
    page: str
    kind: str
    before: bool | None  # None: the kind did not apply to the page in that run
    after: bool | None


def flipped(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[Flip]:
    """The pages whose verdict moved between two runs' ``outcomes``, in the
    later run's order: how a rule's figures are read page by page."""
    earlier = {(o["corpus"], o["page"]): o.get("kinds") or {} for o in before}
    flips = []
    for outcome in after:
        old, new = earlier.get((outcome["corpus"], outcome["page"]), {}), outcome.get("kinds") or {}
        for kind in MUTATIONS:
            was, now = (old.get(kind) or {}).get("storywatch"), (new.get(kind) or {}).get("storywatch")
            if was != now:
                flips.append(Flip(outcome["corpus"], outcome["page"], kind, was, now))
    return flips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--limit", type=int, default=0, help="pages per corpus (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scope", choices=SCOPES, default="reference",
                        help="what churn spares: the reference's blocks, also the prose of the body's "
                             "container, or all of the container")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "churn.json")
    parser.add_argument("--against", type=Path, help="an earlier run's JSON: list the pages whose verdict moved")
    args = parser.parse_args()
    earlier = json.loads(args.against.read_text(encoding="utf-8"))["outcomes"] if args.against else None

    pages: list[Page] = []
    for folder in args.corpus:
        loader = LOADERS.get(folder.name)
        if loader is None or folder.name == "htmldate-eval":
            parser.error(f"no body reference in {folder} (use {', '.join(k for k in LOADERS if k != 'htmldate-eval')})")
        found = [p for p in loader(folder) if p.text or p.with_snippets]
        pages += found[: args.limit] if args.limit else found
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
        outcomes = list(pool.map(functools.partial(evaluate, scope=args.scope), pages, chunksize=4))
    seconds = time.perf_counter() - started
    skipped = Counter(str(o["skipped"]) for o in outcomes if "skipped" in o)

    counts: dict[str, Counter[str]] = {kind: Counter() for kind in MUTATIONS}
    for outcome in outcomes:
        for kind, result in (outcome.get("kinds") or {}).items():  # type: ignore[attr-defined]
            for name, changed in result.items():
                counts[kind][f"{name}/pages"] += 1
                counts[kind][f"{name}/changed"] += int(changed)
    rows = {}
    print(f"{len(pages)} pages in {seconds:.0f} s"
          + "".join(f"; {n} skipped: {reason}" for reason, n in sorted(skipped.items())))
    names = ("storywatch", "hash_only", "trafilatura")
    print(f"{'kind':<18} {'':>6}" + "".join(f" {name:>18}" for name in names))
    for kind in MUTATIONS:
        what = "false new version" if kind in CHURN else "edit caught"
        row = {}
        cells = []
        for name in names:
            total, changed = counts[kind][f"{name}/pages"], counts[kind][f"{name}/changed"]
            rate = changed / total if total else 0.0
            row[name] = {"pages": total, "changed": changed, "rate": round(rate, 4)}
            cells.append(f"{changed:>4}/{total:<4} {100 * rate:5.1f} %")
        rows[kind] = row
        print(f"{kind:<18} {what[:6]:>6}" + "".join(f" {cell:>18}" for cell in cells))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": len(pages), "seconds": round(seconds), "kinds": rows, "outcomes": outcomes}, indent=1))
    if earlier is not None:
        flips = flipped(earlier, outcomes)
        print(f"against {args.against}: {len(flips)} verdicts moved")
        for flip in flips:
            print(f"  {flip.corpus}/{flip.page} {flip.kind}: {flip.before} -> {flip.after}")


if __name__ == "__main__":
    main()
