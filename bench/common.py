"""What every bench script shares: where the repository is, which database holds which size, creating and
migrating that database, and starting Django against it."""

import contextlib
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# The broker of the bench's own Celery workers: the local Redis, a database number nothing else uses.
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
SIZES = {10_000: "ebookit_bench_10k", 100_000: "ebookit_bench"}

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def database_url(size: int) -> str:
    return f"{PG}/{SIZES[size]}"


def bench_env(size: int, **extra: str) -> dict[str, str]:
    """The environment of a process that works on the bench database of `size`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)  # tasks run eagerly unless a caller names a broker
    env.update(extra)
    return env


def ensure_database(size: int) -> bool:
    """Create the database if it does not exist; True when it was created now."""
    import psycopg2

    name = SIZES[size]
    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone():
                return False
            cur.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        conn.close()


def drop_database(size: int) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{SIZES[size]}" WITH (FORCE)')
    finally:
        conn.close()


def migrate(size: int) -> None:
    """`DATABASE_URL=... python manage.py migrate`, with the product's own settings."""
    env = bench_env(size, DJANGO_SETTINGS_MODULE="ebookit_support.settings")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def setup_django(size: int, broker: str | None = None) -> None:
    """Point this process at the bench database of `size` and start Django (tasks eager unless `broker`)."""
    os.environ.update({k: v for k, v in bench_env(size).items() if k in (
        "DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths, strict=False)))
    return "\n".join([line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]])


# --- processes the bench starts (each in its own session, stopped by its own process group id) -------------


def start_process(args: list[str], env: dict[str, str], log: Path):
    import subprocess

    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_process(process, timeout: float = 20) -> None:
    import signal
    import subprocess

    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def start_celery(env: dict[str, str], log: Path, concurrency: int, beat_schedule: Path | None = None,
                 include: str = ""):
    """A real Celery worker (prefork, `concurrency` child processes), optionally with its beat sweep."""
    args = [str(Path(PYTHON).with_name("celery")), "-A", "ebookit_support", "worker", "--loglevel=info",
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if include:
        args += ["--include", include]
    if beat_schedule is not None:
        args += ["-B", "--schedule", str(beat_schedule)]
    process = start_process(args, env, log)
    wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, 60, "the Celery worker")
    if process.poll() is not None:
        raise SystemExit("the Celery worker died:\n" + log.read_text()[-3000:])
    return process


def flush_broker(url: str = BROKER) -> None:
    """Empty the bench's own Redis database (never the product's: BENCH_BROKER_URL names a separate number)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in (task / "children").read_text().split()]
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS = VmHWM) of one process in MB; (0, 0) once it is gone."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        return 0.0, 0.0
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""
