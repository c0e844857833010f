"""Readable differences between two versions, and what kind of change they are.

Pure functions over strings: used when a version is recorded (the stored
classification), by `storywatch diff` and by the digest.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from typing import Literal

from storywatch.content import normalise_text

Op = Literal["equal", "insert", "delete"]

# Kinds recorded beside classify_change's own (storage.record):
FULL_TEXT = "full_text"  # the first complete text after subscriber-only teasers: not an edit
STANDFIRST = "standfirst"  # a subscriber page's standfirst (description) changed

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
_NOTICE = re.compile(
    r"^\s*(?:\W*\s*)?(?P<kind>correction|corrected|clarification|editor['’]s note|update[sd]?|"
    r"this (?:article|story|post) (?:has been|was) (?:updated|corrected))\b",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^\s*(?:updated|published|posted|last updated)?[\s:]*"
    r"(?:\w+,?\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+\w{2,4})?)?\s*$",
    re.IGNORECASE,
)


@dataclasses.dataclass(frozen=True, slots=True)
class DiffOp:
    op: Op
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    kinds: tuple[str, ...]
    size: int
    is_minor: bool
    added: tuple[str, ...]  # sentences added (in new order)
    removed: tuple[str, ...]  # sentences removed
    title_before: str | None
    title_after: str | None

    @property
    def kinds_text(self) -> str:
        return ",".join(self.kinds)


def split_paragraphs(text: str) -> list[str]:
    return [normalise_text(p) for p in text.split("\n") if normalise_text(p)]


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        sentences.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return sentences


def _diff(old: Sequence[str], new: Sequence[str]) -> list[DiffOp]:
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.extend(DiffOp("equal", s) for s in old[i1:i2])
        else:
            ops.extend(DiffOp("delete", s) for s in old[i1:i2])
            ops.extend(DiffOp("insert", s) for s in new[j1:j2])
    return ops


def sentence_diff(old_text: str, new_text: str) -> list[DiffOp]:
    return _diff(split_sentences(old_text), split_sentences(new_text))


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Word-level diff; each op's text is a run of words."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            ops.append(DiffOp("delete", " ".join(old_words[i1:i2])))
        if j2 > j1:
            ops.append(DiffOp("insert", " ".join(new_words[j1:j2])))
    return ops


def _loose(text: str) -> str:
    """Text with punctuation, case and spacing ignored: for spotting trivial edits."""
    return re.sub(r"[\W_]+", "", text.casefold())


def classify_change(
    old_title: str | None,
    old_authors: Sequence[str],
    old_text: str,
    new_title: str | None,
    new_authors: Sequence[str],
    new_text: str,
) -> Change:
    kinds: list[str] = []
    title_changed = normalise_text(old_title or "") != normalise_text(new_title or "")
    if title_changed:
        kinds.append("headline")
    if [normalise_text(a) for a in old_authors] != [normalise_text(a) for a in new_authors]:
        kinds.append("byline")

    old_paragraphs, new_paragraphs = split_paragraphs(old_text), split_paragraphs(new_text)
    matcher = difflib.SequenceMatcher(a=old_paragraphs, b=new_paragraphs, autojunk=False)
    added_paragraphs: list[str] = []
    removed_paragraphs: list[str] = []
    edited = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            added_paragraphs.extend(new_paragraphs[j1:j2])
        elif tag == "delete":
            removed_paragraphs.extend(old_paragraphs[i1:i2])
        elif tag == "replace":
            old_block, new_block = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
            similarity = difflib.SequenceMatcher(a=" ".join(old_block), b=" ".join(new_block), autojunk=False).ratio()
            if similarity >= 0.5:
                edited = True
                extra = len(new_block) - len(old_block)
                if extra > 0:
                    added_paragraphs.extend(new_block[-extra:])
                elif extra < 0:
                    removed_paragraphs.extend(old_block[extra:])
            else:
                added_paragraphs.extend(new_block)
                removed_paragraphs.extend(old_block)
    if added_paragraphs:
        kinds.append("paragraphs_added")
    if removed_paragraphs:
        kinds.append("paragraphs_removed")
    if edited:
        kinds.append("paragraphs_edited")

    ops = sentence_diff(old_text, new_text)
    added = tuple(op.text for op in ops if op.op == "insert")
    removed = tuple(op.text for op in ops if op.op == "delete")
    notices = [m.group("kind").lower() for s in added if not _DATE_LINE.match(s) and (m := _NOTICE.match(s))]
    if any(n.startswith("correct") or n == "clarification" or "corrected" in n for n in notices):
        kinds.append("correction")
    if any(n.startswith("update") or "updated" in n or n.startswith("editor") for n in notices):
        kinds.append("update_notice")

    size = sum(len(s) for s in added) + sum(len(s) for s in removed)
    if title_changed:
        size += len(new_title or "") + len(old_title or "")
    body_trivial = _loose(old_text) == _loose(new_text) or all(
        _DATE_LINE.match(s) for s in (*added, *removed)
    )
    is_minor = (
        not title_changed
        and "byline" not in kinds
        and "correction" not in kinds
        and "update_notice" not in kinds
        and body_trivial
    )
    if is_minor:
        kinds.append("minor")
    return Change(
        kinds=tuple(kinds),
        size=size,
        is_minor=is_minor,
        added=added,
        removed=removed,
        title_before=old_title,
        title_after=new_title,
    )
