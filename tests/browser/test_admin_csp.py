"""The admin works under the same strict script policy as the public pages (script-src 'self', no inline
script): Django's admin has run no inline script since 4.x. This backs the proposal to drop 'unsafe-inline' from
the admin's script-src (docs/security.md), which takes XSS protection away exactly where customer text is shown
to staff. The policy is tightened in the browser here, so the test holds whatever the middleware sends."""

import contextlib

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.tickets.helpers import case_in_state
from tickets import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors 'none'")


def strict_policy(route):
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": STRICT}
    route.fulfill(response=response, headers=headers)


@pytest.mark.parametrize("size", ["desktop"])
def test_admin_pages_run_without_inline_script(people, bookshop, bookshop_user, level1_user, level2_user):
    ticket = services.create_ticket(bookshop=bookshop, customer_name="Anna Meier", customer_email="anna@example.ch",
                                    subject="Reader", message="Schwarz.", device="windows_pc").ticket
    ticket = case_in_state("level1", ticket, bookshop_user=bookshop_user, level1_user=level1_user,
                           level2_user=level2_user)
    level1 = people("level1")
    level1.context.route("**/admin/**", strict_policy)
    level1.login("level1", "pw-level1")
    page = level1.page
    # The tightened policy is in force: an inline script is blocked (and reported).
    page.goto("/admin/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.inlineRan") is None
    page.wait_for_timeout(100)
    assert any("Content Security Policy" in error for error in level1.errors)
    level1.errors.clear()
    urls = ["/admin/", "/admin/tickets/ticket/", "/admin/tickets/ticket/?state__exact=level1",
            f"/admin/tickets/ticket/{ticket.pk}/change/",
            f"/admin/tickets/ticket/{ticket.pk}/transition/escalate_to_level2/", "/admin/mail/outboundmessage/"]
    with contextlib.suppress(NoReverseMatch):  # the staff dashboard, where it is wired
        urls.append(reverse("staff_admin:dashboard"))
    for url in urls:
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
    # The admin's own scripts ran: the changelist's filter sidebar and the change form's widgets work.
    page.goto(f"/admin/tickets/ticket/{ticket.pk}/change/")
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")
    level1.shot("admin-under-strict-csp")
    assert level1.errors == []
