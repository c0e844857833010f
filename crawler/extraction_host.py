"""``python -m crawler.extraction_host``: the extraction worker processes.

Started (exec'd, so it inherits neither the reactor, the sockets nor the
threads of the crawl process) by crawler.extraction_pool with one connection
per worker.  It imports the preload modules (crawler.preload: the extractor
and its tables, then ``gc.freeze()``), forks one worker per further
connection while it is still single-threaded, and then works as the first
worker itself.  The workers share every page of the loaded extractor they do
not write to, and no idle process keeps a third copy of the pages they do.

Each worker answers ``(function, args)`` messages on its connection with
``("ok", result)`` or ``("error", exception)``, and stops at ``None`` or when
the crawl process has gone (end of file).  Between messages it hands memory
freed by large pages back to the system (see ``TRIM_SLACK_BYTES``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pickle
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

from crawler.memory import release_free_memory, resident_bytes

READY = "ready"

# A worker trims (about 0.6 ms) once it has grown this much since its last
# trim.  Measured over 800 corpus pages in one worker: 2 MB more resident on
# average than trimming after every page, with a third of the trims; 22 MB
# less than never trimming.
TRIM_SLACK_BYTES = 4 * 1024 * 1024


def serve(connection: Connection) -> None:
    connection.send((READY, os.getpid()))
    release_free_memory()
    trimmed_at = resident_bytes()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return  # the crawl process has gone
        if message is None:
            return
        function, args = message
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:  # noqa: BLE001 -- the caller's future gets it
            reply = ("error", exc)
        try:
            connection.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            connection.send(("error", RuntimeError(f"{function.__name__}: unpicklable reply: {exc}")))
        except OSError:
            return
        del message, function, args, reply
        if resident_bytes() > trimmed_at + TRIM_SLACK_BYTES:
            release_free_memory()
            trimmed_at = resident_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.extraction_host")
    parser.add_argument("--preload", action="append", default=[])
    parser.add_argument("--fd", type=int, action="append", required=True)
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole process group; the crawl process decides when
    # the workers stop (it closes their connections).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in args.preload:
        importlib.import_module(module)
    mine, *others = args.fd
    children = []
    for fd in others:
        pid = os.fork()
        if pid == 0:
            for other in args.fd:
                if other != fd:
                    os.close(other)
            serve(Connection(fd))
            # Skip interpreter teardown: it would write to (and so copy)
            # every shared page of the extractor just to free it.
            os._exit(0)
        children.append(pid)
        os.close(fd)
    serve(Connection(mine))
    for pid in children:
        os.waitpid(pid, 0)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
