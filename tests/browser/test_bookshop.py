"""The bookshop in Chromium: login, its queue, a case, a reply to the customer, and the escalation to Level 1."""

import pytest
from playwright.sync_api import expect

from tickets import services
from tickets.models import State, Ticket

from .conftest import mails_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bookshop_answers_its_customer_and_passes_the_case_to_level1(
    people, bookshop, bookshop_user, other_bookshop, level1_user
):
    ours = services.create_ticket(bookshop=bookshop, customer_name="Anna Meier", customer_email="anna@example.ch",
                                  subject="Reader bleibt schwarz", message="Seit gestern schwarz.",
                                  device="pocketbook_lux").ticket
    theirs = services.create_ticket(bookshop=other_bookshop, customer_name="Claire Dubois",
                                    customer_email="claire@example.ch", subject="Erreur DRM",
                                    message="E_ADEPT").ticket
    shop = people("buchhandlung")
    page = shop.page
    shop.login("shopuser", "pw-shopuser")

    page.wait_for_url("**/queue/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buchhandlung Lesezeichen")
    expect(page.get_by_role("link", name=ours.reference)).to_be_visible()
    expect(page.get_by_text("Anna Meier")).to_be_visible()
    # Strictly its own shop: the other shop's case is not in the list.
    expect(page.get_by_text(theirs.reference)).to_have_count(0)
    expect(page.get_by_text("Claire Dubois")).to_have_count(0)
    shop.shot("queue")

    page.get_by_role("link", name=ours.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ours.reference}: Reader bleibt schwarz")
    expect(page.locator("#state")).to_have_text("bei der Partnerbuchhandlung")
    shop.shot("case")

    page.fill("#id_reply-text", "Bitte halten Sie die Einschalttaste 30 Sekunden gedrückt.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Ihre Antwort geht per Mail an den Kunden.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("30 Sekunden gedrückt")).to_be_visible()
    shop.shot("replied")
    assert any("30 Sekunden" in m.body for m in mails_to("anna@example.ch"))

    page.get_by_text("An Support Level 1 weitergeben", exact=True).first.click()  # opens the <details>
    page.fill("#id_escalate_to_level1-text", "Reset und neue Autorisierung versucht, ohne Erfolg.")
    page.get_by_role("button", name="An Support Level 1 weitergeben").click()
    expect(page.get_by_text("Erledigt: An Support Level 1 weitergeben.")).to_be_visible()
    expect(page.locator("#state")).to_have_text("bei Support Level 1")
    shop.shot("escalated")
    assert Ticket.objects.get(pk=ours.pk).state == State.LEVEL1
    assert any(ours.reference in m.subject for m in mails_to("level1@ebookit.ch"))

    # After the escalation the shop still sees the case, and the queue shows it under "Bei Level 1".
    page.goto("/queue/?view=level1")
    expect(page.get_by_role("link", name=ours.reference)).to_be_visible()
    shop.shot("queue-level1")
    assert shop.dialogs == [] and shop.errors == []
