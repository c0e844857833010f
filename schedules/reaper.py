"""No orphan browsers: the crawl's parent (CLI or daemon) ends every
descendant a finished crawl leaves behind.

Playwright starts Chromium in a process group of its own, so killing the
crawl child's group does not reach it; and a crawl child that is SIGKILLed
cannot close it.  This process becomes a child subreaper (Linux's
PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to it instead
of to init, and after each crawl every process re-parented to it since the
crawl began is killed, with its own descendants, and reaped."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_CHILD_SUBREAPER = 36
SETTLE = 0.3  # seconds without a new orphan before the sweep ends
SWEEP_LIMIT = 5.0


def become_subreaper() -> bool:
    """Ask Linux to re-parent orphaned descendants here; False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def parents() -> dict[int, int]:
    """Every process's parent, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            parents[int(entry.name)] = int(fields[1])
    return parents


def children(pid: int | None = None) -> set[int]:
    pid = os.getpid() if pid is None else pid
    return {child for child, parent in parents().items() if parent == pid}


def _descendants(root: int, parent_of: dict[int, int]) -> list[int]:
    found, frontier = [], [root]
    while frontier:
        current = frontier.pop()
        found.append(current)
        frontier.extend(child for child, parent in parent_of.items() if parent == current)
    return found


def end_orphans(known: set[int], settle: float = SETTLE) -> list[int]:
    """Kill and reap every child of this process not in ``known`` (those
    re-parented here since), with their descendants, until none has come for
    ``settle`` seconds (a browser is re-parented as its launcher dies);
    the PIDs ended."""
    ended: list[int] = []
    deadline = time.monotonic() + SWEEP_LIMIT
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        parent_of = parents()
        orphans = {child for child, parent in parent_of.items() if parent == os.getpid()} - known
        if not orphans:
            if time.monotonic() - quiet_since >= settle:
                break
            time.sleep(0.05)
            continue
        for orphan in orphans:
            for pid in reversed(_descendants(orphan, parent_of)):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(orphan, 0)
            ended.append(orphan)
        quiet_since = time.monotonic()
    if ended:
        log.warning("ended %d process(es) a crawl left behind (pids %s)", len(ended), ", ".join(map(str, ended)))
    return ended
