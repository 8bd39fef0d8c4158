"""Level 2's remote maintenance through the admin, and the customer's consent page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tickets.models import RemoteSession

from .helpers import case_in_state


@pytest.fixture
def level2_case(new_case, bookshop_user, level1_user, level2_user):
    return case_in_state("level2", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                         level2_user=level2_user)


def request_consent(client, ticket, device="windows_pc", operating_system="Windows 11"):
    return client.post(reverse("admin:tickets_ticket_remote_request", args=[ticket.pk]),
                       {"device": device, "operating_system": operating_system})


def consent_link(ticket):
    message = next(m for m in reversed(mail.outbox) if m.to == [ticket.customer_email] and "/consent/" in m.body)
    return re.search(r"http://testserver(/consent/[\w-]+/)", message.body).group(1)


@pytest.mark.parametrize("device", ["tablet", "smartphone", "pocketbook_lux", "other_ereader"])
def test_session_on_a_tablet_phone_or_ereader_is_refused_with_the_reason(client, level2_case, level2_user, device):
    login(client, level2_user)
    response = request_consent(client, level2_case, device=device)
    assert response.status_code == 400
    assert "nicht auf Tablets, Smartphones oder eReadern" in response.content.decode()
    assert not RemoteSession.objects.exists()


def test_level1_cannot_request_a_remote_session(client, level2_case, level1_user):
    login(client, level1_user)
    request_consent(client, level2_case)
    assert not RemoteSession.objects.exists()


def test_consent_is_recorded_with_time_and_ip_and_the_link_works_once(
    client, level2_case, level2_user, django_capture_on_commit_callbacks
):
    login(client, level2_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_consent(client, level2_case).status_code == 302
    link = consent_link(level2_case)
    customer = client.__class__()
    page = customer.get(link).content.decode()
    for condition in ["Datensicherung", "analysiert", "Windows 98", "jede Haftung ab"]:
        assert condition in page

    # Without the backup confirmed, nothing is recorded.
    response = customer.post(link, {"consent": "on"})
    assert response.status_code == 400
    assert "Ohne Datensicherung" in response.content.decode()
    session = RemoteSession.objects.get()
    assert session.consent_given_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = customer.post(link, {"backup_confirmed": "on", "consent": "on"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.backup_confirmed and session.consent_given_at is not None
    assert session.consent_ip == "198.51.100.7"
    assert any(m.to == ["level2@ebookit.ch"] for m in mail.outbox)
    # Single use.
    assert customer.get(link).status_code == 404


def test_consent_link_expires(client, level2_case, level2_user, settings, django_capture_on_commit_callbacks):
    login(client, level2_user)
    with django_capture_on_commit_callbacks(execute=True):
        request_consent(client, level2_case)
    link = consent_link(level2_case)
    later = timezone.now() + timedelta(hours=settings.REMOTE_CONSENT_HOURS + 1)
    with time_machine.travel(later):
        assert client.__class__().get(link).status_code == 404


def test_no_session_starts_without_consent(client, level2_case, level2_user):
    login(client, level2_user)
    request_consent(client, level2_case)
    session = RemoteSession.objects.get()
    response = client.post(reverse("admin:tickets_ticket_remote_step", args=[level2_case.pk, session.pk, "start"]))
    assert response.status_code == 400
    assert "Ohne Einverständnis" in response.content.decode()
    session.refresh_from_db()
    assert session.started_at is None


def test_aborted_session_aborts_the_case_and_tells_the_customer_the_finding(
    client, level2_case, level2_user, django_capture_on_commit_callbacks
):
    login(client, level2_user)
    with django_capture_on_commit_callbacks(execute=True):
        request_consent(client, level2_case, operating_system="Windows 98")
    client.__class__().post(consent_link(level2_case), {"backup_confirmed": "on", "consent": "on"})
    session = RemoteSession.objects.get()
    steps = lambda step: reverse("admin:tickets_ticket_remote_step", args=[level2_case.pk, session.pk, step])  # noqa: E731
    assert client.post(steps("start")).status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(steps("finish"), {"outcome": "aborted", "finding": "outdated_os",
                                                 "text": "Der Rechner läuft mit Windows 98."})
    assert response.status_code == 302
    level2_case.refresh_from_db()
    assert level2_case.state == "aborted"
    session.refresh_from_db()
    assert (session.outcome, session.finding) == ("aborted", "outdated_os")
    to_customer = next(m for m in mail.outbox if m.to == [level2_case.customer_email])
    assert "Windows 98" in to_customer.body
    assert "Fachperson oder Firma" in to_customer.body
    assert any(m.to == ["team@lesezeichen.example"] for m in mail.outbox)


def test_completed_session_keeps_the_case_with_level2(client, level2_case, level2_user):
    login(client, level2_user)
    request_consent(client, level2_case)
    session = RemoteSession.objects.get()
    RemoteSession.objects.filter(pk=session.pk).update(backup_confirmed=True, consent_given_at=timezone.now())
    client.post(reverse("admin:tickets_ticket_remote_step", args=[level2_case.pk, session.pk, "start"]))
    client.post(reverse("admin:tickets_ticket_remote_step", args=[level2_case.pk, session.pk, "finish"]),
                {"outcome": "completed", "text": "Adobe neu installiert."})
    level2_case.refresh_from_db()
    assert level2_case.state == "level2"
    assert level2_case.events.filter(text__contains="Adobe neu installiert.").exists()
