"""Redis killed with SIGKILL in the middle of a burst of contact submits, restarted on the same port from its
append-only file, while a real worker with its beat sweep runs throughout: no case is lost and every mail goes
out exactly once."""

import re
import statistics
import threading
import time
import uuid
from collections import Counter

import pytest
from django.urls import reverse

from mail.models import OutboundMessage
from tests.services import CeleryWorker, mail_files, publishing_to, wait_for
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.fault, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

N = 40  # submits in the burst, one every PACE seconds
PACE = 0.25
KILL_AFTER = 10  # Redis is killed once this many submits have answered (the kill lands in a running request)
DOWN_SECONDS = 6  # and started again this long after the kill, while the burst goes on
MESSAGE_ID = re.compile(r"^Message-ID:\s+(\S+)", re.MULTILINE)  # the header may be folded


def sent_message_ids(folder) -> Counter:
    return Counter(mid for text in mail_files(folder) for mid in MESSAGE_ID.findall(text))


def test_redis_killed_during_a_burst_loses_no_case_and_sends_every_mail_once(
    client, bookshop, redis_server, mail_dir, tmp_path, fault_report
):
    worker = CeleryWorker(redis_server.url, mail_dir, tmp_path / "worker", sweep_seconds=1)
    worker.start()
    answered = 0
    events: dict[str, float] = {}
    chaos_done = threading.Event()

    def chaos():
        """Kill Redis (SIGKILL) while the burst runs, bring it back on the same port and folder later."""
        try:
            wait_for(lambda: answered >= KILL_AFTER, 60, 0.01, what="the first submits")
            redis_server.stop()  # Popen.kill(): SIGKILL, no chance to write anything more
            events["killed"] = time.monotonic()
            time.sleep(DOWN_SECONDS)
            redis_server.start()  # same port, same --dir: the append-only file is replayed
            events["restarted"] = time.monotonic()
        finally:
            chaos_done.set()

    thread = threading.Thread(target=chaos, daemon=True)
    thread.start()
    statuses, latencies = [], []
    try:
        with publishing_to(redis_server.url):
            start = time.monotonic()
            for i in range(N):
                time.sleep(max(0.0, start + i * PACE - time.monotonic()))
                began = time.monotonic()
                response = client.post(reverse("tickets:contact"), {
                    "bookshop": bookshop.pk, "customer_name": f"Kundin {i}", "customer_email": f"k{i}@example.ch",
                    "category": "problem", "subject": f"Reader startet nicht ({i})", "message": "Schwarz.",
                    "privacy": "on", "submission_key": str(uuid.uuid4()),
                })
                latencies.append((began, time.monotonic() - began))
                statuses.append(response.status_code)
                answered += 1
        assert chaos_done.wait(60), "Redis was not restarted"
        assert "restarted" in events, "the chaos thread failed"
        burst_end = time.monotonic()

        # Every customer got the confirmation, and every case is whole.
        assert statuses == [302] * N
        assert Ticket.objects.count() == N
        for ticket in Ticket.objects.all():
            assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CREATED).count() == 1
            assert OutboundMessage.objects.filter(thread=ticket.reference).count() == 2
        rows = OutboundMessage.objects.count()
        assert rows == 2 * N
        pending_at_restart = OutboundMessage.objects.filter(status="pending").count()

        wait_for(lambda: not OutboundMessage.objects.exclude(status="sent").exists(), 90, 0.5,
                 what="every mail sent after Redis came back")
        drained = time.monotonic() - events["restarted"]
        time.sleep(3)  # a redelivery or a second sweep would show up now
        sent = sent_message_ids(mail_dir)
        expected = set(OutboundMessage.objects.values_list("message_id", flat=True))
        assert set(sent) == expected, "a mail is missing, or an unknown one went out"
        duplicates = {mid: n for mid, n in sent.items() if n > 1}
        assert not duplicates, f"sent twice: {duplicates}"
        assert sum(sent.values()) == rows
        assert all(attempts == 1 for attempts in OutboundMessage.objects.values_list("attempts", flat=True))
    finally:
        worker.stop()

    log = worker.log.read_text(errors="replace")
    down = [d for began, d in latencies if events["killed"] <= began < events["restarted"]]
    up = [d for began, d in latencies if not events["killed"] <= began < events["restarted"]]
    fault_report(f"{N} submits, all 302; Redis down {events['restarted'] - events['killed']:.1f} s "
                 f"({len(down)} submits while down)")
    fault_report(f"submit latency: Redis up median {statistics.median(up) * 1000:.0f} ms, max {max(up) * 1000:.0f} ms "
                 f"(first request included); Redis down median {statistics.median(down) * 1000:.0f} ms, "
                 f"max {max(down) * 1000:.0f} ms")
    fault_report(f"{N} cases, {rows} outbox rows; {pending_at_restart} pending when the burst ended "
                 f"({burst_end - events['restarted']:.1f} s after the restart); all sent "
                 f"{drained:.1f} s after the restart")
    by_task = len(re.findall(r"send_message\[[^\]]+\] succeeded in [\d.]+s: 'sent'", log))
    skipped = len(re.findall(r"send_message\[[^\]]+\] succeeded in [\d.]+s: 'skipped'", log))
    swept = sum(int(n) for n in re.findall(r"send_pending\[[^\]]+\] succeeded in [\d.]+s: (\d+)", log))
    fault_report(f"mail files: {sum(sent.values())} messages, {len(sent)} distinct Message-IDs, 0 duplicates")
    fault_report(f"worker: {by_task} sent by their own task, {swept} by the beat sweep, {skipped} tasks found their "
                 f"row already sent and skipped it; "
                 f"{log.count('Cannot connect to redis')} failed reconnects before Redis was back")
