"""Crawl throughput, recheck cost and memory, as ratios measured in one run.

    python bench/crawl_bench.py --pages 2000 --corpus ../shared/corpora

Serves N real pages from the corpora (decompressed; linked from a sitemap) on
loopback and measures, in the same run:
  1. a single-process loop of trafilatura.bare_extraction(html, with_metadata=True)
  2. a full `storywatch crawl` of them (query "*")
  3. `storywatch crawl --recheck` with nothing changed (the server answers 304)
  4. the same with validators disabled on the server (the body-hash path)
  5. a bare Scrapy spider fetching the same URLs with the same validators
     (the floor for 3)
and prints pages/s, the ratios, the peak memory of the crawl process and its
extraction workers together (PSS, and the sum of their RSS, which counts the
pages they share once per process), and database bytes per article and per
recheck (WAL checkpointed).  The short runs (start-ups, 3 and 5) are
repeated and interleaved, and their medians used (see REPEATS).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.replica import ReplicaSite, Reply, urlset  # noqa: E402

BARE_SPIDER = '''
import sys, json, scrapy
from scrapy.crawler import CrawlerProcess
urls = json.load(open(sys.argv[1]))
class Bare(scrapy.Spider):
    name = "bare"
    custom_settings = {"HTTPERROR_ALLOWED_CODES": [304]}
    async def start(self):
        for url, etag in urls:
            yield scrapy.Request(url, headers={"If-None-Match": etag} if etag else {}, callback=self.parse, dont_filter=True)
    def parse(self, response):
        self.crawler.stats.inc_value("bare/%d" % response.status)
process = CrawlerProcess(settings={"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True,
    "TELNETCONSOLE_ENABLED": False, "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"})
crawler = process.create_crawler(Bare)
process.crawl(crawler); process.start()
print(json.dumps({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("bare/")}))
'''


def corpus_pages(root: Path) -> list[bytes]:
    folders = [
        root / "trafilatura-evaldata" / "html-eval",
        root / "htmldate-eval" / "html-eval",
        root / "htmldate-eval" / "html-test_set",
        root / "trafilatura-evaldata" / "html-cache",
    ]
    pages = []
    for folder in folders:
        for path in sorted(folder.glob("*.html.gz")):
            pages.append(gzip.decompress(path.read_bytes()))
    return pages


class ProcessSample(NamedTuple):
    pss_kb: int
    rss_kb: int
    depth: int  # 0 the command, 1 its child (the crawl process), 2 and more the extraction workers
    cpu_seconds: float  # user + system time so far


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_samples(root_pid: int) -> dict[int, ProcessSample]:
    """Memory and CPU time of a process and all its descendants, by pid.

    PSS (proportional set size) splits each shared page between the
    processes sharing it, so the extraction image the workers share is
    counted once in their sum; a sum of RSS counts it once per worker."""
    found: dict[int, ProcessSample] = {}
    stack = [(root_pid, 0)]
    while stack:
        pid, depth = stack.pop()
        if pid in found:
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                fields = {line.split(":")[0]: int(line.split()[1]) for line in handle if line.startswith(("Pss:", "Rss:"))}
            with open(f"/proc/{pid}/stat") as handle:
                # utime and stime: the 12th and 13th fields after the command's closing parenthesis
                ticks = handle.read().rsplit(")", 1)[1].split()[11:13]
            found[pid] = ProcessSample(fields.get("Pss", 0), fields.get("Rss", 0), depth,
                                       sum(int(t) for t in ticks) / CLOCK_TICKS)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend((int(c), depth + 1) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


# Reading smaps_rollup walks a process's page tables: about 4 ms for a
# 200 MB process here.  Polled every 50 ms over six processes it took most
# of a core from the crawl being measured; every 0.5 s it takes about 4%.
POLL_SECONDS = 0.5


class Measured(NamedTuple):
    seconds: float
    peak_kb: int  # PSS of the command's descendants (the crawl process and its workers)
    tree_peak_kb: int  # the same with the command itself (the CLI parent)
    output: str
    # The same PSS as a level, not a peak: the median of the samples taken
    # in the second quarter of the run and in the last quarter.  Their
    # difference is how much the crawl grew over its second half, in one run.
    level_kb: tuple[int, int] = (0, 0)
    peak_rss_sum_kb: int = 0  # the descendants' RSS summed (shared pages counted in each)
    # CPU time (user + system) of the crawl process and of its extraction
    # workers together, as last sampled (up to POLL_SECONDS before the end):
    # where the crawl's time goes.
    crawl_cpu_s: float = 0.0
    workers_cpu_s: float = 0.0


def quarter_levels(samples: list[tuple[float, int]], elapsed: float) -> tuple[int, int]:
    """Median of the (time, kB) samples in the second and the last quarter of ``elapsed``."""

    def median_between(start: float, end: float) -> int:
        values = sorted(kb for at, kb in samples if start * elapsed <= at < end * elapsed)
        return values[len(values) // 2] if values else 0

    return median_between(0.25, 0.5), median_between(0.75, 1.01)


def run_measured(command: list[str], cwd: Path) -> Measured:
    """Run a command, polling the memory of its process tree."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    # The crawl's log goes to a file beside its database, to read when a
    # figure looks wrong.
    with open(cwd / "bench-stderr.log", "ab") as log_file:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=log_file, text=True)
    peak = tree_peak = peak_rss_sum = 0
    samples: list[tuple[float, int]] = []
    cpu: dict[int, tuple[int, float]] = {}  # pid -> (depth, CPU seconds so far)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read() if process.stdout else ""))
    reader.start()
    while process.poll() is None:
        tree = tree_samples(process.pid)
        # The CLI's only descendants are the crawl process and its workers.
        cli = tree.pop(process.pid, None)
        cli_pss = cli.pss_kb if cli else 0
        descendants = sum(sample.pss_kb for sample in tree.values())
        peak_rss_sum = max(peak_rss_sum, sum(sample.rss_kb for sample in tree.values()))
        cpu.update((pid, (sample.depth, sample.cpu_seconds)) for pid, sample in tree.items())
        peak = max(peak, descendants)
        tree_peak = max(tree_peak, descendants + cli_pss)
        samples.append((time.perf_counter() - started, descendants))
        try:
            process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    reader.join()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {''.join(output)[-2000:]}")
    return Measured(elapsed, peak, tree_peak, "".join(output), quarter_levels(samples, elapsed), peak_rss_sum,
                    sum(seconds for depth, seconds in cpu.values() if depth == 1),
                    sum(seconds for depth, seconds in cpu.values() if depth > 1))


# The short runs (start-ups, rechecks, the bare spider: 1-7 s each) are
# repeated, interleaved, and their median taken: on a shared machine a slow
# spell of half a minute slows every run in it by a fifth, and a start-up is
# subtracted from every rate.  The full crawl stands on one sample.
REPEATS = 3


def median_seconds(runs: list[Measured]) -> float:
    return sorted(r.seconds for r in runs)[len(runs) // 2]


def keep_log_and_clean_up(results: Path, log_folder: Path, *folders: Path) -> None:
    """Keep the crawls' log beside the results and remove the temporary
    sites: their databases take ~44 KB an article."""
    log = results.with_name(results.stem + "-stderr.log")
    shutil.copyfile(log_folder / "bench-stderr.log", log)
    for folder in (log_folder, *folders):
        shutil.rmtree(folder, ignore_errors=True)
    print(f"crawl log in {log}")


def db_bytes(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def write_config(
    folder: Path, base: str, database: Path, workers: int, pages: int, feeds: list[str] | None = None
) -> Path:
    """A loopback outlet with one sitemap (and optionally feeds), query "*"."""
    config = folder / "storywatch.toml"
    config.write_text(f"""
[story]
name = "bench"
query = "*"
since = 2000-01-01

[database]
url = "sqlite:///{database}"

[crawl]
allow_private_addresses = true
per_host_delay = 0
per_host_concurrency = 16
concurrency = 16
extract_workers = {workers}
max_pages_per_outlet = {pages + 10}
timeout = 30

[[outlets]]
key = "bench"
name = "Bench"
home = "{base}/"
sitemaps = ["{base}/sitemap.xml"]
feeds = {json.dumps(feeds or [])}
""")
    return config


def serve(pages: list[bytes], count: int) -> tuple[ReplicaSite, str, list[str]]:
    site = ReplicaSite()
    host = site.add_host("bench", "127.0.0.1")
    urls = []
    for i in range(count):
        body = pages[i % len(pages)] + f"\n<!-- page {i} -->".encode()
        path = f"/article/{i:05d}-page"
        host.route(path, Reply(200, body))
        urls.append(host.url(path))
    host.route("/sitemap.xml", urlset([(u, "2024-11-26") for u in urls]), "application/xml")
    host.route("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    host.route("/", b"<html><body>bench</body></html>")
    return site, host.base, urls


def prepare_site(corpus: list[bytes], pages: int, workers: int, prefix: str) -> tuple[Path, ReplicaSite, list[str], Path]:
    """A served site of ``pages`` pages and a migrated database for it:
    (folder, site, the storywatch command for its config, database)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    database = folder / "bench.db"
    site, base, _ = serve(corpus, pages)
    config = write_config(folder, base, database, workers, pages)
    cli = [sys.executable, "-m", "storywatch.cli", "--config", str(config)]
    subprocess.run([*cli, "db", "upgrade"], check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return folder, site, cli, database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--workers", type=int, default=0, help="extraction workers (0: one per core)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "crawl_bench.json")
    args = parser.parse_args(argv)

    import trafilatura

    corpus = corpus_pages(args.corpus)
    count = args.pages
    folder, site, cli, database = prepare_site(corpus, count, args.workers, "storywatch-bench-")
    results: dict[str, float | int | str] = {"pages": count, "cores": os.cpu_count() or 0}

    # 1. bare trafilatura, one process, over up to 600 of the served pages
    # spread evenly; half just before the full crawl and half just after, so
    # a shared machine's changing speed weighs on both sides of the ratio.
    step = max(1, count // 600)
    sample = [corpus[i % len(corpus)] for i in range(0, count, step)]

    def bare_loop(pages: list[bytes]) -> float:
        started = time.perf_counter()
        for html in pages:
            trafilatura.bare_extraction(html, with_metadata=True)
        return time.perf_counter() - started

    # Start-up costs.  A first crawl's: a crawl of an empty outlet (same
    # process, imports, extraction workers).  A recheck's: a recheck of a
    # one-page outlet crawled once, which, like a recheck of any unchanged
    # site, starts no extraction worker.  Each is the median of REPEATS runs
    # spread over the bench (the empty crawls around the full crawl, the
    # one-page rechecks between the rechecks they are subtracted from), so
    # one slow spell of a shared machine does not set a start-up.
    empty_folder, empty_site, empty_cli, _ = prepare_site(corpus, 0, args.workers, "storywatch-bench-startup-")
    one_folder, one_site, one_cli, _ = prepare_site(corpus, 1, args.workers, "storywatch-bench-startup-")
    run_measured([*one_cli, "crawl"], one_folder)
    empty_crawls = [run_measured([*empty_cli, "crawl"], empty_folder)]

    # 2. full crawl, between the two halves of 1.
    bare_loop(sample[:20])  # warm-up: trafilatura loads its tables on first use
    bare_seconds = bare_loop(sample[0::2])
    crawl = run_measured([*cli, "crawl"], folder)
    bare_seconds += bare_loop(sample[1::2])
    empty_crawls.append(run_measured([*empty_cli, "crawl"], empty_folder))
    results["bare_trafilatura_pps"] = len(sample) / bare_seconds
    results.update(full_crawl_s=crawl.seconds, full_crawl_pps=count / crawl.seconds,
                   full_crawl_peak_mb=crawl.peak_kb / 1024,
                   full_crawl_peak_with_cli_parent_mb=crawl.tree_peak_kb / 1024,
                   full_crawl_level_q2_mb=crawl.level_kb[0] / 1024, full_crawl_level_q4_mb=crawl.level_kb[1] / 1024,
                   full_crawl_peak_rss_sum_mb=crawl.peak_rss_sum_kb / 1024,
                   full_crawl_cpu_crawl_process_s=crawl.crawl_cpu_s, full_crawl_cpu_workers_s=crawl.workers_cpu_s)
    results["full_crawl_summary"] = crawl.output.splitlines()[1] if crawl.output else ""
    size_after_crawl = db_bytes(database)
    results["db_bytes_per_article"] = size_after_crawl / count

    # 3. recheck, nothing changed, validators -> 304; and 5. bare Scrapy
    # with the same validators (the floor for 3).  Their runs alternate with
    # each other and with the start-ups subtracted from them.
    with contextlib.closing(sqlite3.connect(database)) as db:
        pairs = db.execute("SELECT url, http_etag FROM article").fetchall()
    url_file = folder / "urls.json"
    url_file.write_text(json.dumps(pairs))
    bare_empty = folder / "none.json"
    bare_empty.write_text("[]")
    script = folder / "bare_spider.py"
    script.write_text(BARE_SPIDER)
    site.clear_log()
    rechecks: list[Measured] = []
    one_page_rechecks: list[Measured] = []
    bare_runs: list[Measured] = []
    bare_startups: list[Measured] = []
    for _ in range(REPEATS):
        rechecks.append(run_measured([*cli, "crawl", "--recheck"], folder))
        one_page_rechecks.append(run_measured([*one_cli, "crawl", "--recheck"], one_folder))
        bare_runs.append(run_measured([sys.executable, str(script), str(url_file)], folder))
        bare_startups.append(run_measured([sys.executable, str(script), str(bare_empty)], folder))
    empty_crawls.append(run_measured([*empty_cli, "crawl"], empty_folder))
    empty_site.close()
    one_site.close()

    startup, recheck_startup = median_seconds(empty_crawls), median_seconds(one_page_rechecks)
    results["startup_s"] = startup
    results["recheck_startup_s"] = recheck_startup
    results["full_crawl_pps_excl_startup"] = count / max(crawl.seconds - startup, 1e-6)

    seconds = median_seconds(rechecks)
    results.update(recheck_304_s=seconds, recheck_304_peak_mb=max(r.peak_kb for r in rechecks) / 1024)
    results["recheck_304_runs_s"] = " ".join(f"{r.seconds:.2f}" for r in rechecks)
    results["recheck_304_pps_excl_startup"] = count / max(seconds - recheck_startup, 1e-6)
    out = rechecks[-1].output
    results["recheck_304_summary"] = out.splitlines()[1] if out else ""
    size_after_recheck = db_bytes(database)
    results["db_bytes_per_article_per_recheck"] = (size_after_recheck - size_after_crawl) / count / len(rechecks)

    seconds = median_seconds(bare_runs)
    results["bare_scrapy_s"] = seconds
    results["bare_scrapy_runs_s"] = " ".join(f"{r.seconds:.2f}" for r in bare_runs)
    out = bare_runs[-1].output
    results["bare_scrapy_statuses"] = out.strip().splitlines()[-1] if out.strip() else ""
    results["bare_scrapy_pps_excl_startup"] = len(pairs) / max(seconds - median_seconds(bare_startups), 1e-6)
    # 4. recheck without validators (body hash)
    site.validators = False
    hash_recheck = run_measured([*cli, "crawl", "--recheck"], folder)
    seconds, out = hash_recheck.seconds, hash_recheck.output
    results.update(recheck_hash_s=seconds, recheck_hash_pps_excl_startup=count / max(seconds - recheck_startup, 1e-6))
    results["recheck_hash_summary"] = out.splitlines()[1] if out else ""
    site.validators = True

    site.close()

    # ratios
    results["ratio_full_crawl_vs_bare_trafilatura"] = results["full_crawl_pps_excl_startup"] / results["bare_trafilatura_pps"]  # type: ignore[operator]
    results["ratio_recheck_vs_bare_scrapy"] = results["recheck_304_pps_excl_startup"] / results["bare_scrapy_pps_excl_startup"]  # type: ignore[operator]
    results["ratio_recheck_vs_first_crawl_per_page"] = results["recheck_304_pps_excl_startup"] / results["full_crawl_pps_excl_startup"]  # type: ignore[operator]

    width = max(len(k) for k in results)
    for key, value in results.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print(f"saved {args.json}")
    keep_log_and_clean_up(args.json, folder, empty_folder, one_folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
