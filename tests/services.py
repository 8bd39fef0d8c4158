"""Real services for integration tests: a private Redis server the test can stop and start, and a real Celery
worker process (with its beat) that uses the test database and writes mail into a folder."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server of the test's own on a free port, append-only like production."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, what="redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for processes the test starts."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


class CeleryWorker:
    """`celery worker -B`: a real worker process with the beat sweep, as production runs them."""

    def __init__(self, broker_url: str, mail_dir: Path, workdir: Path, sweep_seconds: float = 1.0):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "OUTBOX_SWEEP_SECONDS": str(sweep_seconds),
            "SITE_URL": "http://testserver",
            "PYTHONUNBUFFERED": "1",
        }
        self.workdir = workdir
        self.process = None
        self.log = workdir / "worker.log"

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ebookit_support", "worker", "-B", "--loglevel=info",
             "--concurrency=1", "--without-gossip", "--without-mingle",
             "--schedule", str(self.workdir / "beat-schedule")],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: b"ready." in self.log.read_bytes() or self.process.poll() is not None, 60,
                 what="the celery worker to be ready")
        if self.process.poll() is not None:
            raise AssertionError("celery worker died:\n" + self.log.read_text()[-3000:])

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None


@contextmanager
def publishing_to(broker_url: str):
    """Make this test process publish tasks to `broker_url` instead of running them eagerly."""
    from ebookit_support.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.pool.force_close_all()
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def mail_files(folder: Path) -> list[str]:
    """Every mail Django's file backend wrote into `folder` (one file may hold several, split by a dashed line)."""
    if not folder.exists():
        return []
    mails = []
    for path in sorted(folder.glob("*.log")):
        mails += [part for part in path.read_text(errors="replace").split("-" * 79 + "\n") if part.strip()]
    return mails
