"""Handing freed memory back to the system, so a long crawl stays flat.

glibc keeps memory freed by large lxml trees and response bodies for
reuse; ``malloc_trim`` returns it.  A trim costs about a millisecond, so
callers trim when their resident size has grown, not on every page.

``tune_allocator`` sets two glibc options for a long-lived process:
glibc raises its mmap threshold to the size of each large block freed (up to
32 MB), after which response bodies land in the heap and fragment it, so the
threshold is pinned and bodies go back to the system as soon as they are
freed; and every thread that allocates gets its own arena (the crawl process
has a writer thread and one per extraction worker), so there is one."""

from __future__ import annotations

import ctypes
import functools
import os

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


_M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
_M_ARENA_MAX = -8


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    # By soname: ctypes.util.find_library would run ldconfig in a subprocess.
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def tune_allocator(mmap_threshold_bytes: int = 128 * 1024, arenas: int = 1) -> None:
    """Call before any thread starts."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold_bytes)
        libc.mallopt(_M_ARENA_MAX, arenas)


def release_free_memory() -> None:
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
