"""Reflected XSS: what a visitor puts in a URL or a refused form comes back escaped on every page that echoes
it (eHelp search, the contact form's suggestions, the queue search, forms shown again with errors, the login's
`next`). Stored XSS in Chromium: tests/browser/test_xss.py."""

import pytest
from django.core.cache import cache

from tests.conftest import login
from tests.payments.helpers import valid_data
from tests.tickets.test_journey import contact_data

pytestmark = pytest.mark.django_db

PAYLOADS = ["<script>alert('x')</script>", "<img src=x onerror=alert('x')>", "\"><svg onload=alert('x')>",
            "'><svg onload=alert('x')>", "javascript:alert('x')//"]
RAW_MARKUP = ["<script>alert(", "<img src=x", "<svg onload", "onerror=alert('x')>"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def assert_escaped(response, payload):
    body = response.content.decode()
    for raw in RAW_MARKUP:
        if raw in payload:
            assert raw not in body, f"{raw!r} came back unescaped ({response.request['PATH_INFO']})"
    assert 'href="javascript:' not in body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_and_suggestions_echo_the_query_escaped(client, payload):
    assert_escaped(client.get("/ehelp/suche/", {"q": payload}), payload)
    assert_escaped(client.get("/ehelp/vorschlaege/", {"subject": payload}), payload)
    assert_escaped(client.get("/contact/", {"article": payload}), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_queue_search_echoes_the_query_escaped(client, bookshop_user, payload):
    login(client, bookshop_user)
    assert_escaped(client.get("/queue/", {"q": payload, "view": payload, "sort": payload}), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_refused_contact_form_comes_back_escaped(client, bookshop, payload):
    data = contact_data(bookshop, customer_name=payload, subject=payload, message=payload, order_number=payload[:40],
                        customer_email="keine-adresse")
    response = client.post("/contact/", data)
    assert response.status_code == 400
    assert_escaped(response, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_refused_payment_report_comes_back_escaped(client, payload):
    data = valid_data(name=payload, ebook_titles=payload, description=payload, email="keine-adresse")
    response = client.post("/payment-problem/", data)
    assert response.status_code in (200, 400)
    assert_escaped(response, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_login_page_echoes_next_escaped_and_never_redirects_off_site(client, bookshop_user, payload):
    assert_escaped(client.get("/accounts/login/", {"next": payload}), payload)
    response = client.post("/accounts/login/?next=https://evil.example/", {"username": "shopuser",
                                                                           "password": "pw-shopuser",
                                                                           "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil.example")
