"""The mail throughput of one Celery worker: N pending outbox rows, one real worker on the local Redis (its own
database number, BENCH_BROKER_URL, default redis://127.0.0.1:6379/14) and the bench database, Django's file mail
backend; mails per second from the first task published until every row is sent.

    python bench/mail_throughput.py [--size 100000] [--count 1000] [--concurrency 1 2]

The floor: the same worker first runs N trivial tasks (bench/tasks.py: one indexed query, the same task
options); the ratio is the mails' time over the floor's. Each row is a typical case mail (text and HTML part,
about 2 KB). The tasks are published exactly as the product does after a commit
(`mail.tasks.send_message.delay(pk)`); the worker sends each with `mail.sending.deliver` (row lock, send, status
update). Writes bench/results/mail.json; the rows are deleted afterwards.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

FLOOR_DONE = re.compile(r"bench\.tasks\.floor\[[^]]+\] succeeded in")
SUCCEEDED = re.compile(r"mail\.tasks\.send_message\[[^]]+\] succeeded in ([0-9.]+)s")
BODY = ("Guten Tag Frau Meier\n\nIhre Partnerbuchhandlung hat auf Ihre Anfrage geantwortet:\n\n"
        + "Bitte halten Sie den Einschaltknopf 30 Sekunden gedrückt und laden Sie den Reader danach eine Stunde. " * 10
        + "\n\nFreundliche Grüsse\neBookit Support\n")


def enqueue(count: int, thread: str) -> list[int]:
    from django.utils import timezone

    from mail.models import OutboundMessage

    now = timezone.now()
    rows = OutboundMessage.objects.bulk_create([
        OutboundMessage(thread=thread, template="tickets/mail/bench", language="de",
                        from_email="eBookit Support <support@ebookit.ch>", to=[f"kunde{n}@bench.example"],
                        reply_to=[f"reply+{thread}@support.ebookit.ch"], subject=f"[{thread}] Antwort {n}",
                        body_text=BODY, body_html="<p>" + BODY.replace("\n", "<br>") + "</p>",
                        message_id=f"<{uuid.uuid4().hex}.{thread}@bench.example>", in_reply_to="",
                        next_attempt_at=now)
        for n in range(count)
    ], batch_size=1000)
    return [row.pk for row in rows]


def run_once(size: int, count: int, concurrency: int, workdir: Path, db_reuse_max: int = 0) -> dict:
    from bench.tasks import floor
    from mail.models import OutboundMessage
    from mail.tasks import send_message

    thread = f"BENCH-MAIL-{uuid.uuid4().hex[:8]}"
    mail_dir = workdir / f"mail-c{concurrency}-r{db_reuse_max}"
    log = workdir / f"worker-c{concurrency}-r{db_reuse_max}.log"
    env = common.bench_env(size, CELERY_BROKER_URL=common.BROKER, LOG_LEVEL="INFO",
                           EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                           EMAIL_FILE_PATH=str(mail_dir))
    if db_reuse_max:
        env["BENCH_CELERY_DB_REUSE_MAX"] = str(db_reuse_max)
    common.flush_broker()
    worker = common.start_celery(env, log, concurrency, include="bench.tasks")
    try:
        ids = enqueue(count, thread)
        # The floor first: the same worker runs `count` trivial tasks on the same rows.
        began = time.monotonic()
        for pk in ids:
            floor.delay(pk)
        common.wait_for(lambda: len(FLOOR_DONE.findall(log.read_text(errors="replace"))) >= count, 600,
                        f"{count} floor tasks", interval=0.05)
        floor_s = time.monotonic() - began
        began = time.monotonic()
        for pk in ids:
            send_message.delay(pk)
        published = time.monotonic() - began
        pending = OutboundMessage.objects.filter(thread=thread, status=OutboundMessage.Status.PENDING)
        common.wait_for(lambda: not pending.exists(), 600, f"{count} mails to be sent", interval=0.05)
        elapsed = time.monotonic() - began
        peak = max(common.memory_mb(pid)[1] for pid in common.process_tree(worker.pid))
    finally:
        common.stop_process(worker)
    sent = OutboundMessage.objects.filter(thread=thread, status=OutboundMessage.Status.SENT).count()
    files = len(list(mail_dir.glob("*.log"))) if mail_dir.exists() else 0
    task_ms = [float(m) * 1000 for m in SUCCEEDED.findall(log.read_text(errors="replace"))]
    OutboundMessage.objects.filter(thread=thread).delete()
    return {"concurrency": concurrency, "db_reuse_max": db_reuse_max, "count": count, "sent": sent, "files": files,
            "seconds": round(elapsed, 2), "publish_s": round(published, 2),
            "mails_per_s": round(count / elapsed, 1), "peak_rss_mb": round(peak, 1),
            "floor_tasks_per_s": round(count / floor_s, 1), "ratio": round(elapsed / floor_s, 1),
            "task_ms_median": round(common.median(task_ms), 1) if task_ms else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=sorted(common.SIZES), default=100_000)
    parser.add_argument("--count", type=int, default=int(os.environ.get("BENCH_MAILS", 1000)))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db-reuse-max", type=int, default=0,
                        help="also measure each concurrency with CELERY_DB_REUSE_MAX=N (a proposal; bench only)")
    args = parser.parse_args(argv)
    os.environ["CELERY_BROKER_URL"] = common.BROKER  # this process publishes to the bench broker
    common.setup_django(args.size, broker=common.BROKER)
    workdir = Path(tempfile.mkdtemp(prefix="ebookit-bench-mail-"))
    results = []
    try:
        runs = [(c, 0) for c in args.concurrency]
        if args.db_reuse_max:
            runs += [(c, args.db_reuse_max) for c in args.concurrency]
        for concurrency, reuse in runs:
            result = run_once(args.size, args.count, concurrency, workdir, reuse)
            results.append(result)
            label = f" CELERY_DB_REUSE_MAX={reuse}" if reuse else ""
            print(f"  worker --concurrency={concurrency}{label}: {result['sent']}/{result['count']} sent in "
                  f"{result['seconds']} s = {result['mails_per_s']} mails/s (publishing took {result['publish_s']} s;"
                  f" median task run time {result['task_ms_median']} ms; floor {result['floor_tasks_per_s']} trivial "
                  f"tasks/s, ratio {result['ratio']}x; peak RSS of one worker process {result['peak_rss_mb']} MB)",
                  flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / "mail.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
