"""The crawl's parent ends what a killed crawl leaves behind: a descendant
in a process group (and session) of its own, as Playwright starts Chromium,
that does not die with its parent."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import os, signal, subprocess, sys, time
    from schedules.reaper import become_subreaper, children, end_orphans
    reaping = sys.argv[1] == "reap"
    if reaping:
        assert become_subreaper()
    before = children()
    # A crawl child whose own child escapes into a session of its own and ignores its parent's death.
    crawl = subprocess.Popen([sys.executable, "-c",
        "import subprocess, sys, time; "
        "p = subprocess.Popen(['sleep', '300'], start_new_session=True); print(p.pid, flush=True); time.sleep(300)"],
        stdout=subprocess.PIPE, text=True)
    escaped = int(crawl.stdout.readline())
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait()
    ended = end_orphans(before | {crawl.pid}, settle=0.3) if reaping else []
    time.sleep(0.2)
    alive = os.path.exists(f"/proc/{escaped}") and open(f"/proc/{escaped}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    print(escaped in ended, alive)
    if alive:
        os.kill(escaped, signal.SIGKILL)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_CHILD_SUBREAPER is Linux's")
def test_a_subreaper_ends_what_escaped_a_killed_crawl() -> None:
    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=60,
                              check=True).stdout.strip()

    assert run("reap") == "True False"  # re-parented here, killed, reaped
    assert run("leave") == "False True"  # without it the escaped process lives on (and is cleaned up by the test)
