"""Handing freed memory back to the system, so a long crawl stays flat.

glibc keeps memory freed by large lxml trees and response bodies for
reuse; ``malloc_trim`` returns it.  A trim costs about a millisecond, so
callers trim when their resident size has grown, not on every page."""

from __future__ import annotations

import ctypes
import os

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def release_free_memory() -> None:
    # By soname: ctypes.util.find_library would run ldconfig in a subprocess.
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc
