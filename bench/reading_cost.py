"""What reading a page costs, counted in instructions: a count a shared
machine's slow spells cannot move, unlike seconds.

    python bench/reading_cost.py --corpus ../shared/corpora [--warm 60] [--pages 120]

Runs ``crawler.extract.read_article`` over every third page of
trafilatura-evaldata and newspaper-fulltext-2014 under valgrind's
cachegrind (no cache simulation), twice: over the first ``--warm`` pages
alone (the extractor's lazy tables, dateparser's regexes, are built on
first use), then over those and the ``--pages`` after them; the
difference is the instructions ``--pages`` pages take.  To compare two
commits, run each checkout's copy of this script (or this one with
PYTHONPATH set to the other checkout).  About 10 minutes for 120 pages.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import eval_extraction  # noqa: E402

_INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _pages(corpus: Path, count: int) -> list[tuple[bytes, str | None]]:
    # every third page of each, as bench/HISTORY.md's stage timings
    chosen = [*list(eval_extraction.load_trafilatura_evaldata(corpus / "trafilatura-evaldata"))[::3],
              *list(eval_extraction.load_newspaper_2014(corpus / "newspaper-fulltext-2014"))[::3]]
    return [(eval_extraction._read(page.path), page.url) for page in chosen[:count]]


def read_pages(corpus: Path, count: int) -> None:
    from crawler.extract import read_article

    warnings.simplefilter("ignore")
    for html, url in _pages(corpus, count):
        read_article(html, url)


def count_instructions(corpus: Path, count: int) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--corpus", str(corpus), "--read", str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    found = _INSTRUCTIONS.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--warm", type=int, default=60)
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--read", type=int, help=argparse.SUPPRESS)  # the child valgrind runs
    args = parser.parse_args(argv)
    if args.read is not None:
        read_pages(args.corpus, args.read)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    warm = count_instructions(args.corpus, args.warm)
    both = count_instructions(args.corpus, args.warm + args.pages)
    print(f"code              {REPO}")
    print(f"warm-up pages     {args.warm:>14,} instructions {warm:,}")
    print(f"measured pages    {args.pages:>14,} instructions {both - warm:,}")
    print(f"per page          {(both - warm) / max(args.pages, 1):>14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
