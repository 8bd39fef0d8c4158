"""Login throttling: too many failed logins for one username or from one IP lock the login for a while, with a
clear message, on the bookshops' login and the admin's; the right password does not get through a lock."""

from unittest import mock

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from ebookit_support import login_throttle

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Zu viele fehlgeschlagene Anmeldungen"
WRONG = "Bitte Benutzername und Passwort eingeben"


@pytest.fixture(autouse=True)
def _throttle(settings):
    settings.AUTHENTICATION_BACKENDS = ["ebookit_support.login_throttle.LoginThrottleBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    settings.ROOT_URLCONF = "tests.security.login_urls"
    settings.LOGIN_THROTTLE_PER_USERNAME = 5
    settings.LOGIN_THROTTLE_PER_IP = 20
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password, url=LOGIN, ip="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(client, bookshop_user):
    for _ in range(5):
        response = attempt(client, "shopuser", "falsch")
        assert WRONG in response.content.decode()
    response = attempt(client, "shopuser", "pw-shopuser")
    assert not logged_in(client)
    page = response.content.decode()
    assert LOCKED in page and "15 Minuten" in page


def test_the_lock_ends_with_the_window(client, bookshop_user):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as traveller:
        for _ in range(5):
            attempt(client, "shopuser", "falsch")
        attempt(client, "shopuser", "pw-shopuser")
        assert not logged_in(client)
        traveller.shift(901)
        response = attempt(client, "shopuser", "pw-shopuser")
        assert response.status_code == 302 and logged_in(client)


def test_a_locked_login_checks_no_password(client, bookshop_user):
    for _ in range(5):
        attempt(client, "shopuser", "falsch")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True, return_value=None) as checked:
        attempt(client, "shopuser", "pw-shopuser")
    checked.assert_not_called()


def test_a_successful_login_clears_the_usernames_count(client, bookshop_user):
    for _ in range(4):
        attempt(client, "shopuser", "falsch")
    assert attempt(client, "shopuser", "pw-shopuser").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "shopuser", "falsch")
    assert attempt(client, "shopuser", "pw-shopuser").status_code == 302


def test_spelling_the_username_differently_shares_one_count(client, bookshop_user):
    for name in ["shopuser", "ShopUser", " SHOPUSER", "shopUser ", "Shopuser"]:
        attempt(client, name, "falsch")
    attempt(client, "shopuser", "pw-shopuser")
    assert not logged_in(client)


def test_unknown_usernames_are_counted_and_answered_like_known_ones(client, bookshop_user):
    for _ in range(5):
        assert WRONG in attempt(client, "gibt-es-nicht", "falsch").content.decode()
    assert LOCKED in attempt(client, "gibt-es-nicht", "falsch").content.decode()


def test_one_ip_trying_many_usernames_is_locked_but_other_ips_are_not(client, bookshop_user, settings):
    settings.LOGIN_THROTTLE_PER_IP = 8
    for number in range(8):
        attempt(client, f"user{number}", "falsch", ip="203.0.113.9")
    response = attempt(client, "shopuser", "pw-shopuser", ip="203.0.113.9")
    assert LOCKED in response.content.decode() and not logged_in(client)
    assert attempt(client, "shopuser", "pw-shopuser", ip="198.51.100.7").status_code == 302


def test_the_admin_login_is_throttled_too(client, level1_user, monkeypatch):
    monkeypatch.setattr(admin.site, "login_form", login_throttle.ThrottledAdminAuthenticationForm)
    for _ in range(5):
        attempt(client, "level1", "falsch", url=ADMIN_LOGIN)
    response = attempt(client, "level1", "pw-level1", url=ADMIN_LOGIN)
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_the_projects_own_login_urls_refuse_a_locked_login(client, bookshop_user, level1_user, settings):
    """On the URLs as they are wired now (before the form carries the message) the lock holds all the same."""
    settings.ROOT_URLCONF = "ebookit_support.urls"
    for url, user in [(LOGIN, "shopuser"), (ADMIN_LOGIN, "level1")]:
        for _ in range(5):
            attempt(client, user, "falsch", url=url)
        attempt(client, user, f"pw-{user}", url=url)
        assert not logged_in(client)


def test_switched_off_it_locks_nothing(client, bookshop_user, settings):
    settings.LOGIN_THROTTLE_ENABLED = False
    for _ in range(10):
        attempt(client, "shopuser", "falsch")
    assert attempt(client, "shopuser", "pw-shopuser").status_code == 302


def test_counts_live_in_the_cache_under_hashed_keys(client, bookshop_user):
    attempt(client, "shopuser", "falsch", ip="192.0.2.44")
    keys = list(cache._cache.keys())  # locmem: the keys as stored
    assert keys and not any("shopuser" in key or "192.0.2.44" in key for key in keys)
