"""What admission loses by reading the article (the body without its chrome
lines, crawler/admission.py) instead of the whole extracted text, on real
pages.

    python bench/article_reading.py --corpus ../shared/corpora [--json FILE]

For every page of the four corpora with an extracted text: how much of the
text is chrome, and on how many pages chrome lines sit in the query's
``lead`` (the first 120 words).  Then the risk: a query made of the page's
own topic (up to three of the longest title words its text holds, as
``text:(...)``, so the title field cannot answer it) is matched against
the whole text and against the article.  A page that matches only the
whole text names its own topic only in lines marked as the page around
the article; each such page is listed with the lines that held the
words, and counted as ``headline`` when one of them is the headline
typed into the body (which a query reads in the title field anyway).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_extraction import LOADERS, _read, _squash  # noqa: E402
from crawler.extract import extract_article  # noqa: E402
from crawler.match import StoryQuery  # noqa: E402
from crawler.tokens import LEAD_WORDS  # noqa: E402
from storywatch.content import identity_text  # noqa: E402

CORPORA = ("trafilatura-evaldata", "newspaper4k-testdata", "newspaper-fulltext-2014", "htmldate-eval")
_TOPIC_WORD = re.compile(r"[^\W\d_]{6,}")


def read_page(html: bytes, url: str | None) -> dict[str, Any] | None:
    extracted = extract_article(html, url)
    if extracted is None or not extracted.text.strip():
        return None
    text, article = extracted.text, identity_text(extracted.text, extracted.chrome)
    row: dict[str, Any] = {
        "words": len(text.split()),
        "chrome_words": len(text.split()) - len(article.split()),
        "lead_moved": text.split()[:LEAD_WORDS] != article.split()[:LEAD_WORDS],
        "topic": None,
    }
    title = extracted.title or ""
    # Longest first, ties alphabetically: the same query on every run.
    longest = sorted({w.casefold() for w in _TOPIC_WORD.findall(title)}, key=lambda word: (-len(word), word))
    topic = [word for word in longest if word in text.casefold()][:3]
    if len(topic) < 2:
        return row
    query = StoryQuery("text:(" + " AND ".join(f'"{word}"' for word in topic) + ")")
    whole, only_article = query.match(None, None, text).relevant, query.match(None, None, article).relevant
    row["topic"] = {"whole": whole, "article": only_article}
    if whole and not only_article:
        lines = text.split("\n")
        holders = [lines[i] for i in extracted.chrome if any(word in lines[i].casefold() for word in topic)]
        headline = bool(title) and any(_squash(line).startswith(_squash(title)[:30]) for line in holders)
        row["topic"] |= {"words": topic, "lines": [line[:160] for line in holders], "headline": headline}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results" / "article_reading.json")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    rows: list[dict[str, Any]] = []
    for name in CORPORA:
        for page in LOADERS[name](args.corpus / name):
            row = read_page(_read(page.path), page.url)
            if row is not None:
                rows.append({"corpus": name, "page": page.key, **row})
    topical = [r for r in rows if r["topic"] is not None]
    lost = [r for r in topical if r["topic"]["whole"] and not r["topic"]["article"]]
    summary = {
        "pages": len(rows),
        "chrome_share_of_words": sum(r["chrome_words"] for r in rows) / max(1, sum(r["words"] for r in rows)),
        "pages_with_chrome_in_lead": sum(r["lead_moved"] for r in rows),
        "topic_queries": len(topical),
        "topic_matches_whole_text": sum(r["topic"]["whole"] for r in topical),
        "topic_matches_article": sum(r["topic"]["article"] for r in topical),
        "topic_only_outside_article": len(lost),
        "of_which_headline_line": sum(r["topic"]["headline"] for r in lost),
    }
    for key, value in summary.items():
        print(f"{key:<32} {value:.4f}" if isinstance(value, float) else f"{key:<32} {value}")
    for row in lost:
        if not row["topic"]["headline"]:
            print(f"  {row['corpus']}/{row['page']}: {row['topic']['words']} in {row['topic']['lines'][:2]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"summary": summary, "pages": rows}, ensure_ascii=False, indent=1))
    print(f"saved {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
