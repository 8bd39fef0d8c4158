"""A real Redis, a real Celery worker with its beat: mail goes out after commit, and a case created while Redis
is down still gets its mails once Redis is back."""

import uuid

import pytest
from django.urls import reverse

from mail.models import OutboundMessage
from tests.services import CeleryWorker, mail_files, publishing_to, wait_for
from tickets.models import Ticket

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def contact(client, bookshop):
    return client.post(reverse("tickets:contact"), {
        "bookshop": bookshop.pk, "customer_name": "Anna Meier", "customer_email": "anna@example.ch",
        "category": "problem", "subject": "Reader startet nicht", "message": "Schwarzer Bildschirm.",
        "privacy": "on", "submission_key": str(uuid.uuid4()),
    })


def test_worker_sends_the_new_case_mails(client, bookshop, redis_server, mail_dir, tmp_path):
    worker = CeleryWorker(redis_server.url, mail_dir, tmp_path / "worker")
    worker.start()
    try:
        with publishing_to(redis_server.url):
            response = contact(client, bookshop)
        assert response.status_code == 302
        wait_for(lambda: OutboundMessage.objects.filter(status="sent").count() == 2, 30, what="both mails sent")
        files = wait_for(lambda: len(mail_files(mail_dir)) == 2 and mail_files(mail_dir), 10, what="mail files")
        text = "\n".join(files)
        assert "To: team@lesezeichen.example" in text
        assert "To: anna@example.ch" in text
        assert Ticket.objects.get().reference in text
    finally:
        worker.stop()


def test_case_created_while_redis_is_down_gets_its_mails_after_redis_is_back(
    client, bookshop, redis_server, mail_dir, tmp_path
):
    broker_url = redis_server.url
    redis_server.stop()
    with publishing_to(broker_url):
        response = contact(client, bookshop)
        # The customer still sees the confirmation, and the case is stored.
        assert response.status_code == 302
        assert response["Location"] == reverse("tickets:contact-sent")
        page = client.get(response["Location"])
    ticket = Ticket.objects.get()
    assert ticket.reference in page.content.decode()
    assert OutboundMessage.objects.filter(status="pending").count() == 2
    assert mail_files(mail_dir) == []

    # Redis comes back on the same address; the worker's beat sweep sends what waited.
    redis_server.start()
    worker = CeleryWorker(broker_url, mail_dir, tmp_path / "worker", sweep_seconds=1)
    worker.start()
    try:
        wait_for(lambda: OutboundMessage.objects.filter(status="sent").count() == 2, 45, what="the sweep")
        files = wait_for(lambda: len(mail_files(mail_dir)) == 2 and mail_files(mail_dir), 10, what="mail files")
        assert any("To: anna@example.ch" in text for text in files)
        assert any("To: team@lesezeichen.example" in text for text in files)
    finally:
        worker.stop()
