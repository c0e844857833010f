"""Running the real daemon in tests, and waiting on a condition with a deadline
(never a fixed sleep)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests.conftest import REPO, Cli
from tests.support.config import update_config

T = TypeVar("T")


def fast_schedule(config: Path, crawl_every: str = "20s", digest_at: str = "07:00") -> None:
    update_config(config, schedule={"crawl_every": crawl_every, "revisit_every": "5s", "digest_check_every": "2s",
                                    "crawl_grace": "5s", "digest_at": digest_at})


class RunningDaemon:
    """``storywatch run`` in a subprocess; its log is read as it is written,
    so a test can wait for a line instead of sleeping."""

    def __init__(self, cli: Cli, *options: str) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storywatch.cli", "--config", str(cli.config), *options, "run"],
            cwd=cli.cwd, env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def log(self) -> str:
        return "".join(self.lines)


def start_daemon(cli: Cli, *options: str) -> RunningDaemon:
    return RunningDaemon(cli, *options)


def wait_for(predicate: Callable[[], T], timeout: float, step: float = 0.2) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def stop(daemon: RunningDaemon, timeout: float = 20) -> tuple[int, str]:
    """SIGTERM, as systemd sends it; the exit code and the whole log."""
    if daemon.poll() is None:
        daemon.process.send_signal(signal.SIGTERM)
    try:
        daemon.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        daemon.process.kill()
        daemon.process.wait()
        daemon.reader.join(5)
        raise AssertionError(f"the daemon did not stop within {timeout} s:\n{daemon.log()[-3000:]}") from None
    daemon.reader.join(5)
    return daemon.process.returncode, daemon.log()
