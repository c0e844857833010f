"""Score crawler.extract.extract_article against real pages, beside plain
trafilatura (bare_extraction(..., with_metadata=True)) in the same run.

    python bench/eval_extraction.py --corpus ../shared/corpora/trafilatura-evaldata \
        --corpus ../shared/corpora/htmldate-eval --corpus ../shared/corpora/newspaper4k-testdata \
        --corpus ../shared/corpora/newspaper-fulltext-2014 --json bench/results/extraction.json

Fields: body (word 4-gram shingle F1 where the truth is full text, a
Chinese or Japanese character counting as a word; snippet
precision/recall where it is snippets; ``article``: the same for the
body without its chrome lines, which is what the version identity reads;
plain trafilatura's is its text), title (exact after normalising case
and punctuation), author (token overlap F1 per page), date (same day).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import multiprocessing
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura  # noqa: E402

from crawler.extract import extract_article  # noqa: E402
from storywatch.content import identity_text  # noqa: E402


@dataclasses.dataclass
class Page:
    corpus: str
    key: str
    path: Path
    url: str | None
    text: str | None = None  # full expected text
    with_snippets: list[str] = dataclasses.field(default_factory=list)
    without_snippets: list[str] = dataclasses.field(default_factory=list)
    title: str | None = None
    authors: str | None = None
    date: str | None = None  # YYYY-MM-DD


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _first_existing(*paths: Path) -> Path | None:
    for path in paths:
        if path.exists():
            return path
    return None


def load_trafilatura_evaldata(root: Path) -> Iterator[Page]:
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in data.items():
        name = entry["file"]
        path = _first_existing(root / "html-eval" / f"{name}.gz", root / "html-cache" / f"{name}.gz")
        if path is None:
            continue
        yield Page(
            "trafilatura-evaldata", name, path, url,
            with_snippets=entry.get("with") or [], without_snippets=entry.get("without") or [],
            title=entry.get("title"), authors=entry.get("author"), date=entry.get("date"),
        )


def load_htmldate(root: Path) -> Iterator[Page]:
    for truth_file, folders in (("eval_default.json", ("html-eval", "html-cache")), ("eval_mediacloud_2020.json", ("html-test_set",))):
        data = json.loads((root / truth_file).read_text(encoding="utf-8"))
        for url, entry in data.items():
            date = entry.get("date")
            if not isinstance(date, str):
                continue  # a few are NaN
            path = _first_existing(*(root / folder / f"{entry['file']}.gz" for folder in folders))
            if path is not None:
                yield Page("htmldate-eval", entry["file"], path, url, date=date)


def load_newspaper4k(root: Path) -> Iterator[Page]:
    for path in sorted((root / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        meta_path = root / "metadata" / f"{name}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        text_path = root / "txt" / f"{name}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
        date = meta.get("publish_date")
        yield Page(
            "newspaper4k-testdata", name, path, meta.get("url"), text=text or None,
            title=meta.get("title") or None,
            authors="; ".join(meta.get("authors") or []) or None,
            date=date[:10] if isinstance(date, str) and date else None,
        )


def is_reviewer_note(text: str) -> bool:
    """newspaper's reviewers wrote some "expected texts" as a note on how
    the extraction failed ("MISSED LAST SENTENCE IN THE ARTICLE", "ONLY
    EXTRACTED AUTHOR BLURB"), in capitals: 19 of newspaper-fulltext-2014's.
    Such a note is no body: scored against it, every extractor fails the
    page, and the churn bench would take the whole article for the page
    around it. A phrase it quotes from the page keeps its case ('ONLY
    "More coming soon!" AT END OF ARTICLE WAS EXTRACTED')."""
    letters = [c for c in re.sub(r'"[^"]*"', "", text) if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.9 * len(letters)


def load_newspaper_2014(root: Path) -> Iterator[Page]:
    for row in json.loads((root / "index.json").read_text(encoding="utf-8")):
        if not (row.get("html_present") and row.get("text_present")):
            continue
        text = (root / row["text"]).read_text(encoding="utf-8")
        if text.strip() and not is_reviewer_note(text):
            yield Page("newspaper-fulltext-2014", row["html"], root / row["html"], row["url"], text=text)


LOADERS = {
    "trafilatura-evaldata": load_trafilatura_evaldata,
    "htmldate-eval": load_htmldate,
    "newspaper4k-testdata": load_newspaper4k,
    "newspaper-fulltext-2014": load_newspaper_2014,
}


# -- the two extractors --------------------------------------------------


def run_ours(html: bytes, url: str | None) -> dict[str, Any]:
    extracted = extract_article(html, url)
    if extracted is None:
        return {}
    return {
        "text": extracted.text,
        # What the version identity reads: the text without its chrome lines.
        "article": identity_text(extracted.text, extracted.chrome),
        "title": extracted.title,
        "authors": list(extracted.authors),
        "date": extracted.published_at.date().isoformat() if extracted.published_at else None,
        "modified": extracted.modified_at.date().isoformat() if extracted.modified_at else None,
    }


def run_baseline(html: bytes | str, url: str | None) -> dict[str, Any]:
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception:  # noqa: BLE001 -- the baseline failing on a page counts as no output
        return {}
    if document is None:
        return {}
    author = getattr(document, "author", None)
    return {
        "text": getattr(document, "text", None) or "",
        "title": getattr(document, "title", None),
        "authors": [a.strip() for a in re.split(r";", author)] if author else [],
        "date": (getattr(document, "date", None) or None),
        "modified": None,
    }


def evaluate_page(page: Page) -> dict[str, Any]:
    html = _read(page.path)
    results = {}
    for name, extractor in (("ours", run_ours), ("trafilatura", run_baseline)):
        started = time.perf_counter()
        output = extractor(html, page.url)
        results[name] = {"output": output, "seconds": time.perf_counter() - started}
    return {"page": dataclasses.asdict(page) | {"path": str(page.path)}, "results": results}


# -- scoring -------------------------------------------------------------


# Characters that print nothing (a soft hyphen, a zero-width space or
# joiner, a byte-order mark): a reference written with a hyphenation
# plugin's soft hyphens holds "Werk\u00adzeug" where an extractor that drops
# them writes "Werkzeug", the same word on screen.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


# Scripts written without spaces between words (Chinese and Japanese
# ideographs and kana, with their full-width punctuation): each character
# is a word, or a "word" is a whole paragraph and one changed quote mark
# leaves no shingle in common.  Thai, Lao, Burmese and Khmer space their
# phrases, and their shingles of phrases already tell pages apart.
_UNSPACED = re.compile("([\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60])")


def _words(text: str) -> list[str]:
    return _UNSPACED.sub(r" \1 ", _visible(text)).lower().split()


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _words(text)
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", _visible(text).casefold()).split())


def _author_tokens(value: str | list[str] | None) -> set[str]:
    if not value:
        return set()
    text = " ".join(value) if isinstance(value, list) else value
    return {t for t in _squash(text).split() if t not in {"by", "and", "und", "et"}}


def _body_scores(out: list[tuple[dict[str, Any], dict[str, Any]]], key: str, prefix: str) -> dict[str, Any]:
    """Shingle F1 against full texts, snippet F1 against snippets, of the
    output's ``key`` (an extractor without it is scored on its text)."""
    fields: dict[str, Any] = {}
    full = [(p, o) for p, o in out if p["text"]]
    if full:
        precisions, recalls = [], []
        for page, output in full:
            truth, predicted = _shingles(page["text"]), _shingles(output.get(key, output.get("text")) or "")
            common = len(truth & predicted)
            precisions.append(common / len(predicted) if predicted else 0.0)
            recalls.append(common / len(truth) if truth else 0.0)
        p, r = sum(precisions) / len(full), sum(recalls) / len(full)
        fields[f"{prefix}_f1"] = {"value": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
                                  "n": len(full)}
    snippet_pages = [(p, o) for p, o in out if p["with_snippets"] or p["without_snippets"]]
    if snippet_pages:
        tp = fn = fp = 0
        for page, output in snippet_pages:
            body = _squash(output.get(key, output.get("text")) or "")
            for snippet in page["with_snippets"]:
                if _squash(snippet) in body:
                    tp += 1
                else:
                    fn += 1
            fp += sum(1 for s in page["without_snippets"] if _squash(s) and _squash(s) in body)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        fields[f"{prefix}_snippets_f1"] = {"value": 2 * p * r / (p + r) if p + r else 0.0, "precision": p,
                                           "recall": r, "n": len(snippet_pages)}
    return fields


def score(records: list[dict[str, Any]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for corpus in sorted({r["page"]["corpus"] for r in records}):
        rows = [r for r in records if r["page"]["corpus"] == corpus]
        corpus_scores: dict[str, Any] = {"pages": len(rows)}
        for name in ("ours", "trafilatura"):
            out = [(r["page"], r["results"][name]["output"]) for r in rows]
            fields: dict[str, Any] = {}
            for key, prefix in (("text", "body"), ("article", "article")):
                fields |= _body_scores(out, key, prefix)
            titled = [(p, o) for p, o in out if p["title"]]
            if titled:
                hits = sum(1 for p, o in titled if o.get("title") and _squash(o["title"]) == _squash(p["title"]))
                fields["title_exact"] = {"value": hits / len(titled), "n": len(titled)}
            authored = [(p, o) for p, o in out if p["authors"]]
            if authored:
                f1s = []
                for page, output in authored:
                    named, found = _author_tokens(page["authors"]), _author_tokens(output.get("authors"))
                    common = len(named & found)
                    f1s.append(2 * common / (len(named) + len(found)) if named or found else 1.0)
                fields["author_f1"] = {"value": sum(f1s) / len(f1s), "n": len(authored)}
            dated = [(p, o) for p, o in out if p["date"]]
            if dated:
                hits = sum(1 for p, o in dated if o.get("date") == p["date"])
                fields["date_same_day"] = {"value": hits / len(dated), "n": len(dated)}
            seconds = sum(r["results"][name]["seconds"] for r in rows)
            fields["pages_per_second"] = {"value": len(rows) / seconds if seconds else 0.0, "n": len(rows)}
            corpus_scores[name] = fields
        table[corpus] = corpus_scores
    return table


def print_table(table: dict[str, Any]) -> None:
    print(f"{'corpus':<26} {'field':<18} {'n':>5} {'storywatch':>11} {'trafilatura':>12}  diff")
    for corpus, scores in table.items():
        for field in scores["ours"]:
            ours, base = scores["ours"][field], scores["trafilatura"].get(field)
            if base is None:
                continue
            diff = ours["value"] - base["value"]
            print(f"{corpus:<26} {field:<18} {ours['n']:>5} {ours['value']:>11.3f} {base['value']:>12.3f}  {diff:+.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, type=Path, help="a corpus folder (repeatable)")
    parser.add_argument("--json", type=Path, default=Path("bench/results/extraction.json"))
    parser.add_argument("--limit", type=int, default=0, help="pages per corpus (0: all)")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args(argv)
    pages: list[Page] = []
    for folder in args.corpus:
        name = folder.resolve().name
        if name not in LOADERS:
            parser.error(f"unknown corpus {folder} (known: {', '.join(LOADERS)})")
        found = list(LOADERS[name](folder))
        pages.extend(found[: args.limit] if args.limit else found)
    started = time.perf_counter()
    with multiprocessing.get_context("forkserver").Pool(args.workers or None) as pool:
        records = pool.map(evaluate_page, pages, chunksize=4)
    table = score(records)
    print_table(table)
    print(f"\n{len(pages)} pages in {time.perf_counter() - started:.0f} s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"when": dt.datetime.now(dt.UTC).isoformat(), "table": table}, indent=2))
    print(f"saved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
