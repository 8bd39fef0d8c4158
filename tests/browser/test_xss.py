"""XSS: script payloads in every field a customer fills in (contact form, file name, reply on the case page,
payment report), submitted through the real forms, then opened in Chromium where the bookshop, Level 1, the
hotline and the customer read them. Chromium runs with the content security policy switched off
(bypass_csp), so the test proves the escaping itself: no dialog fires, no injected element exists, and the
payload shows as plain text."""

import uuid

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from mail.models import OutboundMessage
from payments.models import PaymentProblem
from tests.common.files import PNG
from tests.payments.helpers import valid_data
from tickets.models import Ticket

from .conftest import link_in_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>alert('xss-script')</script>"
IMG = "<img src=x onerror=alert('xss-img')>"
SVG = "\"><svg onload=alert('xss-svg')>"
FILE_NAME = "\"><svg onload=alert('xss-file')><img src=x onerror=alert(2)>.png"

# Elements and attributes the payloads would create if they were not escaped.
INJECTED = """() => ({
  inline_scripts: [...document.scripts].filter(s => !s.src && s.type !== 'application/json'
                                                   && !s.textContent.includes('django.jQuery')).length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')))
            .length,
  svg: [...document.querySelectorAll('svg')].filter(e => e.outerHTML.includes('alert(')).length,
  images: document.querySelectorAll('img[src="x"]').length,
})"""
CLEAN = {"inline_scripts": 0, "handlers": 0, "svg": 0, "images": 0}


def assert_inert(person, url: str, *, shows: str, label: str):
    """Open `url`: the payload is shown as text, and nothing of it runs or exists as markup."""
    page = person.page
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.get_by_text(shows).first).to_be_visible()
    assert page.evaluate(INJECTED) == CLEAN, url
    assert person.dialogs == [], f"{url}: {person.dialogs}"
    person.shot(label)


@pytest.mark.parametrize("size", ["desktop"])
def test_script_payloads_from_customers_never_run_for_anyone(
    people, bookshop, bookshop_user, level1_user, live_server
):
    customer = people("kunde", bypass_csp=True)
    page = customer.page
    page.goto("/contact/")
    page.select_option("#id_bookshop", str(bookshop.pk))
    page.fill("#id_customer_name", f"Eve {SVG}")
    page.fill("#id_customer_email", "eve@example.ch")
    page.fill("#id_order_number", "\"><svg onload=alert(1)>")
    page.fill("#id_subject", f"{IMG} Betreff")
    page.fill("#id_message", f"Hallo {SCRIPT} {IMG} {SVG}")
    page.set_input_files("#id_attachments", files=[{"name": FILE_NAME, "mimeType": "image/png", "buffer": PNG}])
    page.check("#id_privacy")
    page.get_by_role("button", name="Anfrage senden").click()
    page.wait_for_url("**/contact/sent/")
    ticket = Ticket.objects.get()
    assert ticket.customer_name == f"Eve {SVG}"  # stored as typed: escaping is the pages' job

    # The customer's page, with a reply carrying more payloads.
    case_url = link_in_mail("eve@example.ch", "/case/", live_server)
    page.goto(case_url)
    page.fill("#id_text", f"Antwort {SCRIPT}{IMG}")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke, Ihre Antwort ist angekommen.")).to_be_visible()
    assert_inert(customer, case_url.replace(live_server.url, ""), shows="alert('xss-script')", label="case-page")

    # A payment report with payloads in every text field and the file name, through the real form.
    data = valid_data(name=f"Eve {SVG}", ebook_titles=f"{IMG} Homo faber", order_number="\"><svg onload=alert(1)>",
                      description=f"Abgebucht {SCRIPT}", submission_key=str(uuid.uuid4()))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post("/payment-problem/", {**data, "screenshot": SimpleUploadedFile(
        FILE_NAME, PNG, content_type="image/png")})
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = PaymentProblem.objects.get()

    shop = people("buchhandlung", bypass_csp=True)
    shop.login("shopuser", "pw-shopuser")
    assert_inert(shop, "/queue/", shows="Eve \"><svg", label="queue")
    assert_inert(shop, f"/queue/{ticket.reference}/", shows="alert('xss-img')", label="queue-case")
    expect(shop.page.get_by_role("link", name="onload=alert('xss-file')", exact=False)).to_have_count(1)

    level1 = people("level1", bypass_csp=True)
    level1.login("level1", "pw-level1")
    assert_inert(level1, "/admin/tickets/ticket/", shows="alert('xss-img')", label="admin-list")
    assert_inert(level1, f"/admin/tickets/ticket/{ticket.pk}/change/", shows="alert('xss-script')",
                 label="admin-case")
    mail_row = OutboundMessage.objects.filter(thread=ticket.reference, to=["team@lesezeichen.example"]).first()
    assert_inert(level1, f"/admin/mail/outboundmessage/{mail_row.pk}/change/", shows="alert('xss-img')",
                 label="admin-mail")

    from tests.conftest import make_user

    make_user("hotline-chefin", is_staff=True, is_superuser=True)
    hotline = people("hotline", bypass_csp=True)
    hotline.login("hotline-chefin", "pw-hotline-chefin")
    assert_inert(hotline, "/admin/payments/paymentproblem/", shows="Eve \"><svg", label="admin-payments")
    assert_inert(hotline, f"/admin/payments/paymentproblem/{problem.pk}/change/", shows="alert('xss-script')",
                 label="admin-payment")

    for person in (customer, shop, level1, hotline):
        assert person.dialogs == [] and person.errors == []
    # The mails' HTML parts carry the payloads escaped too.
    for message in mail.outbox:
        for body, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                assert "<script>alert" not in body and "<img src=x" not in body and "<svg onload" not in body
