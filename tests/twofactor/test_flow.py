"""The second factor as staff meet it: set up the app, enter its code after the password, and nothing in the
admin before that when TWO_FACTOR_REQUIRED is on."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.conftest import login, make_user
from twofactor import totp

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def devices():
    """twofactor.models imports only once the app is installed (see conftest), so it is looked up late."""
    from twofactor.models import TOTPDevice

    return TOTPDevice.objects


def current_code(user) -> str:
    return totp.totp(totp.decode_secret(devices().get(user=user).secret))


def confirmed_device_for(user):
    return devices().create(user=user, secret=totp.random_secret(), confirmed_at="2026-01-01T00:00:00Z")


def test_without_the_setting_staff_reach_the_admin_with_the_password_alone(client, level1_user, settings):
    settings.TWO_FACTOR_REQUIRED = False
    login(client, level1_user)
    assert client.get("/admin/").status_code == 200


def test_staff_without_an_app_are_sent_to_set_one_up_before_the_admin(client, level1_user, required):
    login(client, level1_user)
    response = client.get("/admin/tickets/ticket/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2Ftickets%2Fticket%2F"


def test_setup_shows_the_secret_and_the_otpauth_uri_and_a_correct_code_confirms_the_app(
    client, level1_user, required
):
    login(client, level1_user)
    page = client.get(SETUP + "?next=/admin/").content.decode()
    device = devices().get(user=level1_user)
    assert not device.is_confirmed
    assert totp.grouped(device.secret) in page
    assert f"otpauth://totp/eBookit%20Support%3Alevel1?secret={device.secret}" in page.replace("&amp;", "&")
    # A reload shows the same secret (the app may already hold it).
    assert totp.grouped(device.secret) in client.get(SETUP).content.decode()

    response = client.post(SETUP, {"code": current_code(level1_user), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert devices().get(user=level1_user).is_confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_confirm_the_app(client, level1_user, required):
    login(client, level1_user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000" if current_code(level1_user) != "000000" else "111111"})
    assert response.status_code == 400
    assert "Dieser Code stimmt nicht" in response.content.decode()
    assert not devices().get(user=level1_user).is_confirmed
    assert client.get("/admin/").status_code == 302


def test_staff_with_an_app_enter_its_code_after_the_password(client, level2_user, required):
    confirmed_device_for(level2_user)
    login(client, level2_user)
    response = client.get("/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert "Code aus der Authenticator-App" in page.content.decode()
    session_before = client.session.session_key
    response = client.post(VERIFY, {"code": current_code(level2_user), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session.session_key != session_before  # a new session key for the stronger session
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_used_again_in_another_session(level2_user, required):
    confirmed_device_for(level2_user)
    code = current_code(level2_user)
    first = login(Client(), level2_user)
    assert first.post(VERIFY, {"code": code})["Location"] == "/admin/"
    second = login(Client(), level2_user)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert second.get("/admin/").status_code == 302


def test_too_many_wrong_codes_lock_the_second_factor_even_for_the_right_code(client, level1_user, required, settings):
    settings.TWO_FACTOR_MAX_FAILURES = 3
    confirmed_device_for(level1_user)
    login(client, level1_user)
    right = current_code(level1_user)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    response = client.post(VERIFY, {"code": right})
    assert response.status_code == 400
    assert "Zu viele falsche Codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_confirmed_app_cannot_be_replaced_without_the_second_factor(client, level1_user, required):
    device = confirmed_device_for(level1_user)
    login(client, level1_user)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert devices().get(user=level1_user).secret == device.secret


def test_next_pointing_elsewhere_is_ignored(client, level1_user, required):
    confirmed_device_for(level1_user)
    login(client, level1_user)
    response = client.post(VERIFY, {"code": current_code(level1_user), "next": "https://evil.example/admin/"})
    assert response["Location"] == reverse("admin:index")


def test_bookshop_logins_are_not_asked_for_a_second_factor(client, bookshop_user, required):
    login(client, bookshop_user)
    assert client.get("/queue/").status_code == 200
    # They cannot enter the admin at all: the admin's own login, not the second factor.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_signing_out_of_the_admin_works_without_the_second_factor(client, level1_user, required):
    login(client, level1_user)
    response = client.post("/admin/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session


def test_a_verified_session_belongs_to_its_user(client, level1_user, level2_user, required):
    confirmed_device_for(level1_user)
    login(client, level1_user)
    client.post(VERIFY, {"code": current_code(level1_user)})
    assert client.get("/admin/").status_code == 200
    # Another staff member logging in on the same browser starts unverified.
    client.force_login(level2_user)
    assert client.get("/admin/").status_code == 302


def test_the_admin_never_shows_the_secret_and_only_superusers_reset_a_device(client, level1_user, required):
    device = confirmed_device_for(level1_user)
    admin_user = make_user("chefin", is_staff=True, is_superuser=True)
    confirmed_device_for(admin_user)
    login(client, admin_user)
    client.post(VERIFY, {"code": current_code(admin_user)})
    page = client.get(reverse("admin:twofactor_totpdevice_change", args=[device.pk])).content.decode()
    assert device.secret not in page
    client.post(reverse("admin:twofactor_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not devices().filter(pk=device.pk).exists()


def test_staff_with_the_right_to_see_devices_but_not_superuser_cannot_delete_them(client, level1_user, required):
    device = confirmed_device_for(level1_user)
    level1_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="twofactor"))
    login(client, level1_user)
    client.post(VERIFY, {"code": current_code(level1_user)})
    response = client.post(reverse("admin:twofactor_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert devices().filter(pk=device.pk).exists()


def test_reset_removes_the_device_and_the_next_visit_asks_for_setup(client, level1_user, required):
    confirmed_device_for(level1_user)
    from twofactor import services

    services.reset(level1_user)
    login(client, level1_user)
    assert client.get("/admin/")["Location"].startswith(SETUP)
