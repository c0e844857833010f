"""Relevance: a Lucene-like story query (parsed by luqum) matched against an
article's title, description and text.

Supported: AND, OR, NOT, implicit AND between terms, +must / -must-not,
(groups), "phrases", prefix*, ``field:term`` with the fields title,
description and text, and ``*`` alone (matches everything).  Matching is
case-insensitive and Unicode-normalised (NFKC, accents kept).
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Sequence

from luqum.exceptions import ParseError
from luqum.parser import parser as luqum_parser
from luqum.tree import (
    AndOperation,
    Group,
    Item,
    Not,
    OrOperation,
    Phrase,
    Plus,
    Prohibit,
    SearchField,
    UnknownOperation,
    Word,
)

FIELDS = ("title", "description", "text")
_TOKEN = re.compile(r"\w+", re.UNICODE)


class QueryError(ValueError):
    """The story query cannot be parsed or uses an unsupported feature."""


@dataclasses.dataclass(frozen=True, slots=True)
class MatchResult:
    relevant: bool
    score: float
    terms: tuple[str, ...]


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


@dataclasses.dataclass(slots=True)
class _Document:
    tokens: dict[str, list[str]]

    def count(self, pattern: tuple[str, ...], fields: Sequence[str]) -> tuple[int, bool]:
        """Occurrences of a token pattern, and whether any is in the title.

        Pattern tokens ending in ``*`` match by prefix."""
        total, in_title = 0, False
        for name in fields:
            tokens = self.tokens[name]
            found = _count_sequence(tokens, pattern)
            total += found
            in_title = in_title or (name == "title" and found > 0)
        return total, in_title


def _token_matches(token: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return token.startswith(pattern[:-1])
    return token == pattern


def _count_sequence(tokens: list[str], pattern: tuple[str, ...]) -> int:
    if not pattern:
        return 0
    width = len(pattern)
    first = pattern[0]
    count = 0
    for index in range(len(tokens) - width + 1):
        if _token_matches(tokens[index], first) and all(
            _token_matches(tokens[index + k], pattern[k]) for k in range(1, width)
        ):
            count += 1
    return count


def _pattern(raw: str) -> tuple[str, ...]:
    prefix = raw.endswith("*")
    tokens = tokenize(raw)
    if prefix and tokens:
        tokens[-1] += "*"
    return tuple(tokens)


@dataclasses.dataclass(slots=True)
class _Evaluation:
    score: float = 0.0
    terms: list[str] = dataclasses.field(default_factory=list)


class StoryQuery:
    """A compiled story query.  ``match`` is a pure function of the text."""

    def __init__(self, query: str) -> None:
        self.query = query
        text = query.strip()
        self.match_all = text == "*"
        if self.match_all:
            self._tree: Item | None = None
            return
        try:
            self._tree = luqum_parser.parse(text)
        except (ParseError, TypeError, ValueError) as exc:
            raise QueryError(f"cannot parse the story query: {exc}") from None
        self._check(self._tree)

    def _check(self, node: Item) -> None:
        allowed = (AndOperation, OrOperation, UnknownOperation, Group, Not, Plus, Prohibit, Word, Phrase, SearchField)
        if not isinstance(node, allowed):
            raise QueryError(f"unsupported in the story query: {node!s} ({type(node).__name__})")
        if isinstance(node, SearchField) and node.name not in FIELDS:
            raise QueryError(f"unknown field {node.name!r} in the story query (use {', '.join(FIELDS)})")
        for child in node.children:
            self._check(child)

    def match(self, title: str | None, description: str | None, text: str | None) -> MatchResult:
        if self.match_all:
            return MatchResult(True, 1.0, ("*",))
        document = _Document(
            {"title": tokenize(title or ""), "description": tokenize(description or ""), "text": tokenize(text or "")}
        )
        evaluation = _Evaluation()
        assert self._tree is not None
        relevant = self._eval(self._tree, document, FIELDS, evaluation)
        if not relevant:
            return MatchResult(False, 0.0, tuple(dict.fromkeys(evaluation.terms)))
        return MatchResult(True, round(evaluation.score, 3), tuple(dict.fromkeys(evaluation.terms)))

    def _eval(self, node: Item, doc: _Document, fields: Sequence[str], acc: _Evaluation) -> bool:
        if isinstance(node, (Word, Phrase)):
            raw = node.value.strip('"') if isinstance(node, Phrase) else node.value
            if raw == "*":
                return True
            count, in_title = doc.count(_pattern(raw), fields)
            if count:
                acc.terms.append(raw if isinstance(node, Word) else f'"{raw}"')
                acc.score += 1.0 + math.log(count) + (1.0 if in_title else 0.0)
            return count > 0
        if isinstance(node, SearchField):
            return all(self._eval(child, doc, (node.name,), acc) for child in node.children)
        if isinstance(node, Group):
            return self._eval(node.children[0], doc, fields, acc)
        if isinstance(node, (Not, Prohibit)):
            return not self._eval(node.children[0], doc, fields, _Evaluation())
        if isinstance(node, Plus):
            return self._eval(node.children[0], doc, fields, acc)
        if isinstance(node, OrOperation):
            # Evaluate every branch so all matching terms are reported.
            results = [self._eval(child, doc, fields, acc) for child in node.children]
            return any(results)
        if isinstance(node, (AndOperation, UnknownOperation)):
            results = [self._eval(child, doc, fields, acc) for child in node.children]
            return all(results)
        raise QueryError(f"unsupported query element {type(node).__name__}")
