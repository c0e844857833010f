"""Web view page times on a big database, measured in one run.

    python bench/web_bench.py --articles 20000

Builds a SQLite database through the real migrations with N relevant
articles over six outlets and 120 days (about half with a second version,
one in ten with a third; some removed, some subscriber-only, syndicated
copies), a crawl every half hour and a digest a day, then calls every page
of the web view in this process (the ASGI app, no socket: the figures are
the app and its database, not a network) and reports for each page its
median and 95th-percentile time, the number of SQL statements, and whether
SQLite's plan for each of them reads through an index (the same check as
tests/test_web.py).  Page times are also given as a ratio to /healthz (one
trivial query), which travels between machines better than milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storage.engine import make_readonly_engine, make_sessionmaker  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.web import QueryLog, asgi_get, plan_problems  # noqa: E402
from web.app import WebSettings, create_app  # noqa: E402

OUTLETS = [("theverge", "The Verge"), ("techcrunch", "TechCrunch"), ("forbes", "Forbes"),
           ("washingtonpost", "The Washington Post"), ("ft", "Financial Times"), ("msn", "MSN")]
WORDS = ("sora openai leak artists protest hugging face access video model tool early testers puppets "
         "labor unpaid company statement paused generation creative program red teamers public release").split()
DAYS = 120
ZONE = ZoneInfo("Europe/London")


def _text(rng: random.Random, paragraphs: int) -> str:
    return "\n".join(" ".join(rng.choices(WORDS, k=rng.randint(40, 70))).capitalize() + "." for _ in range(paragraphs))


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(database: Path, articles: int, seed: int = 7) -> dt.date:
    """The database; returns its last day."""
    rng = random.Random(seed)
    url = f"sqlite:///{database}"
    upgrade(url)
    last_day = dt.date.today()
    start = dt.datetime.combine(last_day - dt.timedelta(days=DAYS - 1), dt.time(6), tzinfo=dt.UTC)
    raw = zlib.compress(b"<html><body>" + b"<p>page</p>" * 200 + b"</body></html>")
    with sqlite3.connect(database) as conn:
        conn.executemany("INSERT INTO outlet (id, key, name, home) VALUES (?, ?, ?, ?)",
                         [(i + 1, k, n, f"https://{k}.example/") for i, (k, n) in enumerate(OUTLETS)])
        article_rows, version_rows = [], []
        version_id = 0
        for article_id in range(1, articles + 1):
            outlet = rng.randint(1, len(OUTLETS))
            seen = start + dt.timedelta(seconds=rng.randint(0, DAYS * 86400 - 7200))
            syndicated = outlet == 6 and article_id > 1 and rng.random() < 0.5
            copy_of = f"https://{OUTLETS[0][0]}.example/a/{article_id - 1}" if syndicated else None
            removed = seen + dt.timedelta(days=1) if rng.random() < 0.03 else None
            title = " ".join(rng.choices(WORDS, k=8)).capitalize()
            article_rows.append((
                article_id, outlet, f"https://{OUTLETS[outlet - 1][0]}.example/a/{article_id}", _stamp(seen),
                seen.astimezone(ZONE).date().isoformat(), "sitemap", 1, 3.5, json.dumps(["sora", "leak"]), title,
                _stamp(seen - dt.timedelta(hours=2)), _stamp(seen), 200, "unchanged", copy_of,
                _stamp(removed) if removed else None, removed.astimezone(ZONE).date().isoformat() if removed else None,
            ))
            count = 1 + (rng.random() < 0.5) + (rng.random() < 0.1)
            partial = rng.random() < 0.05
            body = _text(rng, rng.randint(6, 14))
            for number in range(1, count + 1):
                version_id += 1
                fetched = seen + dt.timedelta(hours=3 * (number - 1))
                if number > 1:
                    body = body + "\nUpdate: " + _text(rng, 1)
                version_rows.append((
                    version_id, article_id, number, _stamp(fetched), fetched.astimezone(ZONE).date().isoformat(),
                    f"{version_id:064x}", title if number == 1 else title + " (updated)", json.dumps(["A. Writer"]),
                    body, partial, "paywall" if partial else None, "6", f"{version_id:064x}", raw,
                    None if number == 1 else "headline,paragraphs_added,update_notice", None if number == 1 else 120,
                ))
        conn.executemany(
            "INSERT INTO article (id, outlet_id, url, first_seen_at, first_seen_day, discovered_via, relevant, match_score,"
            " match_terms, title, published_at, last_checked_at, last_status, check_state, syndicated_from, removed_at,"
            " removed_day, churn_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            article_rows,
        )
        conn.executemany(
            "INSERT INTO article_version (id, article_id, number, fetched_at, fetched_day, content_hash, title, authors,"
            " text, is_partial, partial_reason, extractor_version, raw_sha256, raw_html, change_kinds, change_size,"
            " is_minor, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '[]')",
            version_rows,
        )
        runs = []
        for index in range(DAYS * 48):
            began = start + dt.timedelta(minutes=30 * index)
            details = {"outlets": {k: {"discovered": 3, "fetched": 3, "usable": 3} for k, _ in OUTLETS}}
            runs.append((_stamp(began), _stamp(began + dt.timedelta(minutes=2)), "ok", "daemon", "discovery",
                         json.dumps([k for k, _ in OUTLETS]), json.dumps(details)))
        conn.executemany(
            "INSERT INTO crawl_run (started_at, finished_at, status, \"trigger\", kind, outlets, details, discovered,"
            " fetched, relevant, new_articles, new_versions, not_modified, skipped, errors)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0)",
            runs,
        )
        conn.executemany(
            "INSERT INTO digest_run (digest_date, target, status, attempts, message_id, new_articles, changed_articles,"
            " removed_articles, subject, body_text, body_html, sent_at) VALUES (?, 'email', 'sent', 1, ?, 160, 80, 5, ?, ?, ?, ?)",
            [((last_day - dt.timedelta(days=d)).isoformat(), f"<d{d}@x>", f"Sora leak: 160 new ({d})",
              _text(rng, 20), "<html><body>digest</body></html>", _stamp(start + dt.timedelta(days=DAYS - d)))
             for d in range(1, DAYS)],
        )
    return last_day


def measure(database: Path, repeats: int) -> dict[str, dict[str, object]]:
    opened = make_readonly_engine(f"sqlite:///{database}")
    log = QueryLog(opened.engine)
    app = create_app(make_sessionmaker(opened.engine), WebSettings("Sora leak", ZONE, None, False))
    with sqlite3.connect(database) as conn:
        edited = conn.execute("SELECT article_id FROM article_version WHERE number = 3 LIMIT 1").fetchone()[0]
        day = conn.execute("SELECT max(digest_date) FROM digest_run").fetchone()[0]
    week_ago = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    paths = [
        "/healthz", "/", "/articles", "/articles?page=200", "/articles?outlet=forbes&state=changed&sort=title",
        "/articles?q=puppets+leak", "/articles?state=paywalled&sort=-published", f"/articles?day={week_ago}",
        f"/articles/{edited}", f"/articles/{edited}?from=1&to=3", "/digests", f"/digests/{day}",
        "/api/articles?q=hugging", f"/api/articles/{edited}", f"/api/changes?since={week_ago}", "/feeds/changes.atom",
    ]
    results: dict[str, dict[str, object]] = {}
    times: dict[str, list[float]] = {path: [] for path in paths}
    for path in paths:  # one warm-up each, its statements checked
        log.take()
        status, _, body = asgi_get(app, path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}: {body[:300]!r}")
        statements = log.take()
        results[path] = {"queries": len(statements), "plan_problems": plan_problems(database, statements)}
    for _ in range(repeats):  # interleaved, so a slow spell of the machine touches every page alike
        for path in paths:
            began = time.perf_counter()
            asgi_get(app, path)
            times[path].append((time.perf_counter() - began) * 1000)
    base = statistics.median(times["/healthz"])
    for path, row in results.items():
        measured = sorted(times[path])
        row["median_ms"] = round(statistics.median(measured), 2)
        row["p95_ms"] = round(measured[int(0.95 * (len(measured) - 1))], 2)
        row["x_healthz"] = round(statistics.median(measured) / base, 1)
    opened.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "web.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storywatch-web-bench-") as folder:
        database = Path(folder) / "storywatch.db"
        began = time.perf_counter()
        build(database, args.articles)
        with sqlite3.connect(database) as conn:
            versions = conn.execute("SELECT count(*) FROM article_version").fetchone()[0]
        print(f"database: {args.articles} articles, {versions} versions, {database.stat().st_size / 1e6:.0f} MB,"
              f" built in {time.perf_counter() - began:.0f} s")
        results = measure(database, args.repeats)
    print(f"{'page':58} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'x healthz':>9}  plan")
    for path, row in results.items():
        problems = row["plan_problems"]
        print(f"{path:58} {row['queries']:>7} {row['median_ms']:>10} {row['p95_ms']:>8} {row['x_healthz']:>9}"
              f"  {'indexed' if not problems else problems}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"articles": args.articles, "versions": versions, "repeats": args.repeats,
                                    "pages": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
