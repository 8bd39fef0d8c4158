"""A bounded load run on loopback: gunicorn (2 sync workers) and one Celery worker (with its beat sweep) on the
10,000-case bench database and the local Redis (database BENCH_BROKER_URL, default 14), driven for 60 s at a
sustained rate by an open-loop generator in this process.

    python bench/load.py [--rate 20] [--duration 60] [--threads 24]

Per second `rate` visits start, on a fixed schedule whatever the server does: 30 % the eHelp home `/`, 20 %
`/ehelp/`, 20 % the contact form `/contact/`, and 30 % a customer who submits the form (GET `/contact/` for the
CSRF token, then POST with a fresh `submission_key`). Latency counts from the moment a request was due, so a
server that falls behind shows it (no coordinated omission). The rate limit is off (RATELIMIT_ENABLED=0). A 5 s
warm-up at the same rate comes first and is not counted.

Reports p50/p95 per page, errors, the peak RSS (VmHWM) of each gunicorn worker and of the Celery worker's
processes, and compares the cases in the database with the successful submits (zero lost), then waits (at most
60 s) until every mail of those cases has left the outbox. Writes bench/results/load.json.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SIZE = 10_000
MIX = [("home", 30), ("ehelp", 20), ("contact", 20), ("submit", 30)]
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Load:
    def __init__(self, port: int, shops: list[int], run_id: str):
        self.port, self.shops, self.run_id = port, shops, run_id
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.timeline: list[tuple[float, str, float]] = []  # (due, page, latency ms): where the slow ones fall
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.submitted = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def record(self, name: str, due: float, ok: bool, detail: str = ""):
        with self.lock:
            latency = (time.monotonic() - due) * 1000
            self.latency[name].append(latency)
            self.timeline.append((due, name, latency))
            if not ok:
                self.errors[name] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{name}: {detail}"[:300])

    def visit(self, kind: str, due: float):
        try:
            if kind in ("home", "ehelp", "contact"):
                path = {"home": "/", "ehelp": "/ehelp/", "contact": "/contact/"}[kind]
                status, _, _ = self.request("GET", path)
                self.record(kind, due, status == 200, f"HTTP {status}")
                return
            status, headers, body = self.request("GET", "/contact/")
            self.record("contact", due, status == 200, f"HTTP {status}")
            cookie = next((v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"
                           and v.startswith("csrftoken=")), "")
            match = TOKEN.search(body)
            if status != 200 or not cookie or not match:
                self.record("submit", due, False, "no CSRF token on /contact/")
                return
            started = time.monotonic()
            key = uuid.uuid4()
            form = {"csrfmiddlewaretoken": match.group(1).decode(), "bookshop": random.choice(self.shops),
                    "customer_name": "Last Kundin", "customer_email": f"{key.hex[:16]}@load-{self.run_id}.example",
                    "category": "problem", "device": "pocketbook_lux", "order_number": "",
                    "subject": "Reader startet nicht", "privacy": "on", "submission_key": str(key),
                    "message": "Der Bildschirm bleibt schwarz, auch nach dem Laden über Nacht.",
                    "tried_article": "", "website": ""}
            status, headers, _ = self.request(
                "POST", "/contact/", urlencode(form).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            location = next((v for k, v in headers if k.lower() == "location"), "")
            ok = status == 302 and location.endswith("/contact/sent/")
            self.record("submit", started, ok, f"HTTP {status} -> {location}")
            if ok:
                with self.lock:
                    self.submitted += 1
        except Exception as exc:  # noqa: BLE001 - a refused or timed-out connection is an error of the run
            self.record(kind, due, False, f"{type(exc).__name__}: {exc}")

    def run(self, rate: float, duration: float, threads: int) -> float:
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        rng = random.Random(7)
        total = int(rate * duration)
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for n in range(total):
                due = began + n / rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(self.visit, rng.choice(kinds), due)
        return time.monotonic() - began


def sample_memory(stop: threading.Event, pids: dict[str, int], peaks: dict[int, float]):
    while not stop.is_set():
        for root in pids.values():
            for pid in common.process_tree(root):
                peaks[pid] = max(peaks.get(pid, 0.0), common.memory_mb(pid)[1])
        stop.wait(0.5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20.0, help="visits started per second (default 20)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--threads", type=int, default=24, help="client threads (default 24)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of uncounted warm-up first (default 5)")
    args = parser.parse_args(argv)

    from bench import seed

    seed.main(["--size", str(SIZE)])  # the 10,000-case database, seeded once
    common.setup_django(SIZE, broker=common.BROKER)
    from mail.models import OutboundMessage
    from tickets.models import Bookshop, Ticket

    shops = list(Bookshop.objects.filter(is_active=True, slug__startswith="bench-shop-").values_list("pk", flat=True))
    run_id = uuid.uuid4().hex[:8]
    workdir = Path(tempfile.mkdtemp(prefix="ebookit-load-"))
    port = free_port()
    env = common.bench_env(SIZE, CELERY_BROKER_URL=common.BROKER, RATELIMIT_ENABLED="0",
                           EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                           EMAIL_FILE_PATH=str(workdir / "mail"), OUTBOX_SWEEP_SECONDS="10",
                           SITE_URL=f"http://127.0.0.1:{port}")
    common.flush_broker()
    worker = web = None
    stop = threading.Event()
    peaks: dict[int, float] = {}
    try:
        worker = common.start_celery(env, workdir / "worker.log", concurrency=2,
                                     beat_schedule=workdir / "beat-schedule")
        web = common.start_process(
            [str(Path(common.PYTHON).with_name("gunicorn")), "ebookit_support.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
            env, workdir / "gunicorn.log")
        load = Load(port, shops, run_id)

        def healthy():
            try:
                return load.request("GET", "/healthz/")[0] == 200
            except OSError:
                return False

        common.wait_for(healthy, 30, "gunicorn to answer /healthz/", interval=0.2)
        # Warm-up at the same rate, not counted: both web workers and the Celery pool load their code, open their
        # connections and fill their caches before the measured run (its cases carry another run id).
        if args.warmup > 0:
            Load(port, shops, f"{run_id}w").run(args.rate, args.warmup, args.threads)
        sampler = threading.Thread(target=sample_memory, args=(stop, {"web": web.pid, "worker": worker.pid}, peaks),
                                   daemon=True)
        sampler.start()
        print(f"load: {args.rate:g} visits/s for {args.duration:g} s on 127.0.0.1:{port} (gunicorn 2 workers, "
              f"Celery worker --concurrency=2 -B, {SIZE:,}-case database)", flush=True)
        load_before = os.getloadavg()[0]
        elapsed = load.run(args.rate, args.duration, args.threads)
        load_after = os.getloadavg()[0]
        cases = Ticket.objects.filter(customer_email__endswith=f"@load-{run_id}.example")
        created = cases.count()
        references = list(cases.values_list("reference", flat=True))
        mails = OutboundMessage.objects.filter(thread__in=references)
        drained_at = None
        began = time.monotonic()
        while time.monotonic() - began < 60:
            if not mails.filter(status=OutboundMessage.Status.PENDING).exists():
                drained_at = time.monotonic() - began
                break
            time.sleep(0.5)
        web_pids = [pid for pid in common.process_tree(web.pid) if pid != web.pid]
        worker_pids = common.process_tree(worker.pid)
        for pid in web_pids + worker_pids:
            peaks[pid] = max(peaks.get(pid, 0.0), common.memory_mb(pid)[1])
    finally:
        stop.set()
        common.stop_process(web)
        common.stop_process(worker)

    pages = {}
    for name, _ in MIX:
        values = load.latency.get(name, [])
        if values:
            pages[name] = {"requests": len(values), "errors": load.errors.get(name, 0),
                           "p50_ms": round(common.median(values), 1), "p95_ms": round(common.percentile(values, 95), 1)}
    everything = [v for values in load.latency.values() for v in values]
    # Where the slow requests fall: seconds of the run whose slowest request took more than 250 ms.
    start = min(due for due, _, _ in load.timeline)
    per_second: dict[int, list[float]] = defaultdict(list)
    for due, _, latency in load.timeline:
        per_second[int(due - start)].append(latency)
    slow_seconds = sorted(second for second, values in per_second.items() if max(values) > 250)
    result = {
        "rate": args.rate, "duration_s": args.duration, "elapsed_s": round(elapsed, 1),
        "loadavg_before": load_before, "loadavg_after": load_after,
        "requests": len(everything), "errors": sum(load.errors.values()), "error_samples": load.error_samples,
        "p50_ms": round(common.median(everything), 1), "p95_ms": round(common.percentile(everything, 95), 1),
        "pages": pages, "slow_seconds": slow_seconds,
        "submits_ok": load.submitted, "cases_created": created, "lost_cases": load.submitted - created,
        "mails": mails.count(), "mails_sent": mails.filter(status=OutboundMessage.Status.SENT).count(),
        "mails_drained_after_s": None if drained_at is None else round(drained_at, 1),
        "gunicorn_worker_peak_rss_mb": [round(peaks.get(pid, 0.0), 1) for pid in web_pids],
        "celery_peak_rss_mb": {common.command_line(pid)[:40] or str(pid): round(peaks.get(pid, 0.0), 1)
                               for pid in worker_pids},
        "celery_processes_peak_rss_mb": [round(peaks.get(pid, 0.0), 1) for pid in worker_pids],
    }
    from bench.pages import cleanup_submissions

    cleanup_submissions()  # the cases of this run (counted above) leave the 10,000-case database again
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / "load.json").write_text(json.dumps(result, indent=1))

    rows = [[name, p["requests"], p["errors"], p["p50_ms"], p["p95_ms"]] for name, p in pages.items()]
    rows.append(["all", result["requests"], result["errors"], result["p50_ms"], result["p95_ms"]])
    print(common.table(rows, ["page", "requests", "errors", "p50 ms", "p95 ms"]))
    print(f"achieved {result['requests'] / elapsed:.1f} requests/s over {elapsed:.1f} s (machine load average "
          f"{load_before:.2f} before, {load_after:.2f} after)")
    print(f"seconds with a request over 250 ms: {len(slow_seconds)} of {len(per_second)} {slow_seconds}")
    print(f"submits answered 302: {load.submitted}; cases in the database: {created}; lost: {result['lost_cases']}")
    print(f"mails of those cases: {result['mails_sent']}/{result['mails']} sent"
          + (f", outbox empty {drained_at:.1f} s after the run" if drained_at is not None else ", NOT drained in 60 s"))
    print(f"peak RSS, gunicorn workers: {result['gunicorn_worker_peak_rss_mb']} MB; Celery worker processes "
          f"(main, beat, pool): {result['celery_processes_peak_rss_mb']} MB (goal: each < 200 MB)")
    for sample in load.error_samples:
        print("  error:", sample)
    bad = result["errors"] or result["lost_cases"] or drained_at is None
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
