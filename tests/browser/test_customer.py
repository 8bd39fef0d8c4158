"""The customer in Chromium: eHelp home, an article, "did not help", the contact form with a screenshot, the
confirmation, the private case page from the mail, and a reply there."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.common.files import PNG
from tickets.models import Ticket, TicketAttachment

from .conftest import link_in_mail, mails_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_reads_ehelp_writes_to_the_bookshop_and_answers_on_the_case_page(
    people, bookshop, other_bookshop, live_server, tmp_path
):
    customer = people("kunde")
    page = customer.page

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("eHelp")
    customer.shot("ehelp-home")
    first_article = page.locator("a.ehelp-topic").first
    title = first_article.locator("strong").inner_text()
    first_article.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    customer.shot("article")

    page.get_by_role("button", name="Nein, das hat nicht geholfen").click()
    page.wait_for_url("**/contact/?article=*")
    expect(page.get_by_text("welche Schritte aus eHelp Sie schon versucht haben")).to_be_visible()
    customer.shot("contact-form")

    screenshot = tmp_path / "bildschirm.png"
    screenshot.write_bytes(PNG)
    page.select_option("#id_bookshop", str(bookshop.pk))
    page.fill("#id_customer_name", "Anna Meier")
    page.fill("#id_customer_email", "anna@example.ch")
    page.select_option("#id_category", "problem")
    page.select_option("#id_device", "pocketbook_lux")
    page.fill("#id_subject", "Reader bleibt schwarz")
    page.fill("#id_message", "Auch nach dem Laden über Nacht bleibt der Bildschirm schwarz.")
    page.set_input_files("#id_attachments", str(screenshot))
    page.check("#id_privacy")
    customer.shot("contact-filled")
    page.get_by_role("button", name="Anfrage senden").click()

    page.wait_for_url("**/contact/sent/")
    ticket = Ticket.objects.get()
    expect(page.locator("#reference")).to_have_text(ticket.reference)
    expect(page.get_by_text("Buchhandlung Lesezeichen erhält Ihre Anfrage per Mail")).to_be_visible()
    customer.shot("confirmation")
    # The case carries what eHelp already tried, and the screenshot.
    assert ticket.tried_ehelp["title"] == title
    assert TicketAttachment.objects.get(ticket=ticket).name == "bildschirm.png"
    assert [m.subject for m in mails_to("team@lesezeichen.example")] and all(
        ticket.reference in m.subject for m in mail.outbox)

    # The private link from the confirmation mail.
    case_link = link_in_mail("anna@example.ch", "/case/", live_server)
    page.goto(case_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ihr Fall {ticket.reference}")
    expect(page.locator("#state-text")).to_contain_text("Ihre Partnerbuchhandlung bearbeitet Ihre Anfrage")
    expect(page.get_by_role("link", name="bildschirm.png")).to_be_visible()
    customer.shot("case-page")

    page.fill("#id_text", "Nachtrag: Die LED blinkt rot.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke, Ihre Antwort ist angekommen.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("Nachtrag: Die LED blinkt rot.")).to_be_visible()
    customer.shot("case-replied")
    # Whoever holds the case (the bookshop) hears of the reply.
    assert any("Die LED blinkt rot" in m.body for m in mails_to("team@lesezeichen.example"))
    assert customer.dialogs == [] and customer.errors == []
