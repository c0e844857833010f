"""Ctrl-C and SIGTERM for a process that runs a crawl child.

The crawl child runs in its own session (so its whole group can be ended),
which means a terminal's Ctrl-C reaches only us: we forward it.  The first
signal asks the crawl to stop (Scrapy's graceful shutdown); a second Ctrl-C,
or the grace period running out, kills it."""

from __future__ import annotations

import signal
import time
from types import FrameType

# A shell's convention: 128 + the signal's number.
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Flag:
    """A flag a signal handler may set.  Not a threading.Event: its set()
    takes the event's lock, and a handler that runs while its own thread
    holds that lock (inside Event.wait or Event.set) blocks for ever: the
    daemon said "stopping" and went on crawling.  Other threads only read
    it; an attribute store is atomic."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value = False

    def set(self) -> None:
        self._value = True

    def is_set(self) -> bool:
        return self._value


class StopRequest:
    def __init__(self) -> None:
        self.requested = Flag()
        self.forced = Flag()
        self.signum: signal.Signals | None = None
        self.reason: str | None = None

    def request(self, signum: signal.Signals | None = None, reason: str | None = None) -> None:
        """Ask for a stop (by a signal, or for ``reason``); a second request forces it."""
        if self.requested.is_set():
            self.forced.set()
            return
        self.signum = signum
        self.reason = reason or (f"stopped by {signum.name}" if signum is not None else "stopped")
        self.requested.set()

    def wait(self, poll: float = 0.5) -> None:
        """Block until a stop is requested (polling ``requested``)."""
        while not self.requested.is_set():
            time.sleep(poll)

    def install(self) -> None:
        """Handle SIGINT and SIGTERM in this (main) thread from now on."""
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.request(signal.Signals(signum))

    @property
    def exit_code(self) -> int | None:
        return EXIT_CODES.get(self.signum) if self.signum is not None else None

    def describe(self) -> str:
        return self.reason or "stopped"
