"""Browser mode beside the plain crawl: pages/s and memory, in one run.

    python bench/browser_bench.py --pages 300 --corpus ../shared/corpora

Serves N real pages from the corpora on loopback (as bench/crawl_bench.py
does) and crawls them twice, interleaved REPEATS times: once as a plain
outlet (fetch = "http") and once as a browser outlet (fetch = "browser":
each page rendered by headless Chromium through scrapy-playwright).  For
each it reports pages/s and the peak memory (PSS) of the crawl's process
tree, and for the browser crawl the part of it that is the browser
(Chromium's processes and Playwright's driver) apart from the crawl
process and its extraction workers.  The browser mode's budget: under
500 MB for browser plus crawl."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.crawl_bench import POLL_SECONDS, corpus_pages, serve, tree_samples, write_config  # noqa: E402

REPEATS = 3
BROWSER_NAMES = ("chromium", "chrome", "node", "headless_shell")


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def crawl_measured(cli: list[str], cwd: Path) -> dict[str, float]:
    """One crawl: seconds, peak PSS of the crawl tree, and of its browser part."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    with open(cwd / "bench-stderr.log", "ab") as log:
        process = subprocess.Popen([*cli, "crawl"], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    peak = peak_browser = peak_crawl = 0
    while process.poll() is None:
        tree = tree_samples(process.pid)
        tree.pop(process.pid, None)  # the CLI parent
        browser = sum(sample.pss_kb for pid, sample in tree.items() if _comm(pid).startswith(BROWSER_NAMES))
        total = sum(sample.pss_kb for sample in tree.values())
        peak, peak_browser, peak_crawl = max(peak, total), max(peak_browser, browser), max(peak_crawl, total - browser)
        try:
            process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"crawl exited {process.returncode}; see {cwd / 'bench-stderr.log'}")
    return {"seconds": seconds, "peak_mb": peak / 1024, "browser_mb": peak_browser / 1024, "crawl_mb": peak_crawl / 1024}


def prepare(corpus: list[bytes], pages: int, workers: int, fetch: str) -> tuple[Path, list[str], object]:
    folder = Path(tempfile.mkdtemp(prefix=f"storywatch-{fetch}-bench-"))
    site, base, _ = serve(corpus, pages)
    config = write_config(folder, base, folder / "bench.db", workers, pages)
    if fetch != "http":
        text = config.read_text().replace('key = "bench"', f'key = "bench"\nfetch = "{fetch}"')
        config.write_text(text.replace("timeout = 30", 'timeout = 30\nbrowser_timeout = "30s"'))
    cli = [sys.executable, "-m", "storywatch.cli", "--config", str(config)]
    subprocess.run([*cli, "db", "upgrade"], check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return folder, cli, site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "browser_bench.json")
    args = parser.parse_args()
    corpus = corpus_pages(args.corpus)
    runs: dict[str, list[dict[str, float]]] = {"http": [], "browser": []}
    for _ in range(REPEATS):
        for fetch in ("http", "browser"):
            folder, cli, site = prepare(corpus, args.pages, args.workers, fetch)
            try:
                runs[fetch].append(crawl_measured(cli, folder))
            finally:
                site.close()  # type: ignore[attr-defined]
                shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, object] = {"pages": args.pages, "repeats": REPEATS}
    for fetch, measured in runs.items():
        seconds = statistics.median(m["seconds"] for m in measured)
        result[fetch] = {
            "pages_per_second": round(args.pages / seconds, 1),
            "peak_mb": round(max(m["peak_mb"] for m in measured)),
            "crawl_mb": round(max(m["crawl_mb"] for m in measured)),
            "browser_mb": round(max(m["browser_mb"] for m in measured)),
        }
        print(f"{fetch:8} {args.pages / seconds:6.1f} pages/s  peak {result[fetch]['peak_mb']} MB "  # type: ignore[index]
              f"(crawl and workers {result[fetch]['crawl_mb']} MB, browser {result[fetch]['browser_mb']} MB)")  # type: ignore[index]
    plain, browser = result["http"], result["browser"]
    print(f"browser ÷ plain: {browser['pages_per_second'] / plain['pages_per_second']:.2f}× the pages/s, "  # type: ignore[index]
          f"{browser['peak_mb'] / plain['peak_mb']:.2f}× the memory")  # type: ignore[index]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
