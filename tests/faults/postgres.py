"""A private PostgreSQL 15 cluster for fault runs that stop and restart the database: initdb as the `postgres`
OS user into a temporary folder, a free port on 127.0.0.1, trust authentication. The machine's own Postgres
(port 5432) is never touched."""

import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.services import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return (PG_BIN / "initdb").exists() and shutil.which("su") is not None


class PrivatePostgres:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="ebookit-fault-pg-"))  # /tmp: the postgres user can reach it
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(args)], capture_output=True,
                              text=True, timeout=timeout, check=True)

    def _pg_ctl(self, action: str, *extra: str, timeout: float = 60) -> float:
        began = time.monotonic()
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        args = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30", *extra]
        if action in ("start", "restart"):
            args += ["-o", options, "-l", str(self.log)]
        self._as_postgres(*args, action, timeout=timeout)
        return time.monotonic() - began

    def init(self) -> None:
        shutil.chown(self.root, "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")

    def start(self) -> float:
        return self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> float:
        return self._pg_ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> float:
        """`pg_ctl restart -m fast`: every session is ended, the server comes back on the same port."""
        return self._pg_ctl("restart", "-m", mode)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> None:
        import psycopg2

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()

    def destroy(self) -> None:
        """Stop the cluster (immediate: nothing in it is worth keeping) and remove its folder."""
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
