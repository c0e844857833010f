"""Score a story query on a labelled set of texts.

    python bench/relevance.py                        # the shipped query on bench/relevance-set.jsonl
    python bench/relevance.py --query 'sora AND leak*' --set other.jsonl
    python bench/relevance.py --negatives ../shared/corpora/newspaper-fulltext-2014/text

The set is JSON Lines, one text a line: ``{"id", "relevant": bool, "kind",
"lang", "title", "description", "text"}`` (kind and lang are for the report;
title and description may be null).  ``--negatives DIR`` adds every ``*.txt``
in DIR as a text that must not match (unrelated real prose).  Prints
precision, recall and F1, every error with the terms that decided it, and
the figures per kind; ``--json`` prints them as one object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.match import StoryQuery  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE / "relevance-set.jsonl"
DEFAULT_CONFIG = HERE.parent / "storywatch.toml"


@dataclasses.dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    relevant: bool
    kind: str
    lang: str
    title: str | None
    description: str | None
    text: str


@dataclasses.dataclass(slots=True)
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    errors: list[dict[str, object]] = dataclasses.field(default_factory=list)
    by_kind: Counter[str] = dataclasses.field(default_factory=Counter)
    wrong_by_kind: Counter[str] = dataclasses.field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        taken = self.true_positives + self.false_positives
        return self.true_positives / taken if taken else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_set(path: Path) -> list[Labelled]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            items.append(
                Labelled(
                    id=str(row.get("id", number)),
                    relevant=bool(row["relevant"]),
                    kind=str(row.get("kind", "?")),
                    lang=str(row.get("lang", "?")),
                    title=row.get("title"),
                    description=row.get("description"),
                    text=row.get("text") or "",
                )
            )
        except KeyError as exc:
            raise SystemExit(f"{path}:{number}: missing {exc}") from None
    return items


def load_negatives(folder: Path) -> list[Labelled]:
    return [
        Labelled(f"{folder.name}/{path.name}", False, "unrelated-corpus", "?", None, None, path.read_text("utf-8", "replace"))
        for path in sorted(folder.glob("*.txt"))
    ]


def score(query: StoryQuery, items: list[Labelled]) -> Score:
    result = Score()
    started = time.perf_counter()
    for item in items:
        match = query.match(item.title, item.description, item.text)
        result.by_kind[item.kind] += 1
        if match.relevant == item.relevant:
            if item.relevant:
                result.true_positives += 1
            else:
                result.true_negatives += 1
            continue
        result.wrong_by_kind[item.kind] += 1
        if match.relevant:
            result.false_positives += 1
        else:
            result.false_negatives += 1
        result.errors.append(
            {
                "id": item.id,
                "expected": item.relevant,
                "kind": item.kind,
                "lang": item.lang,
                "terms": list(match.terms),
                "title": item.title,
            }
        )
    result.seconds = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled JSON Lines (default: %(default)s)")
    parser.add_argument("--query", help="the query to score (default: the config's)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="config whose query is scored")
    parser.add_argument("--negatives", type=Path, action="append", default=[], help="folder of *.txt that must not match")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    args = parser.parse_args()

    text = args.query or tomllib.loads(args.config.read_text("utf-8"))["story"]["query"]
    items = load_set(args.set)
    for folder in args.negatives:
        items += load_negatives(folder)
    result = score(StoryQuery(text), items)
    figures = {
        "texts": len(items),
        "relevant": sum(i.relevant for i in items),
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "f1": round(result.f1, 4),
        "false_positives": result.false_positives,
        "false_negatives": result.false_negatives,
        "ms_per_text": round(1000 * result.seconds / max(len(items), 1), 2),
        "by_kind": {k: {"texts": n, "wrong": result.wrong_by_kind[k]} for k, n in sorted(result.by_kind.items())},
        "errors": result.errors,
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print(f"{figures['texts']} texts ({figures['relevant']} relevant) from {args.set.name}"
          + "".join(f" + {f}" for f in args.negatives))
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
          f"({result.false_positives} false positives, {result.false_negatives} misses; "
          f"{figures['ms_per_text']} ms a text)")
    for kind, entry in figures["by_kind"].items():  # type: ignore[attr-defined]
        print(f"  {kind:<18} {entry['texts']:>4} texts, {entry['wrong']} wrong")
    for error in result.errors:
        what = "false positive" if not error["expected"] else "missed"
        print(f"  {what}: {error['id']} [{error['kind']}, {error['lang']}] {error['title']!r} terms={error['terms']}")


if __name__ == "__main__":
    main()
