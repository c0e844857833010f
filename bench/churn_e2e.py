"""Versions under churn, end to end: the mutations of bench/churn.py served
on loopback and rechecked by the real crawl.

    python bench/churn_e2e.py --corpus ../shared/corpora/newspaper-fulltext-2014 \
      --corpus ../shared/corpora/newspaper4k-testdata --corpus ../shared/corpora/trafilatura-evaldata --sample 60

A sample of real pages (the same loaders and body references as
bench/churn.py, spread evenly over each corpus) is served as the lxml round
trip of each page, and crawled once (``storywatch crawl``, query ``*``).
Then, for each kind of churn and edit, a copy of that database is rechecked
(``storywatch crawl --recheck``) with every page that the kind could change
served changed: a new ``article_version`` row after churn is a false new
version, none after an edit a missed one.  Pages whose own bytes the kind
left alone are served unchanged and not counted.  After each churn kind,
``storywatch rejudge --dry-run`` judges that database's kept churn pages
again: the same release must find no edit in them (one rule, one owner).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.churn import CHURN, MUTATIONS, SCOPES, Body, _norm, _serialised, read_page  # noqa: E402
from bench.crawl_bench import write_config  # noqa: E402
from bench.eval_extraction import LOADERS, Page, _read  # noqa: E402
from crawler.extract import extract_article  # noqa: E402
from tests.replica import Handler, ReplicaSite, Reply, RequestInfo, urlset  # noqa: E402


def _serving(serving: dict[str, bytes], path: str) -> Handler:
    """What the replica answers for a path: whatever is served there now."""
    def reply(_info: RequestInfo) -> Reply:
        return Reply(200, serving[path], {"Content-Type": "text/html; charset=utf-8"})
    return reply


def variants(page: Page, scope: str = "reference") -> dict[str, bytes] | None:
    """The page as served (key "served") and after each kind that could
    change it; None when lxml cannot read it or the reference is not on
    it (churn cannot be placed around it)."""
    try:
        original = read_page(_read(page.path))
    except (etree.ParserError, ValueError):
        return None
    if not Body(page, original).inside:
        return None
    served = _serialised(copy.deepcopy(original))
    read = extract_article(served, page.url)
    protected = frozenset(_norm(t) for t in ([read.title or "", *read.authors] if read else []) if t)
    found = {"served": served.encode()}
    for kind, mutate in MUTATIONS.items():
        tree = copy.deepcopy(original)
        if mutate(tree, Body(page, tree, protected, scope)):
            found[kind] = _serialised(tree).encode()
    return found


def sample(folders: list[Path], count: int) -> list[Page]:
    """``count`` pages spread evenly over each corpus."""
    pages: list[Page] = []
    for folder in folders:
        found = [p for p in LOADERS[folder.name](folder) if p.text or p.with_snippets]
        step = max(1, len(found) // count)
        pages += found[::step][:count]
    return pages


def _versions(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as db:
        return dict(db.execute(
            "SELECT a.url, COUNT(v.id) FROM article a LEFT JOIN article_version v ON v.article_id = a.id GROUP BY a.url"))


def _storywatch(config: Path, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "storywatch.cli", "--config", str(config), *args], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}).stdout


def _rejudged(config: Path) -> dict[str, object]:
    """``storywatch rejudge --dry-run`` on a recheck's database: the same
    release judging its own kept churn pages again must find no edit (one
    rule, one owner); and what it costs a kept page."""
    started = time.perf_counter()
    judged = json.loads(_storywatch(config, "rejudge", "--dry-run", "--format", "json"))["pages"]
    seconds = time.perf_counter() - started
    verdicts = dict(Counter(page["verdict"] for page in judged))
    return {"kept_pages": len(judged), "verdicts": verdicts, "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--sample", type=int, default=60, help="pages per corpus")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "churn_e2e.json")
    parser.add_argument("--scope", choices=SCOPES, default="reference",
                        help="what churn spares besides the reference's blocks (bench/churn.py)")
    args = parser.parse_args()

    chosen = sample(args.corpus, args.sample)
    found = (variants(page, args.scope) for page in chosen)
    pages = {i: v for i, v in enumerate(found) if v is not None}
    names = {i: f"{chosen[i].corpus}/{chosen[i].key}" for i in pages}
    serving: dict[str, bytes] = {}
    site = ReplicaSite()
    host = site.add_host("bench", "127.0.0.1")
    paths = {i: f"/2024/11/26/page-{i:04d}" for i in pages}
    for i, path in paths.items():
        serving[path] = pages[i]["served"]
        host.route(path, _serving(serving, path))
    host.route("/sitemap.xml", urlset([(host.url(p), "2024-11-26") for p in paths.values()]), "application/xml")
    host.route("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    host.route("/", b"<html><body>bench</body></html>")
    folder = Path(tempfile.mkdtemp(prefix="storywatch-churn-e2e-"))
    started = time.perf_counter()
    rows: dict[str, dict[str, object]] = {}
    try:
        base = folder / "base.db"
        config = write_config(folder, host.base, base, 2, len(paths))
        _storywatch(config, "db", "upgrade")
        _storywatch(config, "crawl")
        before = _versions(base)
        tracked = {i for i, path in paths.items() if before.get(host.url(path), 0) == 1}
        print(f"{len(pages)} pages served, {len(tracked)} with one version after the first crawl")
        for kind in MUTATIONS:
            changed = {i for i in tracked if kind in pages[i]}
            for i in changed:
                serving[paths[i]] = pages[i][kind]
            database = folder / f"{kind}.db"
            shutil.copy(base, database)
            (folder / kind).mkdir()
            kind_config = write_config(folder / kind, host.base, database, 2, len(paths))
            _storywatch(kind_config, "crawl", "--recheck")
            after = _versions(database)
            versioned = {i for i in changed if after.get(host.url(paths[i]), 0) > 1}
            moved = len(versioned)
            unchanged_moved = sum(after.get(host.url(paths[i]), 0) > 1 for i in tracked - changed)
            for i in changed:
                serving[paths[i]] = pages[i]["served"]
            rate = moved / len(changed) if changed else 0.0
            # The pages the tracker got wrong, to read by hand.
            wrong = versioned if kind in CHURN else changed - versioned
            rows[kind] = {"pages": len(changed), "new_versions": moved, "rate": round(rate, 4),
                          "unchanged_pages_moved": unchanged_moved, "wrong": sorted(names[i] for i in wrong)}
            what = "false new versions" if kind in CHURN else "edits caught"
            print(f"{kind:<18} {moved:>4}/{len(changed):<4} {100 * rate:5.1f} % {what}"
                  + (f" ({unchanged_moved} unchanged pages moved!)" if unchanged_moved else ""))
            if kind in CHURN:
                rows[kind]["rejudge"] = rejudged = _rejudged(kind_config)
                print(f"{'':<18} rejudge --dry-run: {rejudged['kept_pages']} kept pages, {rejudged['verdicts']},"
                      f" {rejudged['seconds']} s")
    finally:
        site.close()
        shutil.rmtree(folder, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": len(pages), "seconds": round(time.perf_counter() - started),
                                     "kinds": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
