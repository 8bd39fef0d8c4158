"""Every URL pattern that names a case, an attachment, a message or a token, found by walking the URL resolver,
is opened for a real object by everyone it does not belong to. Each must get 404, 403 (405 for a wrong method)
or a redirect to a login page; never 200 with the data, and a refused POST changes nothing.

A new pattern with a parameter fails `test_every_pattern_with_a_parameter_is_swept_or_declared_public` until it
is added to the sweep below (or, if it names nothing private, to PUBLIC with the reason)."""

import re
import secrets

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from mail.models import OutboundMessage
from tickets.models import RemoteSession, Ticket, TicketEvent

from . import world as w

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"

# Patterns with parameters that name nothing private, and why.
PUBLIC = {
    "ehelp:article": "published eHelp article, by slug",
    "ehelp:vote": "vote on a published article",
    "ehelp:step-image": "image of a published article's step",
    "password_reset_confirm": "Django's own signed, expiring reset token (Django's tests cover it)",
    "admin:app_list": "list of an app's models in the admin, no object",
    "admin:catch_all": "the admin's catch-all (redirects or 404)",
}
# Admin models that hold configuration or public content, not a case, a message or a person's data.
ADMIN_CONFIG_MODELS = {
    ("auth", "group"), ("ehelp", "article"), ("ehelp", "informationsource"), ("timelimits", "responsetarget"),
    ("timelimits", "bookshopresponsetarget"), ("timelimits", "businesshours"), ("timelimits", "publicholiday"),
    ("timelimits", "digestsent"),
}
ADMIN_OBJECT_VIEW = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<view>change|history|delete|redirect)$")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            elif namespace == "admin" and route.endswith("<path:object_id>/"):
                app_model = route.split("/")[1:3]
                name = f"admin:{app_model[0]}_{app_model[1]}_redirect"
            elif route == "admin/(?P<url>.*)$":
                name = "admin:catch_all"
            else:
                name = route
            yield name, route


def patterns_with_parameters() -> dict[str, str]:
    return {name: route for name, route in _walk(get_resolver().url_patterns) if "<" in route or "(?P" in route}


# --- who is refused, and how -------------------------------------------------------------------------------


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def assert_refused(response, *, secrets_=(), login=None, back_to=None, own_page=False):
    """404, 403, 405, or a redirect to `login` (or, for staff refused a step, back to the case `back_to`).
    `own_page`: the URL is someone's own page (200 is right) that must not show the secrets of another."""
    status = response.status_code
    body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    if status in (403, 404, 405) or (own_page and status == 200):
        pass
    elif status in (301, 302):
        location = response["Location"]
        allowed = [prefix for prefix in (login, back_to) if prefix]
        assert any(location.startswith(prefix) for prefix in allowed), f"redirect to {location}, not {allowed}"
    else:
        raise AssertionError(f"answered {status} (expected 404, 403, 405 or a redirect to {login or back_to})")
    for secret in secrets_:
        assert secret not in body, f"{secret!r} leaked in a {status} answer"


def snapshot(world):
    """What a refused request must not change."""
    return (
        list(Ticket.objects.order_by("pk").values_list("pk", "state")),
        TicketEvent.objects.count(),
        OutboundMessage.objects.count(),
        list(RemoteSession.objects.order_by("pk").values_list("pk", "started_at", "finished_at")),
    )


def probe(world, role, method, url, data=None, clients=None, **expect):
    before = snapshot(world)
    clients = {} if clients is None else clients
    client = clients.get(role) or clients.setdefault(role, client_for(world, role))
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert_refused(response, **expect)
    assert snapshot(world) == before, f"{role} {method} {url} changed something"
    return response


# --- the sweep, one builder per pattern: (role, method, url, data, expectation) ----------------------------

SECRETS_A = (w.MARK_A, "a@kunden.example")
SECRETS_B = (w.MARK_B, "b@kunden.example")
BOOKSHOP_STRANGERS = ["anonymous", "shop_b", "level1", "level2", "staff_without_role", "superuser"]
ADMIN_STRANGERS = ["anonymous", "shop_a", "shop_b"]


def _queue_expect(role):
    return {"login": LOGIN} if role == "anonymous" else {}


def _admin_expect(role):
    return {"login": ADMIN_LOGIN}


def sweep_case(world):
    random_token = secrets.token_urlsafe(32)
    yield "anonymous", "GET", f"/case/{random_token}/", None, {}
    yield "anonymous", "POST", f"/case/{random_token}/", {"text": "hallo"}, {}
    # The token of case B opens nothing of case A's, and the reverse.
    yield "anonymous", "GET", f"/case/{world.token_b}/", None, {"secrets_": (world.case_a.reference,),
                                                                "own_page": True}


def sweep_case_file(world):
    a, b = world.public_file_a, world.file_b
    yield "anonymous", "GET", f"/case/{world.token_b}/files/{a.pk}/", None, {"secrets_": SECRETS_A}
    yield "anonymous", "GET", f"/case/{world.token_a}/files/{b.pk}/", None, {"secrets_": SECRETS_B}
    # Level 1's file for the bookshop is not the customer's, even with the customer's own token.
    yield "anonymous", "GET", f"/case/{world.token_a}/files/{world.bookshop_file_a.pk}/", None, {}
    yield "anonymous", "GET", f"/case/{secrets.token_urlsafe(32)}/files/{a.pk}/", None, {}
    for role in ["shop_a", "level1", "level2"]:  # staff use their own URLs, never a guessed token
        yield role, "GET", f"/case/{secrets.token_urlsafe(32)}/files/{a.pk}/", None, {}


def sweep_consent(world):
    yield "anonymous", "GET", f"/consent/{secrets.token_urlsafe(32)}/", None, {}
    # Used once: the link is dead (no second consent, no look at the case).
    yield "anonymous", "GET", f"/consent/{world.used_consent_token}/", None, {"secrets_": SECRETS_A}
    yield "anonymous", "POST", f"/consent/{world.used_consent_token}/", {"backup_confirmed": "on",
                                                                        "consent": "on"}, {}


def sweep_queue_case(world):
    for role in BOOKSHOP_STRANGERS:
        yield role, "GET", f"/queue/{world.case_a.reference}/", None, {**_queue_expect(role), "secrets_": SECRETS_A}
    yield "shop_a", "GET", f"/queue/{world.case_b.reference}/", None, {"secrets_": SECRETS_B}


def sweep_queue_file(world):
    ref_a, ref_b = world.case_a.reference, world.case_b.reference
    for role in BOOKSHOP_STRANGERS:
        yield role, "GET", f"/queue/{ref_a}/files/{world.public_file_a.pk}/", None, _queue_expect(role)
    # A shop's own case, another shop's file.
    yield "shop_a", "GET", f"/queue/{ref_a}/files/{world.file_b.pk}/", None, {}
    yield "shop_b", "GET", f"/queue/{ref_b}/files/{world.public_file_a.pk}/", None, {}


def sweep_queue_action(world):
    ref_a = world.case_a.reference
    actions = {
        "note": {"note-text": "fremd"},
        "reply": {"reply-text": "fremd"},
        "message_level1": {"message_level1-text": "fremd"},
        "return_to_level1": {"return_to_level1-text": "fremd"},
        "abort": {"abort-finding": "malware", "abort-text": "fremd"},
    }
    for role in BOOKSHOP_STRANGERS:
        for action, data in actions.items():
            yield role, "POST", f"/queue/{ref_a}/{action}/", data, _queue_expect(role)
    yield "shop_a", "POST", f"/queue/{world.case_b.reference}/note/", {"note-text": "fremd"}, {}


def _ticket_admin(world, suffix):
    return f"/admin/tickets/ticket/{world.case_a.pk}/{suffix}"


def sweep_admin_transition(world):
    for role in ADMIN_STRANGERS:
        for name in ["solve", "abort", "refund", "escalate_to_level2"]:
            yield role, "GET", _ticket_admin(world, f"transition/{name}/"), None, _admin_expect(role)
            yield role, "POST", _ticket_admin(world, f"transition/{name}/"), {"text": "x"}, _admin_expect(role)
    yield "staff_without_role", "POST", _ticket_admin(world, "transition/solve/"), {"text": "x"}, {}
    # Level 1 on Level 2's steps of a case at Level 2: refused, nothing changes.
    back = {"back_to": _ticket_admin(world, "change/")}
    for name, data in [("abort", {"finding": "malware", "text": "x"}), ("return_to_level1", {"text": "x"})]:
        yield "level1", "GET", _ticket_admin(world, f"transition/{name}/"), None, back
        yield "level1", "POST", _ticket_admin(world, f"transition/{name}/"), data, back


def sweep_admin_message(world):
    for role in [*ADMIN_STRANGERS, "staff_without_role"]:
        yield role, "GET", _ticket_admin(world, "message/"), None, {**_admin_expect(role), "secrets_": SECRETS_A}
        yield role, "POST", _ticket_admin(world, "message/"), {"text": "x", "to": "customer"}, _admin_expect(role)


def sweep_admin_note(world):
    for role in [*ADMIN_STRANGERS, "staff_without_role"]:
        yield role, "GET", _ticket_admin(world, "note/"), None, _admin_expect(role)
        yield role, "POST", _ticket_admin(world, "note/"), {"text": "x"}, _admin_expect(role)


def sweep_admin_file(world):
    for role in [*ADMIN_STRANGERS, "staff_without_role"]:
        yield role, "GET", _ticket_admin(world, f"files/{world.public_file_a.pk}/"), None, _admin_expect(role)
    # Case A's page, case B's file.
    for role in ["level1", "level2"]:
        yield role, "GET", _ticket_admin(world, f"files/{world.file_b.pk}/"), None, {}


def sweep_admin_remote_request(world):
    data = {"device": "windows_pc", "operating_system": "Windows 11"}
    for role in [*ADMIN_STRANGERS, "staff_without_role"]:
        yield role, "GET", _ticket_admin(world, "remote/request/"), None, _admin_expect(role)
        yield role, "POST", _ticket_admin(world, "remote/request/"), data, _admin_expect(role)
    # Remote maintenance is Level 2's alone.
    back = {"back_to": _ticket_admin(world, "change/")}
    yield "level1", "GET", _ticket_admin(world, "remote/request/"), None, back
    yield "level1", "POST", _ticket_admin(world, "remote/request/"), data, back


def sweep_admin_remote_step(world):
    session = world.session_a.pk
    for role in [*ADMIN_STRANGERS, "staff_without_role"]:
        for step in ["start", "finish"]:
            yield role, "GET", _ticket_admin(world, f"remote/{session}/{step}/"), None, _admin_expect(role)
            yield role, "POST", _ticket_admin(world, f"remote/{session}/{step}/"), {}, _admin_expect(role)
    back = {"back_to": _ticket_admin(world, "change/")}
    finish = {"outcome": "aborted", "finding": "malware", "text": "x"}
    for step, data in [("start", {}), ("finish", finish)]:
        yield "level1", "GET", _ticket_admin(world, f"remote/{session}/{step}/"), None, back
        yield "level1", "POST", _ticket_admin(world, f"remote/{session}/{step}/"), data, back
    # A session of another case through case B's URL.
    yield "level2", "GET", f"/admin/tickets/ticket/{world.case_b.pk}/remote/{session}/start/", None, {}


def sweep_admin_view_on_site(world):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Ticket).pk
    for role in ADMIN_STRANGERS:
        yield role, "GET", f"/admin/r/{ct}/{world.case_a.pk}/", None, _admin_expect(role)


def sweep_admin_object_view(app, model, view):
    def sweep(world):
        obj = world.objects[(app, model)]
        suffix = "" if view == "redirect" else f"{view}/"
        url = f"/admin/{app}/{model}/{obj.pk}/{suffix}"
        secrets_ = SECRETS_A if (app, model) != ("payments", "paymentproblem") else (w.MARK_PAYMENT,)
        for role in ADMIN_STRANGERS:
            expect = {**_admin_expect(role), "secrets_": secrets_}
            if view == "redirect":  # the admin's shortcut to change/, which is itself protected
                expect["back_to"] = f"/admin/{app}/{model}/{obj.pk}/change/"
            yield role, "GET", url, None, expect
            if view in ("change", "delete"):
                yield role, "POST", url, {"post": "yes"}, _admin_expect(role)
        if view != "redirect":
            # 403, or (where the model's list hides the row from them) the admin's "not found" redirect home.
            yield "staff_without_role", "GET", url, None, {"secrets_": secrets_, "back_to": "/admin/"}
            yield "staff_without_role", "POST", url, {"post": "yes"}, {"back_to": "/admin/"}
        if view == "delete":
            # Support staff never delete cases, messages or payment reports.
            for role in ["level1", "level2"]:
                yield role, "POST", url, {"post": "yes"}, {}

    return sweep


def sweep_payment_custom(view):
    def sweep(world):
        obj = world.objects[("payments", "paymentproblem")]
        url = f"/admin/payments/paymentproblem/{obj.pk}/{view}/"
        for role in [*ADMIN_STRANGERS, "staff_without_role"]:
            yield role, "GET", url, None, {**_admin_expect(role), "secrets_": (w.MARK_PAYMENT,)}
            yield role, "POST", url, {}, _admin_expect(role)

    return sweep


SWEEPS = {
    "tickets:case": sweep_case,
    "tickets:case-file": sweep_case_file,
    "tickets:remote-consent": sweep_consent,
    "tickets:queue-case": sweep_queue_case,
    "tickets:queue-file": sweep_queue_file,
    "tickets:queue-action": sweep_queue_action,
    "admin:tickets_ticket_transition": sweep_admin_transition,
    "admin:tickets_ticket_message": sweep_admin_message,
    "admin:tickets_ticket_note": sweep_admin_note,
    "admin:tickets_ticket_file": sweep_admin_file,
    "admin:tickets_ticket_remote_request": sweep_admin_remote_request,
    "admin:tickets_ticket_remote_step": sweep_admin_remote_step,
    "admin:view_on_site": sweep_admin_view_on_site,
    "admin:payments_paymentproblem_handled": sweep_payment_custom("handled"),
    "admin:payments_paymentproblem_screenshot": sweep_payment_custom("screenshot"),
}


def sweep_admin_password(world):
    url = f"/admin/auth/user/{world.users['level2'].pk}/password/"
    for role in [*ADMIN_STRANGERS, "staff_without_role", "level1", "level2"]:
        expect = _admin_expect(role) if role in ADMIN_STRANGERS else {}
        yield role, "GET", url, None, expect
        yield role, "POST", url, {"password1": "Neu-Passwort-123", "password2": "Neu-Passwort-123"}, expect


SWEEPS["admin:auth_user_password_change"] = sweep_admin_password

# Admin models whose object pages hold a case, a message, a file or a person's data (rows: world.objects).
ADMIN_PRIVATE_MODELS = {
    ("tickets", "ticket"), ("tickets", "refund"), ("tickets", "bookshop"), ("mail", "outboundmessage"),
    ("mail", "inboundmessage"), ("mail", "deliveryevent"), ("payments", "paymentproblem"),
    ("timelimits", "reminder"), ("timelimits", "overduecase"), ("auth", "user"), ("twofactor", "totpdevice"),
}


def sweep_for(name: str):
    if name in SWEEPS:
        return SWEEPS[name]
    match = ADMIN_OBJECT_VIEW.match(name)
    if match and (match["app"], match["model"]) in ADMIN_PRIVATE_MODELS:
        return sweep_admin_object_view(match["app"], match["model"], match["view"])
    return None


SWEPT = sorted(name for name in patterns_with_parameters() if name not in PUBLIC and sweep_for(name) is not None)


def test_every_pattern_with_a_parameter_is_swept_or_declared_public():
    unknown = []
    for name, route in patterns_with_parameters().items():
        match = ADMIN_OBJECT_VIEW.match(name)
        if name in PUBLIC or (match and (match["app"], match["model"]) in ADMIN_CONFIG_MODELS):
            continue
        if sweep_for(name) is None:
            unknown.append(f"{name}: {route}")
    assert not unknown, "URL patterns naming something private without a sweep:\n" + "\n".join(unknown)
    # The sweep reaches what it is meant to reach.
    assert {"tickets:case", "tickets:case-file", "tickets:remote-consent", "tickets:queue-case",
            "tickets:queue-file", "tickets:queue-action", "admin:tickets_ticket_change"} <= set(SWEPT)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each test runs in a
    savepoint of it (pytest-django's own), so what a test changes is undone before the next."""
    media = tmp_path_factory.mktemp("private")
    overrides = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                                  PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                                  PRIVATE_MEDIA_ROOT=media, RATELIMIT_ENABLED=False, SITE_URL="http://testserver")
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        built = w.build(TestCase.captureOnCommitCallbacks)
        built.media_root = media
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, settings):
    settings.PRIVATE_MEDIA_ROOT = shared_world.media_root
    settings.RATELIMIT_ENABLED = False
    return shared_world


@pytest.mark.parametrize("name", SWEPT)
def test_others_get_404_403_or_the_login_never_the_data(world, name):
    probes = list(sweep_for(name)(world))
    assert probes
    failures = []
    clients = {}
    for role, method, url, data, expect in probes:
        try:
            probe(world, role, method, url, data, clients=clients, **expect)
        except AssertionError as exc:
            failures.append(f"{role:>18} {method:4} {url}: {exc}")
    assert not failures, "\n".join(failures)


def test_the_owners_get_in(world):
    """The sweep's URLs are real: the people they belong to get 200 (so a 404 above means refused, not broken)."""
    shop_a, level1, level2 = (client_for(world, role) for role in ("shop_a", "level1", "level2"))
    customer = Client()
    ref = world.case_a.reference
    assert ref in customer.get(f"/case/{world.token_a}/").content.decode()
    assert customer.get(f"/case/{world.token_a}/files/{world.public_file_a.pk}/").status_code == 200
    assert w.MARK_A in shop_a.get(f"/queue/{ref}/").content.decode()
    assert shop_a.get(f"/queue/{ref}/files/{world.bookshop_file_a.pk}/").status_code == 200
    assert level1.get(_ticket_admin(world, "change/")).status_code == 200
    assert level1.get(_ticket_admin(world, f"files/{world.public_file_a.pk}/")).status_code == 200
    assert level2.get(_ticket_admin(world, "remote/request/")).status_code in (200, 302)
    assert level2.get(_ticket_admin(world, f"remote/{world.session_a.pk}/start/")).status_code == 200


def test_private_pages_without_parameters_are_only_for_their_people(world):
    """The sweep covers patterns with a parameter; these pages without one list cases or personal data."""
    from django.urls import NoReverseMatch, reverse

    # Staff are sent on to the admin's case list (which checks its own permissions).
    to_admin = {"back_to": "/admin/tickets/ticket/"}
    pages = {"/queue/": {"anonymous": {"login": LOGIN}, "level1": to_admin, "staff_without_role": to_admin}}
    for name in ["staff_admin:dashboard", "staff_admin:privacy", "admin:tickets_ticket_changelist",
                 "admin:mail_outboundmessage_changelist", "admin:payments_paymentproblem_changelist"]:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        pages[url] = {"anonymous": {"login": ADMIN_LOGIN}, "shop_a": {"login": ADMIN_LOGIN},
                      "staff_without_role": {}}
    failures = []
    for url, roles in pages.items():
        for role, expect in roles.items():
            try:
                probe(world, role, "GET", url, secrets_=SECRETS_A, **expect)
            except AssertionError as exc:
                failures.append(f"{role} {url}: {exc}")
    assert not failures, "\n".join(failures)
