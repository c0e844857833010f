"""A word diff of two texts that keeps their paragraphs, for the web view.

Pure: texts in, paragraphs of (op, words) runs out; the template marks
them up with <ins> and <del>.  One diff gives both the inline view (every
run) and the side-by-side view (the old side without insertions, the new
side without deletions)."""

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

    @property
    def unchanged(self) -> bool:
        return not (self.inserted or self.deleted)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if words:
            if tokens:
                tokens.append(_BREAK)
            tokens.extend(words)
    return tokens


def _paragraphs(runs: list[tuple[Op, list[str]]], keep: frozenset[str]) -> list[Paragraph]:
    """Cut runs of tokens into paragraphs at the break tokens, keeping ops in ``keep``."""
    paragraphs: list[Paragraph] = [[]]
    for op, tokens in runs:
        if op not in keep:
            continue
        words: list[str] = []
        for token in tokens:
            if token == _BREAK:
                if words:
                    paragraphs[-1].append(Run(op, " ".join(words)))
                    words = []
                paragraphs.append([])
            else:
                words.append(token)
        if words:
            paragraphs[-1].append(Run(op, " ".join(words)))
    return [p for p in paragraphs if p]


def word_diff(old: str, new: str) -> WordDiff:
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    runs: list[tuple[Op, list[str]]] = []
    inserted = deleted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", a[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("delete", a[i1:i2]))
            deleted += sum(1 for t in a[i1:i2] if t != _BREAK)
        if j2 > j1:
            runs.append(("insert", b[j1:j2]))
            inserted += sum(1 for t in b[j1:j2] if t != _BREAK)
    everything = frozenset(("equal", "insert", "delete"))
    return WordDiff(
        inline=_paragraphs(runs, everything),
        before=_paragraphs(runs, frozenset(("equal", "delete"))),
        after=_paragraphs(runs, frozenset(("equal", "insert"))),
        inserted=inserted,
        deleted=deleted,
    )


def paragraph_numbers(text: str, lines: frozenset[int]) -> frozenset[int]:
    """Which of a side's paragraphs (the text's lines that hold words, in
    order) are the given lines of the text."""
    holding = (index for index, line in enumerate(text.split("\n")) if line.split())
    return frozenset(number for number, index in enumerate(holding) if index in lines)
