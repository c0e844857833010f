"""Per-outlet selectors (``[[outlets]] selectors = { body, title, byline, date }``).

For sites the general extraction keeps getting wrong, a few CSS or XPath
selectors pin a field (as fundus and news-please keep per-publisher
rules).  Pure functions on a parsed page: a selector that matches sets its
field; one that matches nothing leaves the field to the general extraction
and is reported, so a site redesign never silently empties the text."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import lxml.html
from cssselect import SelectorError as CssError
from lxml import etree
from lxml.cssselect import CSSSelector

from storywatch.config import ConfigError, OutletConfig

FIELDS = ("body", "title", "byline", "date")
# Blocks of a pinned body, each one paragraph of the text.
_BLOCKS = "p, h2, h3, h4, li, blockquote, pre"

Selector = Callable[[lxml.html.HtmlElement], list[object]]


class SelectorError(ValueError):
    """A selector that is neither valid CSS nor valid XPath."""


def is_xpath(expression: str) -> bool:
    return expression.lstrip().startswith(("/", "(", "./"))


@functools.lru_cache(maxsize=64)
def compile_selector(expression: str) -> Selector:
    """CSS, or XPath when it starts with ``/``, ``./`` or ``(``."""
    if not expression.strip():
        raise SelectorError("empty selector")
    try:
        if is_xpath(expression):
            return etree.XPath(expression)
        return CSSSelector(expression)
    except (CssError, etree.XPathSyntaxError) as exc:
        kind = "XPath" if is_xpath(expression) else "CSS selector"
        raise SelectorError(f"not a valid {kind}: {expression!r} ({exc})") from None


def check_selectors(selectors: dict[str, str]) -> list[tuple[str, str]]:
    """The selectors as a hashable, ordered tuple; SelectorError naming the
    field of the first that does not compile."""
    pinned = []
    for field in FIELDS:
        expression = selectors.get(field)
        if expression is None:
            continue
        try:
            compile_selector(expression)
        except SelectorError as exc:
            raise SelectorError(f"selectors.{field}: {exc}") from None
        pinned.append((field, expression))
    return pinned


@dataclasses.dataclass(frozen=True, slots=True)
class Pinned:
    """What the selectors read; None where a selector is absent or missed."""

    text: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    missed: tuple[str, ...] = ()  # fields whose selector matched nothing


def _texts(found: list[object]) -> list[str]:
    texts = []
    for item in found:
        if isinstance(item, etree._Element):
            value = item.text_content() if isinstance(item, lxml.html.HtmlElement) else "".join(item.itertext())
        else:
            value = str(item)
        value = " ".join(value.split())
        if value:
            texts.append(value)
    return texts


def _body(found: list[object]) -> str | None:
    paragraphs: list[str] = []
    for element in found:
        if not isinstance(element, lxml.html.HtmlElement):
            paragraphs.extend(_texts([element]))
            continue
        blocks = element.cssselect(_BLOCKS)
        inside = set(blocks)
        outermost = [b for b in blocks if not any(a in inside for a in b.iterancestors())]  # a <p> in a <li> once
        paragraphs.extend(_texts(list(outermost)) if outermost else _texts([element]))
    return "\n".join(paragraphs) or None


def _date(found: list[object]) -> str | None:
    for item in found:
        if isinstance(item, etree._Element):
            for attribute in ("datetime", "content"):
                if item.get(attribute):
                    return str(item.get(attribute)).strip()
        texts = _texts([item])
        if texts:
            return texts[0]
    return None


def apply_selectors(tree: lxml.html.HtmlElement, selectors: Sequence[tuple[str, str]]) -> Pinned:
    values: dict[str, object] = {}
    missed = []
    for field, expression in selectors:
        found = list(compile_selector(expression)(tree))
        value: object
        if field == "body":
            value = _body(found)
        elif field == "title":
            value = next(iter(_texts(found)), None)
        elif field == "byline":
            value = tuple(dict.fromkeys(_texts(found)))
        else:
            value = _date(found)
        if value:
            values[field] = value
        else:
            missed.append(field)
    return Pinned(
        text=values.get("body"),  # type: ignore[arg-type]
        title=values.get("title"),  # type: ignore[arg-type]
        authors=values.get("byline", ()),  # type: ignore[arg-type]
        date=values.get("date"),  # type: ignore[arg-type]
        missed=tuple(missed),
    )


def outlet_selectors(outlets: Sequence[OutletConfig]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each outlet's selectors, compiled once to check them; ConfigError
    naming the first that is neither CSS nor XPath."""
    pinned = {}
    for outlet in outlets:
        try:
            pinned[outlet.key] = tuple(check_selectors({str(k): v for k, v in outlet.selectors.items()}))
        except SelectorError as exc:
            raise ConfigError(f"outlets[{outlet.key}].{exc}") from None
    return pinned
