"""Stopping on a signal never deadlocks (schedules/stopping.py): the
daemon's main thread waits for the stop its own signal handler asks for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# A child that waits for a stop the way the daemon does, over and over,
# while the parent signals it as fast as it can.  A wait that holds the
# event's lock when the handler runs (threading.Event.wait) deadlocks in
# the handler within a second or two; the child then never says "done".
CHILD = """
import signal, sys, time
from schedules.stopping import StopRequest
stops = [StopRequest()]
signal.signal(signal.SIGUSR1, lambda signum, frame: stops[-1].request())
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[1])
rounds = 0
while time.monotonic() < end:
    stops[-1].wait(poll=0)
    stops.append(StopRequest())
    rounds += 1
print("done", rounds, flush=True)
"""


def test_waiting_for_a_stop_survives_a_storm_of_signals() -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, "3"], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 4
    try:
        while child.poll() is None and time.monotonic() < deadline:
            os.kill(child.pid, signal.SIGUSR1)
            time.sleep(0.0002)
        out, _ = child.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError("the wait for a stop deadlocked in the signal handler") from None
    assert out.startswith("done") and int(out.split()[1]) > 100
