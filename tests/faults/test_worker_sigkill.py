"""A Celery worker killed with SIGKILL while it sends a mail. The "provider" is a slow backend (2 s per message,
one file per accepted message) so that the kill lands in the middle of a send, and either before the provider
accepted the message (`accept=after`: a slow upload) or after it (`accept=before`: accepted, slow answer).

Two ways to die: only the pool process that runs the task (the OOM killer's usual victim; the main process sees
it and, with `reject_on_worker_lost`, puts the task back at once), or the whole worker (main process, pool and
beat, as a container kill does), after which a new worker is started.

What must hold: every row ends `sent`, every mail went out, and the only possible duplicate is the one mail that
was in flight, only when the provider had already accepted it."""

import os
import re
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from kombu import Connection

from mail.models import OutboundMessage
from tests.services import CeleryWorker, mail_files, publishing_to, wait_for
from tickets import services

pytestmark = [pytest.mark.fault, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CASES = 2  # two mails each
DELAY = 2.0  # seconds the slow provider takes per message
KILLED = "exited with 'signal 9 (SIGKILL)'"  # the main process's line for a pool process that was killed
MESSAGE_ID = re.compile(r"^Message-ID:\s+(\S+)", re.MULTILINE)  # the header may be folded


def sent_message_ids(folder: Path) -> Counter:
    return Counter(mid for text in mail_files(folder) for mid in MESSAGE_ID.findall(text))


def slow_worker(broker_url: str, mail_dir: Path, workdir: Path, inflight: Path, accept: str) -> CeleryWorker:
    worker = CeleryWorker(broker_url, mail_dir, workdir, sweep_seconds=1)
    worker.env.update({
        "EMAIL_BACKEND": "tests.faults.slow_mail.EmailBackend",
        "FAULT_MAIL_DELAY": str(DELAY),
        "FAULT_MAIL_ACCEPT": accept,
        "FAULT_MAIL_INFLIGHT_DIR": str(inflight),
    })
    return worker


def task_outcomes(log: str) -> Counter:
    return Counter(re.findall(r"send_message\[[^\]]+\] succeeded in [\d.]+s: '(\w+)'", log))


@pytest.mark.parametrize("accept", ["after", "before"], ids=["kill-before-provider-accepted",
                                                          "kill-after-provider-accepted"])
@pytest.mark.parametrize("victim", ["pool-process", "whole-worker"])
def test_worker_killed_while_sending_loses_no_mail(
    victim, accept, bookshop, redis_server, mail_dir, tmp_path, fault_report
):
    inflight = tmp_path / "inflight"
    worker = slow_worker(redis_server.url, mail_dir, tmp_path / "worker-1", inflight, accept)
    worker.start()
    workers = [worker]
    try:
        with publishing_to(redis_server.url):
            for i in range(CASES):
                services.create_ticket(bookshop=bookshop, customer_name=f"Kundin {i}",
                                       customer_email=f"k{i}@example.ch", subject=f"Reader {i}", message="Schwarz.")
        rows = OutboundMessage.objects.count()
        assert rows == 2 * CASES

        marker = wait_for(lambda: sorted(inflight.glob("*")), 30, 0.02, what="a mail in flight")[0]
        time.sleep(DELAY / 4)  # well inside the send
        pid = int(marker.name.split("-")[0])
        victim_id = marker.read_text()
        victim_row = OutboundMessage.objects.get(message_id=victim_id)
        assert victim_row.status == "pending"  # the send has not committed
        accepted_before_kill = victim_id in sent_message_ids(mail_dir)
        assert accepted_before_kill == (accept == "before")

        assert pid != worker.process.pid, "the mail is sent in a pool process, not the main process"
        killed_at = time.monotonic()
        if victim == "pool-process":
            os.kill(pid, signal.SIGKILL)
        else:
            worker.stop(signal.SIGKILL)  # the whole process group: main process, pool, beat
            assert redis.Redis.from_url(redis_server.url).hlen("unacked") >= 1, "the cut task stays unacknowledged"
            worker = slow_worker(redis_server.url, mail_dir, tmp_path / "worker-2", inflight, accept)
            worker.start()
            workers.append(worker)

        wait_for(lambda: not OutboundMessage.objects.exclude(status="sent").exists(), 60, 0.2,
                 what="every row sent after the kill")
        recovered = time.monotonic() - killed_at
        time.sleep(3)  # a late second send would show now
        late_redelivery = ""
        if victim == "whole-worker":
            # Redis hands the cut task out again only after the visibility timeout (3600 s). Do now what that
            # hour would do, with a visibility timeout of 0: the redelivered task must find its row sent.
            before = task_outcomes(worker.log.read_text(errors="replace"))["skipped"]
            with Connection(redis_server.url, transport_options={"visibility_timeout": 0}) as conn:
                conn.default_channel.qos.restore_visible(num=100)
            wait_for(lambda: task_outcomes(worker.log.read_text(errors="replace"))["skipped"] > before, 30, 0.2,
                     what="the redelivered task to run")
            time.sleep(1)
            late_redelivery = "; the task redelivered after the visibility timeout found its row sent (skipped)"

        sent = sent_message_ids(mail_dir)
        expected = set(OutboundMessage.objects.values_list("message_id", flat=True))
        assert set(sent) == expected, "a mail was lost"
        duplicates = {mid: n - 1 for mid, n in sent.items() if n > 1}
        if accept == "before":
            assert duplicates == {victim_id: 1}, "exactly the mail in flight goes out twice"
        else:
            assert duplicates == {}, "a mail the provider never accepted is sent once"
        victim_row.refresh_from_db()
        attempts = list(OutboundMessage.objects.values_list("attempts", flat=True))
    finally:
        for each in workers:
            each.stop()

    logs = "".join(each.log.read_text(errors="replace") for each in workers)
    outcomes = task_outcomes(logs)
    when = "after" if accepted_before_kill else "before"
    counted = "the killed attempt was rolled back with it" if victim_row.attempts == 1 else "the killed attempt counted"
    fault_report(f"{victim} SIGKILLed {DELAY / 4:.1f} s into a {DELAY:.0f} s send ({when} the provider accepted); "
                 f"every row sent {recovered:.1f} s after the kill{late_redelivery}")
    fault_report(f"{rows} rows, {sum(sent.values())} messages at the provider, {sum(duplicates.values())} "
                 f"duplicate(s); in-flight row: attempts={victim_row.attempts} ({counted}), "
                 f"all rows' attempts={sorted(attempts)}")
    fault_report(f"worker log: {logs.count(KILLED)} pool process(es) lost, send_message outcomes {dict(outcomes)}")


def test_a_mail_that_kills_its_worker_counts_the_attempt_and_is_not_retried_in_a_loop(
    bookshop, redis_server, mail_dir, tmp_path, fault_report
):
    worker = slow_worker(redis_server.url, mail_dir, tmp_path / "worker", tmp_path / "inflight", "after")
    worker.env.update({"FAULT_MAIL_DELAY": "0", "FAULT_MAIL_KILL_TO": "poison@example.ch"})
    worker.start()
    window = 20.0
    try:
        with publishing_to(redis_server.url):
            services.create_ticket(bookshop=bookshop, customer_name="Gift", customer_email="poison@example.ch",
                                   subject="Reader", message="Schwarz.")
        poison = OutboundMessage.objects.get(to=["poison@example.ch"])
        wait_for(lambda: worker.log.read_text(errors="replace").count(KILLED) >= 1, 30, 0.2,
                 what="the poison mail to kill its pool process")
        time.sleep(window)
        kills = worker.log.read_text(errors="replace").count(KILLED)
        poison.refresh_from_db()
        other = OutboundMessage.objects.exclude(pk=poison.pk).get()
    finally:
        worker.stop()
    fault_report(f"poison mail: {kills} pool processes killed in {window:.0f} s, row status={poison.status}, "
                 f"attempts={poison.attempts}; the other mail of the case: {other.status}")
    assert other.status == "sent"
    assert poison.attempts >= 1, "the attempt that killed the worker is not counted"
    assert kills <= 2, f"retried in a loop: {kills} pool processes killed in {window:.0f} s"
