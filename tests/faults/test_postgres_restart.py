"""Postgres restarted under load: a private cluster, the app migrated into it and served by gunicorn (2 workers,
DEBUG off, CONN_MAX_AGE as in settings, a private Redis as broker), contact forms submitted in a loop by two
client threads while the cluster is restarted (`pg_ctl restart -m fast`) and then stopped for a few seconds and
started again. Every answer is a confirmation or a clean error page, every confirmed case is whole, no case is
half-written, /healthz/ says 503 while the database is down and 200 after, and a customer who retries a failed
submit (the same form, the same submission key) ends up with exactly one case."""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest

from tests.services import ROOT, RedisServer, free_port, wait_for

pytestmark = [pytest.mark.fault]

THREADS = 2
MAX_SUBMITS_PER_THREAD = 1500  # the loop's hard bounds, whatever happens to the server
MAX_LOAD_SECONDS = 90
MIN_INTERVAL = 0.02  # a thread starts at most one submit per 20 ms (errors come back in a few ms)
SUCCESSES_PER_PHASE = 30  # confirmations to see before the restart, after it, and after the outage
DOWN_SECONDS = 3  # how long Postgres stays stopped in the outage phase
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# What a clean error page never shows.
LEAKS = [b"Traceback", b'File "', b"psycopg", b"OperationalError", b"InterfaceError", b"/work/", b"site-packages",
         b"DATABASES", b"SECRET_KEY", b"postgres://"]


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


class Customer:
    """One contact submit as a browser does it: GET the form (CSRF cookie and token), POST it."""

    def __init__(self, port: int, bookshop: int):
        self.port, self.bookshop = port, bookshop

    def submit(self, key: str) -> dict:
        result = {"key": key, "at": time.monotonic(), "get": None, "post": None, "body": b"", "error": "",
                  "location": ""}
        try:
            status, headers, body = request(self.port, "GET", "/contact/")
            result["get"] = status
            cookie = headers.get("Set-Cookie", "").split(";")[0]
            match = TOKEN.search(body)
            if status != 200 or not cookie.startswith("csrftoken=") or not match:
                result["body"] = body
                result["done"] = time.monotonic()
                return result
            form = {"csrfmiddlewaretoken": match.group(1).decode(), "bookshop": self.bookshop,
                    "customer_name": "Kundin Last", "customer_email": f"{key[:12]}@example.ch",
                    "category": "problem", "subject": "Reader startet nicht", "privacy": "on",
                    "message": "Der Bildschirm bleibt schwarz.", "submission_key": key}
            status, headers, body = request(
                self.port, "POST", "/contact/", urlencode(form).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            result["post"] = status
            result["location"] = headers.get("Location", "")
            if status != 302:
                result["body"] = body
        except Exception as exc:  # noqa: BLE001 - no answer at all is a finding of its own
            result["error"] = f"{type(exc).__name__}: {exc}"
        result["done"] = time.monotonic()
        return result


def test_postgres_restarted_under_load_fails_cleanly_and_writes_nothing_half(
    private_postgres, tmp_path, fault_report
):
    if not shutil.which("redis-server"):
        pytest.skip("needs Redis (redis-server)")
    pg = private_postgres
    pg.create_database("ebookit")
    redis_server = RedisServer(tmp_path / "redis")
    redis_server.start()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.live_settings",
        "FAULT_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": pg.url("ebookit"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "fault-run-only-" + uuid.uuid4().hex * 2,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "RATELIMIT_ENABLED": "0",
        "CELERY_BROKER_URL": redis_server.url,  # no worker: the mails stay in the outbox, which is what we check
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_CONN_MAX_AGE", None)  # CONN_MAX_AGE as in settings (60 s), with health checks
    gunicorn_log = tmp_path / "gunicorn.log"
    web = None
    stop = threading.Event()
    results: list[dict] = []
    lock = threading.Lock()
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        bookshop = int(manage(env, "shell", "-c", (
            "from tickets.models import Bookshop; print(Bookshop.objects.create(slug='lesezeichen', "
            "name='Buchhandlung Lesezeichen', place='Bern', notification_emails='team@lesezeichen.example').pk)"
        )).strip().splitlines()[-1])
        web = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "ebookit_support.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5"],
            cwd=ROOT, env=env, stdout=gunicorn_log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

        def health() -> tuple[int, dict]:
            try:
                status, _, body = request(port, "GET", "/healthz/")
                return status, json.loads(body)
            except (OSError, ValueError):
                return 0, {}

        wait_for(lambda: health()[0] == 200, 30, 0.2, what="gunicorn to answer /healthz/ with 200")

        def load():
            customer = Customer(port, bookshop)
            began = time.monotonic()
            for _ in range(MAX_SUBMITS_PER_THREAD):
                if stop.is_set() or time.monotonic() - began > MAX_LOAD_SECONDS:
                    break
                outcome = customer.submit(str(uuid.uuid4()))
                with lock:
                    results.append(outcome)
                stop.wait(max(0.0, outcome["at"] + MIN_INTERVAL - time.monotonic()))

        def confirmed_since(moment: float) -> int:
            if not any(thread.is_alive() for thread in threads):
                raise AssertionError(f"the load threads ended early: {len(results)} submits")
            with lock:
                return sum(1 for r in results if r["post"] == 302 and r["at"] >= moment)

        threads = [threading.Thread(target=load, daemon=True) for _ in range(THREADS)]
        load_began = time.monotonic()
        for thread in threads:
            thread.start()
        wait_for(lambda: confirmed_since(load_began) >= SUCCESSES_PER_PHASE, 30, 0.05, what="confirmations")

        # Phase 1: pg_ctl restart -m fast under load.
        restart_began = time.monotonic()
        restart_took = pg.restart("fast")
        restart_ended = time.monotonic()
        wait_for(lambda: confirmed_since(restart_ended) >= SUCCESSES_PER_PHASE, 30, 0.05,
                 what="confirmations after the restart")

        # Phase 2: stopped for DOWN_SECONDS under load, /healthz/ asked meanwhile, then started again.
        down_began = time.monotonic()
        pg.stop("fast")
        stopped_at = time.monotonic()
        health_down = []
        while time.monotonic() - stopped_at < DOWN_SECONDS:
            health_down.append(health())
            time.sleep(0.25)
        pg.start()
        up_at = time.monotonic()
        wait_for(lambda: health()[0] == 200, 30, 0.1, what="/healthz/ to answer 200 after the start")
        healthy_after = time.monotonic() - up_at
        health_after = health()
        wait_for(lambda: confirmed_since(up_at) >= SUCCESSES_PER_PHASE, 30, 0.05,
                 what="confirmations after the outage")
        stop.set()
        for thread in threads:
            thread.join(40)
        assert not any(thread.is_alive() for thread in threads)
        load_ended = time.monotonic()

        # A customer whose submit failed sends the same form again (same submission key): one case, no more.
        with lock:
            snapshot = list(results)
        posted = [r for r in snapshot if r["post"] is not None]
        failed_posts = [r for r in posted if r["post"] != 302]
        conn = psycopg2.connect(pg.url("ebookit"))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT submission_key::text FROM tickets_ticket")
            stored_before_retry = {row[0] for row in cur.fetchall()}
        stored_despite_error = [r for r in failed_posts if r["key"] in stored_before_retry]
        customer = Customer(port, bookshop)
        retries = [customer.submit(r["key"]) for r in failed_posts]

        with conn.cursor() as cur:
            cur.execute("""
                SELECT t.submission_key::text, t.reference,
                       (SELECT count(*) FROM tickets_ticketevent e WHERE e.ticket_id = t.id AND e.kind = 'created'),
                       (SELECT count(*) FROM mail_outboundmessage m WHERE m.thread = t.reference)
                FROM tickets_ticket t""")
            cases = cur.fetchall()
            cur.execute("SELECT count(*) FROM mail_outboundmessage m "
                        "WHERE NOT EXISTS (SELECT 1 FROM tickets_ticket t WHERE t.reference = m.thread)")
            orphan_mails = cur.fetchone()[0]
        conn.close()
    finally:
        stop.set()
        if web is not None and web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            try:
                web.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
                web.wait(10)
        redis_server.stop()

    # Every request got an answer, and every answer is a confirmation or a clean error page.
    no_answer = [r for r in snapshot if r["error"]]
    assert not no_answer, f"requests without an answer: {no_answer[:3]}"
    gets = Counter(r["get"] for r in snapshot)
    posts = Counter(r["post"] for r in posted)
    assert set(gets) <= {200, 500, 503}, gets
    assert set(posts) <= {302, 500, 503}, posts
    errors = [r for r in snapshot if r["get"] != 200 or (r["post"] not in (None, 302))]
    assert errors, "the outage produced no failed request: the run tested nothing"
    for r in errors:
        leaked = [marker for marker in LEAKS if marker in r["body"]]
        assert not leaked, f"the error page shows {leaked}: {r['body'][:500]!r}"
    assert all(r["location"].endswith("/contact/sent/") for r in posted if r["post"] == 302)

    # Every confirmed case is stored whole, and nothing is stored half.
    by_key = {key: (reference, created, mails) for key, reference, created, mails in cases}
    assert len(by_key) == len(cases), "two cases for one submission key"
    confirmed = {r["key"] for r in posted if r["post"] == 302}
    assert confirmed <= set(by_key), "a confirmed case is missing"
    half = {key: row for key, row in by_key.items() if row[1:] != (1, 2)}
    assert not half, f"half-written cases (reference, CREATED events, outbox rows): {half}"
    assert orphan_mails == 0
    # The retries all succeed, and each failed submit has exactly one case now.
    assert [r["post"] for r in retries] == [302] * len(retries), [(r["get"], r["post"], r["error"]) for r in retries]
    assert set(by_key) == {r["key"] for r in posted}

    # /healthz/ while down and after.
    assert health_down and all(status == 503 and body.get("database") is False for status, body in health_down), \
        health_down
    assert health_after[0] == 200 and health_after[1]["database"] is True

    def phase(began, ended):
        """The submits that ended in [began, ended): a request in flight when Postgres goes counts as hit by it."""
        hits = [r for r in snapshot if began <= r["done"] < ended]
        bad = [r for r in hits if r["get"] != 200 or r["post"] not in (None, 302)]
        return f"{len(hits)} submits, {len(bad)} failed"

    log = gunicorn_log.read_text(errors="replace")
    fault_report(f"{len(snapshot)} submits in {load_ended - load_began:.1f} s by {THREADS} threads: "
                 f"GET /contact/ {dict(gets)}, POST {dict(posts)}; 0 without an answer, 0 error pages leaking")
    fault_report("a submit counts in the phase in which it ended:")
    fault_report(f"before: {phase(load_began, restart_began)}; during pg_ctl restart -m fast "
                 f"({restart_took:.2f} s): {phase(restart_began, restart_ended)}; after it: "
                 f"{phase(restart_ended, down_began)}")
    fault_report(f"stopped for {DOWN_SECONDS} s: {phase(down_began, up_at)}; after pg_ctl start: "
                 f"{phase(up_at, load_ended + 1)}")
    fault_report(f"/healthz/ while down: {dict(Counter(status for status, _ in health_down))}; "
                 f"200 {healthy_after:.2f} s after pg_ctl start returned")
    fault_report(f"{len(by_key)} cases, each with 1 CREATED event and 2 outbox rows; 0 half-written, "
                 f"0 orphan outbox rows; {len(stored_despite_error)} of {len(failed_posts)} failed POSTs had "
                 f"committed anyway (error after the commit); {len(retries)} retries with the same key: all 302, "
                 f"no duplicate case")
    causes = Counter(re.sub(r"\d+", "N", line.split("failed: ")[-1].strip())
                     for line in re.findall(r"^django\.db\.utils\.\w+: .*$", log, re.MULTILINE))
    fault_report(f"gunicorn log: {log.count('Traceback')} tracebacks (server side only), "
                 f"{log.count('WORKER TIMEOUT')} worker timeouts; causes {dict(causes)}")
