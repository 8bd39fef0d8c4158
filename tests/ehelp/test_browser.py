"""On a phone-sized screen: from /ehelp/ to the fix for a PocketBook that does not start, and on to the contact
form with suggestions, in a real browser (Chromium) under the site's content security policy."""

import io
import re

import pytest
from django.core.management import call_command

from tests.conftest import CHROMIUM, make_bookshop

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]


@pytest.fixture
def phone(live_server, transactional_db, monkeypatch):
    call_command("load_ehelp", stdout=io.StringIO())
    make_bookshop("lesezeichen", "Buchhandlung Lesezeichen")
    # Playwright's sync API runs an event loop; Django's ORM in the live server thread is not affected by it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                                      locale="de-CH")
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        yield page
        browser.close()


def test_the_fix_for_a_dead_pocketbook_is_reached_in_one_tap_on_a_phone(phone, live_server):
    phone.goto(live_server.url + "/ehelp/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    phone.get_by_role("link", name=re.compile("startet nicht")).tap()  # tap 1

    phone.get_by_role("heading", name="PocketBook startet nicht oder reagiert nicht mehr").wait_for()
    assert phone.get_by_text("15 bis 30 Sekunden").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.get_by_role("button", name="Ja, gelöst").is_visible()


def test_no_leads_to_the_contact_form_which_suggests_articles_while_typing(phone, live_server):
    phone.goto(live_server.url + "/ehelp/artikel/startet-nicht/")
    phone.get_by_role("button", name="Nein, das hat nicht geholfen").tap()
    phone.wait_for_url(re.compile(r"/contact/\?article=startet-nicht$"))
    assert phone.locator("input[name=tried_article]").input_value() == "startet-nicht"

    phone.get_by_label("Betreff").fill("WLAN verbindet nicht")
    suggestion = phone.locator("#ehelp-suggestions a", has_text="WLAN verbindet nicht")
    suggestion.wait_for(timeout=5000)
    assert suggestion.get_attribute("href") == "/ehelp/artikel/wlan-verbindung/?von=vorschlag"
    assert not [e for e in phone.console_errors if "Content Security Policy" in e and "script" in e]


def test_the_vote_and_search_are_reachable_by_keyboard(phone, live_server):
    phone.goto(live_server.url + "/ehelp/")
    search = phone.get_by_label("Was ist das Problem?")
    search.focus()
    phone.keyboard.type("Akku")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/ehelp/suche/\?q=Akku"))
    phone.get_by_role("link", name=re.compile("Akku lädt nicht")).focus()
    phone.keyboard.press("Enter")
    phone.get_by_role("heading", name="Akku lädt nicht oder ist schnell leer").wait_for()
    phone.get_by_role("button", name="Ja, gelöst").focus()
    phone.keyboard.press("Enter")
    phone.get_by_text("Danke! Schön, dass Ihr PocketBook wieder funktioniert.").wait_for()
