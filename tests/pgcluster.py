"""A throwaway PostgreSQL cluster for tests and benchmarks.

PostgreSQL refuses to run as root, so under root the server runs as the
unprivileged ``postgres`` user, with its data directory and socket in a
``mkdtemp`` folder chowned to it (pytest's tmp_path is 0700 under root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import psycopg

from tests.smtp import free_port


class PostgresUnavailable(RuntimeError):
    pass


class PgCluster:
    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise PostgresUnavailable("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bindir = os.path.dirname(binaries[-1])
        self.base = tempfile.mkdtemp(prefix="storywatch-pg-")
        self.data = os.path.join(self.base, "data")
        self.port = free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server") from None
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> PgCluster:
        subprocess.run(
            [*self.prefix, f"{self.bindir}/initdb", "-D", self.data, "-A", "trust", "-U", "storywatch",
             "--encoding", "UTF8", "--locale", "C.UTF-8"],
            check=True, capture_output=True,
        )
        self.start_server_only()
        return self

    def dsn(self, database: str) -> str:
        return f"postgresql://storywatch@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://storywatch@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def restart(self) -> None:
        """Stop and start the server (fast shutdown): connections are cut."""
        self.stop()
        self.start_server_only()

    def start_server_only(self) -> None:
        self.process = subprocess.Popen(
            [*self.prefix, f"{self.bindir}/postgres", "-D", self.data, "-p", str(self.port), "-k", self.base,
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
             "-c", "synchronous_commit=off", "-c", "max_connections=100"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if self.process.poll() is not None:
                    raise PostgresUnavailable(f"postgres exited: {self.process.stderr.read().decode()[-500:]}") from None  # type: ignore[union-attr]
                time.sleep(0.2)
        raise PostgresUnavailable("postgres did not start within 30 s")

    def _postmaster_pid(self) -> int | None:
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as handle:
                return int(handle.readline().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # Signal the postmaster itself: runuser does not pass SIGINT on.
            pid = self._postmaster_pid()
            try:
                os.kill(pid, signal.SIGINT) if pid else self.process.send_signal(signal.SIGINT)  # fast shutdown
            except ProcessLookupError:
                pass
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
