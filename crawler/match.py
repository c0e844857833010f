"""Relevance: a Lucene-like story query (parsed by luqum) matched against an
article's title, description and text.

Supported: AND, OR, NOT, implicit AND between terms, +must / -must-not,
(groups), "phrases", "proximity"~N, prefix*, term^boost, ``*`` alone
(matches everything), and ``field:term`` with the fields

- ``title``, ``description``, ``text``;
- ``lead``: the title, the description and the first 120 words of the text, for
  terms that an article *about* the story has near its top, where a page
  that mentions it in passing does not.

Terms are folded as crawler.tokens describes (case, accents, scripts, CJK,
joined forms, plurals).  A phrase matches consecutive words of one sentence;
``"a b"~N`` matches when the words are at most N words apart (any order) in
one paragraph.  The score sums, over distinct matched terms, 1 + ln(count),
doubled for a term in the lead, times its boost; each term counts once
however often the query names it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence

from luqum.exceptions import ParseError
from luqum.parser import parser as luqum_parser
from luqum.tree import (
    AndOperation,
    Boost,
    FieldGroup,
    Group,
    Item,
    Not,
    OrOperation,
    Phrase,
    Plus,
    Prohibit,
    Proximity,
    SearchField,
    UnknownOperation,
    Word,
)

from crawler.tokens import Token, is_cjk, lead, minimal_stem, tokenize, words

FIELDS = ("title", "description", "text", "lead")
DEFAULT_FIELDS = ("title", "description", "text")
# The text's paragraphs are numbered from here (title 0, description 10 000).
_TEXT_PARAGRAPHS = 20_000
# How many neighbouring tokens a joined form may span ("huggingface" is two).
_MAX_JOINED = 4


class QueryError(ValueError):
    """The story query cannot be parsed or uses an unsupported feature."""


@dataclasses.dataclass(frozen=True, slots=True)
class MatchResult:
    relevant: bool
    score: float
    terms: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class _Term:
    """One query word or phrase, folded: its words, and whether the last is a prefix."""

    words: tuple[str, ...]
    prefix: bool
    cjk: bool

    @classmethod
    @functools.lru_cache(maxsize=4096)
    def parse(cls, raw: str) -> _Term:
        """The folded term (cached: a query's terms are parsed once, not per page)."""
        prefix = raw.endswith("*")
        found = tuple(words(raw.rstrip("*")))
        cjk = bool(found) and all(is_cjk(w) for w in found)
        return cls(found, prefix, cjk)

    @property
    def joined(self) -> str:
        return "".join(self.words)


class _Field:
    """One field's tokens, with the spans where a term occurs."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        # Token positions by first character: a term is looked for only
        # where a token starts the way it does.
        self.starts: dict[str, list[int]] = {}
        for index, token in enumerate(tokens):
            self.starts.setdefault(token.form[:1], []).append(index)

    def spans(self, term: _Term) -> list[tuple[int, int]]:
        """(first, last) token index of each occurrence of the term."""
        if not term.words:
            return []
        if term.cjk:
            return self._consecutive(term)
        return self._joined(term)

    def _consecutive(self, term: _Term) -> list[tuple[int, int]]:
        tokens, width = self.tokens, len(term.words)
        if width == 1 and len(term.words[0]) == 1:
            # One character: wherever it occurs, inside any bigram.
            char = term.words[0]
            return [(i, i) for i, token in enumerate(tokens) if char in token.form]
        found = []
        for start in self.starts.get(term.words[0][:1], ()):
            if start + width <= len(tokens) and all(tokens[start + k].form == term.words[k] for k in range(width)) and (
                tokens[start].sentence == tokens[start + width - 1].sentence
            ):
                found.append((start, start + width - 1))
        return found

    def _joined(self, term: _Term) -> list[tuple[int, int]]:
        """Runs of tokens in one sentence whose concatenation spells the term:
        "hugging face", "huggingface" and "HuggingFace" alike.  The last token
        may match by its plural-folded form, or by prefix for ``term*``."""
        target = term.joined
        stemmed_target = "".join(term.words[:-1]) + minimal_stem(term.words[-1])
        tokens = self.tokens
        found = []
        for start in self.starts.get(term.words[0][:1], ()):
            token = tokens[start]
            spelled = ""
            for end in range(start, min(start + _MAX_JOINED + len(term.words), len(tokens))):
                current = tokens[end]
                if current.sentence != token.sentence:
                    break
                if _ends_term(spelled, current, target, stemmed_target, term.prefix):
                    found.append((start, end))
                    break
                spelled += current.form
                if not target.startswith(spelled):
                    break
        return found


def _ends_term(spelled: str, token: Token, target: str, stemmed_target: str, prefix: bool) -> bool:
    if prefix:
        rest = target[len(spelled) :]
        return target.startswith(spelled) and token.form.startswith(rest) and bool(rest)
    return spelled + token.form == target or spelled + token.stem == stemmed_target


@dataclasses.dataclass(slots=True)
class _Document:
    fields: dict[str, _Field]

    @classmethod
    def of(cls, title: str | None, description: str | None, text: str | None) -> _Document:
        # Paragraph numbers keep the fields apart for proximity.
        title_tokens = tokenize(title or "", first_paragraph=0)
        description_tokens = tokenize(description or "", first_paragraph=10_000)
        text_tokens = tokenize(text or "", first_paragraph=_TEXT_PARAGRAPHS)
        return cls(
            {
                "title": _Field(title_tokens),
                "description": _Field(description_tokens),
                "text": _Field(text_tokens),
                "lead": _Field(title_tokens + description_tokens + lead(text_tokens)),
            }
        )


@dataclasses.dataclass(slots=True)
class _Evaluation:
    # Score contribution per distinct term (so a term named twice counts once).
    contributions: dict[str, float] = dataclasses.field(default_factory=dict)

    def add(self, label: str, count: int, in_lead: bool, boost: float) -> None:
        value = (1.0 + math.log(count)) * (2.0 if in_lead else 1.0) * boost
        self.contributions[label] = max(value, self.contributions.get(label, 0.0))

    @property
    def score(self) -> float:
        return sum(self.contributions.values())


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
        allowed = (
            AndOperation,
            OrOperation,
            UnknownOperation,
            Group,
            FieldGroup,
            Not,
            Plus,
            Prohibit,
            Word,
            Phrase,
            Proximity,
            Boost,
            SearchField,
        )
        if not isinstance(node, allowed):
            raise QueryError(f"unsupported in the story query: {node!s} ({type(node).__name__})")
        if isinstance(node, SearchField) and node.name not in FIELDS:
            raise QueryError(f"unknown field {node.name!r} in the story query (use {', '.join(FIELDS)})")
        if isinstance(node, Proximity) and not isinstance(node.term, Phrase):
            raise QueryError(f"~N after a word asks for fuzzy matching, which is not supported: {node!s}")
        for child in node.children:
            self._check(child)

    def match(self, title: str | None, description: str | None, text: str | None) -> MatchResult:
        if self.match_all:
            return MatchResult(True, 1.0, ("*",))
        document = _Document.of(title, description, text)
        evaluation = _Evaluation()
        assert self._tree is not None
        relevant = self._eval(self._tree, document, DEFAULT_FIELDS, evaluation, 1.0)
        terms = tuple(evaluation.contributions)
        if not relevant:
            return MatchResult(False, 0.0, terms)
        return MatchResult(True, round(evaluation.score, 3), terms)

    def _eval(self, node: Item, doc: _Document, fields: Sequence[str], acc: _Evaluation, boost: float) -> bool:
        if isinstance(node, Word) and node.value == "*":
            return True
        if isinstance(node, (Word, Phrase, Proximity)):
            return self._term(node, doc, fields, acc, boost)
        if isinstance(node, SearchField):
            return all(self._eval(child, doc, (node.name,), acc, boost) for child in node.children)
        if isinstance(node, (Group, FieldGroup)):
            return self._eval(node.children[0], doc, fields, acc, boost)
        if isinstance(node, Boost):
            return self._eval(node.children[0], doc, fields, acc, boost * float(node.force or 1))
        if isinstance(node, (Not, Prohibit)):
            return not self._eval(node.children[0], doc, fields, _Evaluation(), boost)
        if isinstance(node, Plus):
            return self._eval(node.children[0], doc, fields, acc, boost)
        if isinstance(node, OrOperation):
            # Evaluate every branch so all matching terms are reported.
            results = [self._eval(child, doc, fields, acc, boost) for child in node.children]
            return any(results)
        if isinstance(node, (AndOperation, UnknownOperation)):
            results = [self._eval(child, doc, fields, acc, boost) for child in node.children]
            return all(results)
        raise QueryError(f"unsupported query element {type(node).__name__}")

    def _term(
        self, node: Word | Phrase | Proximity, doc: _Document, fields: Sequence[str], acc: _Evaluation, boost: float
    ) -> bool:
        count, in_lead = 0, False
        for name in fields:
            field = doc.fields[name]
            found = _proximity_count(field, node) if isinstance(node, Proximity) else len(field.spans(_parse(node)))
            count += found
            in_lead = in_lead or (found > 0 and name in ("title", "lead"))
        if not in_lead and count and "lead" not in fields:
            lead = doc.fields["lead"]
            in_lead = bool(_proximity_count(lead, node) if isinstance(node, Proximity) else lead.spans(_parse(node)))
        if count:
            acc.add(_label(node, fields), count, in_lead, boost)
        return count > 0


def _parse(node: Word | Phrase) -> _Term:
    return _Term.parse(node.value.strip('"') if isinstance(node, Phrase) else node.value)


def _label(node: Item, fields: Sequence[str]) -> str:
    text = str(node).strip()
    return f"{fields[0]}:{text}" if len(fields) == 1 else text


def _proximity_count(field: _Field, node: Proximity) -> int:
    """Occurrences of the first word with every other word at most N words
    away in the same paragraph."""
    phrase = node.term.value.strip('"')
    parts = phrase.split()
    distance = int(node.degree or 0)
    terms = [_Term.parse(p) for p in parts]
    spans = [field.spans(t) for t in terms if t.words]
    if not spans or any(not s for s in spans):
        return 0
    tokens = field.tokens
    count = 0
    for start, end in spans[0]:
        paragraph = tokens[start].paragraph
        if all(
            any(
                tokens[s].paragraph == paragraph and (abs(s - end) <= distance + 1 or abs(start - e) <= distance + 1)
                for s, e in others
            )
            for others in spans[1:]
        ):
            count += 1
    return count
