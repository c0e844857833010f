"""The big corpus runs of the robustness suite, through the real crawl.

    python bench/robustness.py --corpus ../shared/corpora

Serves every feed of feedparser-testfeeds (as an outlet's configured feeds)
and every page of trafilatura-evaldata (linked from a sitemap, query "*") on
loopback, runs `storywatch crawl` over them, and reports: did it finish, how
each input was handled (parsed, skipped with which reason), peak memory of
the crawl process and its workers, and no traceback.  Also parses every feed
directly and counts any exception other than a reasoned DiscoveryError.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.crawl_bench import keep_log_and_clean_up, run_measured, write_config  # noqa: E402
from crawler.discovery import DiscoveryError, parse_feed  # noqa: E402
from tests.replica import ReplicaSite, Reply, urlset  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "robustness.json")
    args = parser.parse_args(argv)
    feed_suffixes = (".xml", ".json", ".rdf", ".atom")
    feeds = sorted(p for p in (args.corpus / "feedparser-testfeeds").rglob("*") if p.is_file() and p.suffix in feed_suffixes)
    pages = sorted((args.corpus / "trafilatura-evaldata").glob("html-*/*.html.gz"))
    results: dict[str, object] = {"feeds": len(feeds), "pages": len(pages)}

    # Direct parse of every feed: a DiscoveryError is a reasoned skip; any
    # other exception is a crash.
    outcomes: Counter[str] = Counter()
    crashes = []
    started = time.perf_counter()
    for path in feeds:
        try:
            parse_feed(path.read_bytes(), "http://127.0.0.1/feed")
            outcomes["parsed"] += 1
        except DiscoveryError:
            outcomes["skipped_with_reason"] += 1
        except Exception as exc:  # noqa: BLE001 -- counting crashes is the point
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
    results["direct_feed_parse"] = dict(outcomes) | {"crashes": len(crashes), "seconds": time.perf_counter() - started}

    site = ReplicaSite()
    host = site.add_host("corpus", "127.0.0.1")
    feed_urls = []
    for index, path in enumerate(feeds):
        route = f"/feeds/{index}{path.suffix}"
        host.route(route, Reply(200, path.read_bytes(), {"Content-Type": "application/xml"}, validators=False))
        feed_urls.append(host.url(route))
    page_urls = []
    for index, path in enumerate(pages):
        route = f"/pages/{index:04d}-article"
        host.route(route, Reply(200, gzip.decompress(path.read_bytes())))
        page_urls.append(host.url(route))
    host.route("/sitemap.xml", urlset([(u, "2024-11-26") for u in page_urls]), "application/xml")
    host.route("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    host.route("/", b"<html><body>corpus</body></html>")

    folder = Path(tempfile.mkdtemp(prefix="storywatch-robustness-"))
    database = folder / "robustness.db"
    config = write_config(folder, host.base, database, 0, len(pages), feeds=feed_urls)
    cli = [sys.executable, "-m", "storywatch.cli", "--config", str(config)]
    run_measured([*cli, "db", "upgrade"], folder)
    crawl = run_measured([*cli, "crawl"], folder)
    seconds, peak_kb, out = crawl.seconds, crawl.peak_kb, crawl.output
    site.close()
    with contextlib.closing(sqlite3.connect(database)) as db:
        status, details = db.execute("SELECT status, details FROM crawl_run ORDER BY id DESC LIMIT 1").fetchone()
        stored = db.execute("SELECT COUNT(*) FROM article_version").fetchone()[0]
    details = json.loads(details)
    results["crawl"] = {
        "status": status,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_kb / 1024, 1),
        "versions_stored": stored,
        "skipped": details["skipped"],
        "errors": details["errors"],
        "outlet": details["outlets"]["bench"],
        "summary": out.splitlines()[:3],
    }
    results["crash_examples"] = crashes[:10]
    print(json.dumps(results, indent=2))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    keep_log_and_clean_up(args.json, folder)
    return 0 if not crashes and status != "failed" else 1


if __name__ == "__main__":
    sys.exit(main())
