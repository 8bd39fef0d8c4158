"""Password reset links are credentials. The reset mail goes through the outbox like every mail, and Support
Level 1 and 2 may read the outbox in the admin (to see what went to whom). If a reset link can be read there, a
Level 1 login can ask for a reset of the administrator's account and take it over: a privilege escalation."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import login, make_user

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"/accounts/reset/[\w-]+/[\w-]+/")


def test_staff_cannot_read_password_reset_links_in_the_admins_mail_list(
    client, level1_user, django_capture_on_commit_callbacks
):
    chefin = make_user("chefin", email="chefin@ebookit.example", is_staff=True, is_superuser=True)
    # Anyone may ask for a reset of any address; Level 1 asks for the administrator's.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/password_reset/", {"email": chefin.email}).status_code == 302
    assert any(RESET_LINK.search(message.body) for message in mail.outbox)  # the mail went out

    level1 = login(Client(), level1_user)
    listing = level1.get("/admin/mail/outboundmessage/").content.decode()
    pages = [listing] + [level1.get(f"/admin/mail/outboundmessage/{pk}/change/").content.decode()
                         for pk in re.findall(r"/admin/mail/outboundmessage/(\d+)/change/", listing)]
    leaked = [found.group(0) for page in pages if (found := RESET_LINK.search(page))]
    if leaked:
        # Show what the leak allows: the link sets a new password for the administrator.
        confirm = level1.get(leaked[0], follow=True)
        set_password = confirm.redirect_chain[-1][0] if confirm.redirect_chain else leaked[0]
        level1.post(set_password, {"new_password1": "Uebernommen-2026!", "new_password2": "Uebernommen-2026!"})
        taken = Client().login(username="chefin", password="Uebernommen-2026!")
        pytest.fail(f"Level 1 read the administrator's reset link in the admin (account taken over: {taken})")
