"""The hotline's admin: the list, filters, search, the "handled" mark, the read-only detail and the screenshot
download through a permission-checked view."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.formats import number_format

from payments import services
from payments.models import PaymentProblem
from tests.common.files import PNG, upload

LIST_URL = "/admin/payments/paymentproblem/"


def make_report(i=0, **overrides):
    fields = {
        "name": f"Kunde {i}",
        "email": f"kunde{i}@example.ch",
        "ebook_titles": "Homo faber",
        "order_number": f"TX-{i}",
        "amount_chf": Decimal("12.50"),
        "payment_method": "twint",
        "occurred_on": "2026-03-01",
        "completed": "unknown",
        "description": "Hängt.",
    }
    fields.update(overrides)
    return services.report_payment_problem(**fields).problem


@pytest.fixture
def hotline_user(django_user_model):
    user = django_user_model.objects.create_user("hotline", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Hotline Comelivres"))
    return user


@pytest.fixture
def hotline_client(client, hotline_user):
    client.force_login(hotline_user)
    return client


@pytest.mark.django_db
def test_list_shows_the_columns_the_hotline_needs(hotline_client):
    problem = make_report(1, completed="yes")
    response = hotline_client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    amount = number_format(Decimal("12.50"), 2)  # as the admin writes it in the active locale
    for text in [problem.reference, "Kunde 1", "kunde1@example.ch", amount, "TWINT", "Ja"]:
        assert text in html, text


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_rows(
    hotline_client, hotline_user, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert hotline_client.get(LIST_URL).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make_report(i)
    services.mark_handled(
        problem_ids=PaymentProblem.objects.values_list("pk", flat=True)[:1], actor=hotline_user
    )
    small = count_queries()
    for i in range(3, 40):
        make_report(i)
    services.mark_handled(problem_ids=PaymentProblem.objects.values_list("pk", flat=True), actor=hotline_user)
    large = count_queries()
    assert small == large
    with django_assert_max_num_queries(12):
        hotline_client.get(LIST_URL)


@pytest.mark.django_db
def test_filters_and_search(hotline_client):
    make_report(1, completed="yes", payment_method="paypal")
    make_report(2, completed="no", email="beat@example.ch", order_number="XYZ-99")
    html = hotline_client.get(LIST_URL, {"method": "paypal"}).content.decode()
    assert "Kunde 1" in html and "Kunde 2" not in html
    html = hotline_client.get(LIST_URL, {"completed__exact": "no"}).content.decode()
    assert "Kunde 2" in html and "Kunde 1" not in html
    html = hotline_client.get(LIST_URL, {"q": "XYZ-99"}).content.decode()
    assert "Kunde 2" in html and "Kunde 1" not in html
    html = hotline_client.get(LIST_URL, {"handled__exact": "0"}).content.decode()
    assert "Kunde 1" in html and "Kunde 2" in html


@pytest.mark.django_db
def test_mark_as_handled_action(hotline_client, hotline_user):
    first, second, third = make_report(1), make_report(2), make_report(3)
    response = hotline_client.post(
        LIST_URL, {"action": "mark_handled", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "2 Meldungen als erledigt markiert." in response.content.decode()
    handled = PaymentProblem.objects.filter(handled=True)
    assert set(handled.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert all(p.handled_by == hotline_user and p.handled_at for p in handled)
    third.refresh_from_db()
    assert not third.handled
    html = hotline_client.get(LIST_URL, {"handled__exact": "0"}).content.decode()
    assert "Kunde 3" in html and "Kunde 1" not in html


@pytest.mark.django_db
def test_handled_button_on_the_detail_page(hotline_client, hotline_user):
    problem = make_report(1)
    url = reverse("admin:payments_paymentproblem_handled", args=[problem.pk])
    assert hotline_client.get(url).status_code == 403
    response = hotline_client.post(url, {"handled": "1"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.handled and problem.handled_by == hotline_user
    hotline_client.post(url, {"handled": "0"})
    problem.refresh_from_db()
    assert not problem.handled


@pytest.mark.django_db
def test_detail_is_read_only_and_links_the_screenshot(hotline_client):
    problem = make_report(1, screenshot=upload("Fehler.png", PNG))
    response = hotline_client.get(reverse("admin:payments_paymentproblem_change", args=[problem.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' not in html and 'name="email"' not in html  # nothing editable
    assert 'name="_save"' not in html
    download = reverse("admin:payments_paymentproblem_screenshot", args=[problem.pk])
    assert download in html and "Fehler.png" in html
    assert "Als erledigt markieren" in html


@pytest.mark.django_db
def test_hotline_downloads_the_screenshot_as_an_attachment(hotline_client):
    problem = make_report(1, screenshot=upload("Fehler.png", PNG))
    response = hotline_client.get(reverse("admin:payments_paymentproblem_screenshot", args=[problem.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "Fehler.png" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_screenshot_download_needs_permission(client, django_user_model):
    problem = make_report(1, screenshot=upload("Fehler.png", PNG))
    url = reverse("admin:payments_paymentproblem_screenshot", args=[problem.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    staff_without_rights = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff_without_rights)
    assert client.get(url).status_code == 403
    assert client.get(LIST_URL).status_code == 403


@pytest.mark.django_db
def test_no_screenshot_gives_404(hotline_client):
    problem = make_report(1)
    assert (
        hotline_client.get(reverse("admin:payments_paymentproblem_screenshot", args=[problem.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_hotline_cannot_add_or_delete(hotline_client):
    assert hotline_client.get(LIST_URL + "add/").status_code == 403
    problem = make_report(1)
    assert (
        hotline_client.get(reverse("admin:payments_paymentproblem_delete", args=[problem.pk])).status_code
        == 403
    )


def test_screenshots_are_not_under_a_public_path(settings):
    private = str(settings.PRIVATE_MEDIA_ROOT)
    assert not private.startswith(str(settings.STATIC_ROOT))
    assert getattr(settings, "MEDIA_ROOT", "") == "" or not private.startswith(str(settings.MEDIA_ROOT))
