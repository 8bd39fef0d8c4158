import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mail.models import OutboundMessage
from payments import services
from payments.models import PaymentProblem
from tests.common.files import PNG, stored_files, upload


def report(**overrides):
    fields = {
        "name": "Anna Meier",
        "email": "anna@example.ch",
        "ebook_titles": "Homo faber",
        "order_number": "TX-1",
        "amount_chf": Decimal("12.00"),
        "payment_method": "paypal",
        "occurred_on": date(2026, 3, 1),
        "completed": "no",
        "description": "Abgebrochen.",
    }
    fields.update(overrides)
    return services.report_payment_problem(**fields)


@pytest.mark.django_db
def test_references_count_up_per_year(time_machine):
    time_machine.move_to("2026-05-01 12:00:00+02:00")
    first, second = report().problem, report().problem
    assert (first.reference, second.reference) == ("ZP-2026-000001", "ZP-2026-000002")
    time_machine.move_to("2027-01-02 12:00:00+01:00")
    assert report().problem.reference == "ZP-2027-000001"


@pytest.mark.django_db
def test_same_submission_key_returns_the_stored_report():
    key = uuid.uuid4()
    first = report(submission_key=key)
    again = report(submission_key=key, name="Jemand anders")
    assert first.created and not again.created
    assert again.problem.pk == first.problem.pk
    assert PaymentProblem.objects.count() == 1
    assert OutboundMessage.objects.count() == 2


@pytest.mark.django_db
def test_unknown_payment_method_is_refused():
    with pytest.raises(ValidationError) as exc:
        report(payment_method="bitcoin")
    assert "payment_method" in exc.value.message_dict
    assert not PaymentProblem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1")])
def test_amount_must_be_positive(amount):
    with pytest.raises(ValidationError) as exc:
        report(amount_chf=amount)
    assert exc.value.message_dict["amount_chf"] == ["Bitte einen Betrag über 0 CHF angeben."]


@pytest.mark.django_db
def test_failed_transaction_leaves_no_file_behind(settings, monkeypatch):
    def broken(problem):
        raise RuntimeError("mail template broken")

    monkeypatch.setattr(services, "_notify", broken)
    with pytest.raises(RuntimeError):
        report(screenshot=upload("a.png", PNG))
    assert not PaymentProblem.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.django_db
def test_mark_handled_records_who_and_when_once(admin_user, django_user_model):
    problem = report().problem
    assert services.mark_handled(problem_ids=[problem.pk], actor=admin_user) == 1
    problem.refresh_from_db()
    first_time = problem.handled_at
    assert problem.handled and problem.handled_by == admin_user and first_time
    other = django_user_model.objects.create_user("other")
    assert services.mark_handled(problem_ids=[problem.pk], actor=other) == 0
    problem.refresh_from_db()
    assert problem.handled_by == admin_user and problem.handled_at == first_time
    assert services.mark_unhandled(problem_ids=[problem.pk]) == 1
    problem.refresh_from_db()
    assert not problem.handled and problem.handled_by is None and problem.handled_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_get_distinct_references_and_one_key_stores_once():
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker(i):
        try:
            barrier.wait()
            results.append(report(submission_key=key if i % 2 else None, name=f"Kunde {i}"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(PaymentProblem.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 5  # 4 without a key, 1 for the shared key
    assert PaymentProblem.objects.filter(submission_key=key).count() == 1
    assert sum(result.created for result in results) == 5
