"""Playwright journeys against a live server: one Chromium for the whole session (the system's, Playwright's
download does not work here), a new browser context per person per test, desktop (1280x800) and phone (390x844)
sizes, and full-page screenshots in test-artifacts/screenshots/ (gitignored).

Playwright's sync API runs an event loop in this thread; Django refuses database work from a thread with a
running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set, hence the variable below (tests only)."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Playwright waits this long for a page or an element before it fails the test.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for this package's tests. Package, not session: Playwright's sync API keeps an event loop
    running while it is open, and another package starting Playwright of its own must not find it."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def size(request):
    return request.param


class Person:
    """One person's browser (own cookies), its page, the dialogs that fired in it, and its screenshots."""

    def __init__(self, browser, base_url: str, size: str, name: str, shots: "Shots", **options):
        phone = size == "phone"
        self.context = browser.new_context(viewport=VIEWPORTS[size], is_mobile=phone, has_touch=phone,
                                           locale="de-CH", base_url=base_url, **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        # Script errors, and what the content security policy blocked (the console reports it as an error).
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.name = name
        self.shots = shots

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def shot(self, step: str):
        self.shots.take(self.page, f"{self.name}-{step}")

    def login(self, username: str, password: str):
        page = self.page
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()


class Shots:
    def __init__(self, test_name: str, size: str):
        self.prefix = re.sub(r"[^\w-]+", "-", test_name.split("[")[0]).strip("-")
        self.size = size
        self.count = 0

    def take(self, page, step: str):
        self.count += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{self.prefix}-{self.size}-{self.count:02d}-{step}.png"),
                        full_page=True, caret="initial")  # "hide" injects a style the CSP reports


@pytest.fixture
def people(browser, live_server, size, request):
    """people("kunde") -> a Person with a fresh context at this test's size; closed after the test.
    Keyword arguments go to Playwright's new_context (e.g. bypass_csp=True)."""
    shots = Shots(request.node.name, size)
    made = []

    def make(name: str, **options) -> Person:
        person = Person(browser, live_server.url, size, name, shots, **options)
        made.append(person)
        return person

    yield make
    for person in made:
        person.context.close()


@pytest.fixture(autouse=True)
def _fresh_limits_and_content(settings, transactional_db):
    """Rate limits count per test; the shipped eHelp content is there (a transactional test starts empty)."""
    settings.RATELIMIT_ENABLED = True
    cache.clear()
    call_command("load_ehelp", verbosity=0)
    yield
    cache.clear()


def link_in_mail(to: str, path: str, live_server) -> str:
    """The newest link to `path` (e.g. "/case/") in a mail to `to`, made absolute for the live server."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(rf"https?://[^/\s]+({re.escape(path)}[\w-]+/)", message.body)
            if found:
                return live_server.url + found.group(1)
    raise AssertionError(f"no mail to {to} with a link to {path}; sent: {[(m.to, m.subject) for m in mail.outbox]}")


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
