"""A word diff of two texts that keeps their paragraphs, for the web view.

Pure: texts in, paragraphs of (op, words) runs out; the template marks
them up with <ins> and <del>.  One diff gives both the inline view (every
run) and the side-by-side view (the old side without insertions, the new
side without deletions), and which paragraphs of each are the page
around the article (the versions' chrome lines), for the template to
grey."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Literal

Op = Literal["equal", "insert", "delete"]
_BREAK = "\n"


@dataclasses.dataclass(frozen=True, slots=True)
class Run:
    op: Op
    text: str


Paragraph = list[Run]


@dataclasses.dataclass(frozen=True, slots=True)
class WordDiff:
    inline: list[Paragraph]
    before: list[Paragraph]
    after: list[Paragraph]
    inserted: int  # words
    deleted: int
    # Which paragraphs of each view are wholly lines of the page around the
    # article (its chrome lines, left out of the identity), by index; a
    # paragraph of the inline view only when each side calls its words so.
    inline_around: frozenset[int] = frozenset()
    before_around: frozenset[int] = frozenset()
    after_around: frozenset[int] = frozenset()

    @property
    def unchanged(self) -> bool:
        return not (self.inserted or self.deleted)


def _tokens(text: str, around: frozenset[int]) -> tuple[list[str], list[bool]]:
    """The text's words with a break between its paragraphs, and for each
    token whether its line is one of ``around``."""
    tokens: list[str] = []
    flags: list[bool] = []
    for index, paragraph in enumerate(text.split("\n")):
        words = paragraph.split()
        if words:
            if tokens:
                tokens.append(_BREAK)
                flags.append(False)
            tokens.extend(words)
            flags.extend([index in around] * len(words))
    return tokens, flags


@dataclasses.dataclass(frozen=True, slots=True)
class _Span:
    """A run of tokens and, for each, whether the old and the new text
    call its line the page around the article (one side only for a
    deletion or an insertion: the other is the same)."""

    op: Op
    tokens: list[str]
    old: list[bool]
    new: list[bool]

    def flags(self, side: str) -> list[bool]:
        if side == "old":
            return self.old
        if side == "new":
            return self.new
        return [x and y for x, y in zip(self.old, self.new, strict=True)]


def _paragraphs(spans: list[_Span], keep: frozenset[str], side: str) -> tuple[list[Paragraph], frozenset[int]]:
    """Cut spans into paragraphs at the break tokens, keeping ops in
    ``keep``; and the paragraphs all of whose words ``side`` ("old", "new"
    or "both") calls the page around the article."""
    paragraphs: list[Paragraph] = [[]]
    flagged: list[bool] = [True]
    for span in spans:
        if span.op not in keep:
            continue
        words: list[str] = []
        for token, flag in zip(span.tokens, span.flags(side), strict=True):
            if token == _BREAK:
                if words:
                    paragraphs[-1].append(Run(span.op, " ".join(words)))
                    words = []
                paragraphs.append([])
                flagged.append(True)
            else:
                words.append(token)
                flagged[-1] = flagged[-1] and flag
        if words:
            paragraphs[-1].append(Run(span.op, " ".join(words)))
    kept = [(p, f) for p, f in zip(paragraphs, flagged, strict=True) if p]
    return [p for p, _ in kept], frozenset(i for i, (_, f) in enumerate(kept) if f)


def word_diff(old: str, new: str, old_around: frozenset[int] = frozenset(),
              new_around: frozenset[int] = frozenset()) -> WordDiff:
    """The diff of two texts; ``old_around`` and ``new_around`` are each
    text's lines that are the page around the article."""
    a, a_flags = _tokens(old, old_around)
    b, b_flags = _tokens(new, new_around)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    spans: list[_Span] = []
    inserted = deleted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans.append(_Span("equal", a[i1:i2], a_flags[i1:i2], b_flags[j1:j2]))
            continue
        if i2 > i1:
            spans.append(_Span("delete", a[i1:i2], a_flags[i1:i2], a_flags[i1:i2]))
            deleted += sum(1 for t in a[i1:i2] if t != _BREAK)
        if j2 > j1:
            spans.append(_Span("insert", b[j1:j2], b_flags[j1:j2], b_flags[j1:j2]))
            inserted += sum(1 for t in b[j1:j2] if t != _BREAK)
    inline, inline_around = _paragraphs(spans, frozenset(("equal", "insert", "delete")), "both")
    before, before_around = _paragraphs(spans, frozenset(("equal", "delete")), "old")
    after, after_around = _paragraphs(spans, frozenset(("equal", "insert")), "new")
    return WordDiff(inline, before, after, inserted, deleted, inline_around, before_around, after_around)
