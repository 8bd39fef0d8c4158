"""Payment-problem reports are part of the data-protection export and erase, and expire like cases."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from payments import privacy
from payments.models import PaymentProblem
from tests.common.files import PNG, stored_files, upload
from tests.conftest import make_user
from tickets import privacy as case_privacy

from .helpers import valid_data


def report(client, **overrides):
    data = valid_data(**overrides)
    response = client.post(reverse("payments:report"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return PaymentProblem.objects.latest("created_at")


def test_export_holds_the_payment_reports_of_the_address(client, db):
    problem = report(client)
    data = case_privacy.export(problem.email.upper())
    [record] = data["other"]["payment_problems"]
    assert record["reference"] == problem.reference
    assert record["name"] == problem.name and record["description"] == problem.description


def test_erase_anonymises_the_reports_and_removes_the_screenshot(client, db, settings,
                                                                 django_capture_on_commit_callbacks):
    problem = report(client, screenshot=upload("zahlung.png", PNG, "image/png"))
    assert len(stored_files(settings.PRIVATE_MEDIA_ROOT)) == 1
    admin = make_user("root", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = case_privacy.erase(problem.email, actor=admin)
    assert result.other_records == 1
    problem.refresh_from_db()
    assert problem.name == privacy.ANONYMISED and problem.phone == "" and problem.description == privacy.ANONYMISED
    assert problem.reference and problem.amount_chf  # bookkeeping keeps what it needs
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []
    assert case_privacy.export(valid_data()["email"])["other"]["payment_problems"] == []


def test_handled_reports_past_the_retention_period_are_anonymised(client, db, settings):
    old, recent = report(client), report(client, email="other@example.ch")
    PaymentProblem.objects.filter(pk__in=[old.pk, recent.pk]).update(handled=True)
    PaymentProblem.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.PRIVACY_RETENTION_DAYS + 1))
    assert privacy.anonymise_expired(settings.PRIVACY_RETENTION_DAYS) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.name == privacy.ANONYMISED
    assert recent.name != privacy.ANONYMISED
