"""Level 1 and Level 2 in the admin, in Chromium: Level 1 passes a case to Level 2; Level 2 asks for remote
maintenance, the customer consents on the consent page, Level 2 starts the session and aborts it with a finding
(the customer is told); Level 1 refunds another case (the hotline gets the instruction)."""

import pytest
from playwright.sync_api import expect

from tests.tickets.helpers import case_in_state
from tickets import services
from tickets.models import Refund, RemoteSession, State, Ticket

from .conftest import link_in_mail, mails_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_case(bookshop, name, email, subject, device="windows_pc"):
    return services.create_ticket(bookshop=bookshop, customer_name=name, customer_email=email, subject=subject,
                                  message="Adobe Digital Editions stürzt ab.", device=device).ticket


def change_page(ticket) -> str:
    return f"/admin/tickets/ticket/{ticket.pk}/change/"


def run_step(page, link_name: str, fields: dict, *, done: str):
    """Click a step on the change page, fill its form, run it, and see the admin's success message."""
    page.get_by_role("link", name=link_name).first.click()
    for selector, value in fields.items():
        if selector.startswith("select:"):
            page.select_option(selector[len("select:"):], value)
        elif selector.startswith("check:"):
            page.check(selector[len("check:"):])
        else:
            page.fill(selector, value)
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".messagelist")).to_contain_text(done)


def test_level1_escalates_level2_aborts_remote_maintenance_with_the_customers_consent(
    people, bookshop, bookshop_user, level1_user, level2_user, live_server
):
    ticket = new_case(bookshop, "Eva Brunner", "eva@example.ch", "Adobe-Fehler auf altem Laptop")
    services.escalate_to_level1(ticket_id=ticket.pk, actor=bookshop_user, what_was_tried="Neu installiert.")

    level1 = people("level1")
    level1.login("level1", "pw-level1")
    level1.page.wait_for_url("**/admin/")
    level1.page.goto(change_page(ticket))
    expect(level1.page.locator("#timeline")).to_contain_text("Neu installiert.")
    level1.shot("case")
    # Level 2's steps are not offered to Level 1.
    expect(level1.page.get_by_role("link", name="Support abbrechen")).to_have_count(0)
    run_step(level1.page, "An Support Level 2 weitergeben", {"#id_text": "DRM-Fehler, braucht Fernwartung."},
             done="Erledigt: An Support Level 2 weitergeben.")
    level1.shot("escalated")
    assert Ticket.objects.get(pk=ticket.pk).state == State.LEVEL2

    level2 = people("level2")
    level2.login("level2", "pw-level2")
    level2.page.goto(change_page(ticket))
    run_step(level2.page, "Fernwartung anfragen", {"select:#id_device": "windows_pc", "#id_operating_system":
                                                   "Windows 7"},
             done="Die Anfrage zum Einverständnis ist per Mail an den Kunden unterwegs.")
    expect(level2.page.locator("#remote-sessions")).to_contain_text("Einverständnis ausstehend")
    level2.shot("consent-requested")

    customer = people("kunde")
    customer.page.goto(link_in_mail("eva@example.ch", "/consent/", live_server))
    conditions = customer.page.locator("#conditions")
    for condition in ["Datensicherung", "Windows 98", "jede Haftung ab", "nicht auf Tablets"]:
        expect(conditions).to_contain_text(condition)
    customer.shot("consent-page")
    customer.page.check("#id_backup_confirmed")
    customer.page.check("#id_consent")
    customer.page.get_by_role("button", name="Einverständnis geben").click()
    expect(customer.page.get_by_role("heading", level=1)).to_have_text("Danke, Ihr Einverständnis ist erfasst")
    customer.shot("consent-given")
    assert RemoteSession.objects.get().consent_given_at is not None

    level2.page.reload()
    expect(level2.page.locator("#remote-sessions")).to_contain_text("Datensicherung bestätigt")
    run_step(level2.page, "Fernwartung starten", {}, done="Die Fernwartung ist gestartet.")
    run_step(level2.page, "Ergebnis erfassen",
             {"check:input[name=outcome][value=aborted]": "", "select:#id_finding": "outdated_os",
              "#id_text": "Der Rechner läuft noch mit Windows 7 und wird nicht mehr unterstützt."},
             done="Das Ergebnis der Fernwartung ist erfasst.")
    expect(level2.page.locator(".field-state")).to_contain_text("abgebrochen")
    level2.shot("aborted")
    assert Ticket.objects.get(pk=ticket.pk).state == State.ABORTED
    told = [m for m in mails_to("eva@example.ch") if "Windows 7" in m.body]
    assert told and "Fachperson" in told[-1].body  # support resumes only after a professional repair
    for person in (level1, level2, customer):
        assert person.dialogs == [] and person.errors == []


def test_level1_refunds_a_case_after_consulting_the_customer(
    people, bookshop, bookshop_user, level1_user, level2_user
):
    ticket = case_in_state("level1", new_case(bookshop, "Franz Huber", "franz@example.ch", "Datei beschädigt"),
                           bookshop_user=bookshop_user, level1_user=level1_user, level2_user=level2_user)
    level1 = people("level1")
    level1.login("level1", "pw-level1")
    level1.page.goto(change_page(ticket))
    level1.page.get_by_role("link", name="eBook rückerstatten").click()
    level1.page.fill("#id_ebook_title", "Der Gotthard")
    level1.page.fill("#id_amount_chf", "24.90")
    level1.page.select_option("#id_reason", "not_solvable")
    # Without "the customer was consulted" there is no refund (the browser already holds the form back).
    level1.page.get_by_role("button", name="Ausführen").click()
    expect(level1.page.locator("#id_customer_consulted:invalid")).to_have_count(1)
    level1.shot("refund-not-consulted")
    assert not Refund.objects.exists()
    level1.page.check("#id_customer_consulted")
    level1.page.get_by_role("button", name="Ausführen").click()
    expect(level1.page.locator(".messagelist")).to_contain_text("Erledigt: eBook rückerstatten.")
    expect(level1.page.locator(".field-state")).to_contain_text("rückerstattet")
    level1.shot("refunded")
    assert Ticket.objects.get(pk=ticket.pk).state == State.REFUNDED
    hotline = [m for m in mails_to("hotline@comelivres.ch") if ticket.reference in m.subject]
    assert hotline and "24.90" in hotline[-1].body and "Der Gotthard" in hotline[-1].body
    assert any(ticket.reference in m.subject for m in mails_to("franz@example.ch"))
    assert level1.dialogs == [] and level1.errors == []
