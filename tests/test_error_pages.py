"""Error pages speak to the customer in German and leak nothing."""

import pytest
from django.test import Client


def test_404_page_is_in_german_and_leads_on(client, db):
    response = client.get("/case/" + "x" * 43 + "/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Seite nicht gefunden" in page
    assert 'href="/contact/"' in page


@pytest.mark.urls("tests.error_urls")
def test_500_page_says_what_to_do_without_a_traceback(settings, db):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "erneut" in page and "Traceback" not in page and "RuntimeError" not in page
