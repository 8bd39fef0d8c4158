"""Shared fixtures: demo-like data, roles, and the services some tests need (Postgres, a Redis server,
a real Celery worker). A test marked `postgres`, `redis` or `browser` is skipped when what it needs is
missing, and the run ends by listing those skips; with REQUIRE_SERVICES=1 (CI) such a skip is a failure."""

import importlib
import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection

from tickets.models import Bookshop, BookshopMember
from tickets.roles import LEVEL1_GROUP, LEVEL2_GROUP

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SKIP_PREFIX = "needs "


def _missing_for(item) -> list[str]:
    missing = []
    if (item.get_closest_marker("postgres") or item.get_closest_marker("redis")) and connection.vendor != "postgresql":
        missing.append("PostgreSQL")
    if item.get_closest_marker("redis") and not shutil.which("redis-server"):
        missing.append("Redis (redis-server)")
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        missing.append(f"Chromium ({CHROMIUM})")
    return missing


def pytest_runtest_setup(item):
    missing = _missing_for(item)
    if missing:
        reason = SKIP_PREFIX + ", ".join(missing)
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1 turns this skip into a failure)", pytrace=False)
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    """List the tests that did not run for lack of a service (works with xdist: reads the reports)."""
    skipped = []
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(SKIP_PREFIX):
            skipped.append((report.nodeid, reason))
    if skipped:
        terminalreporter.section("skipped for lack of services")
        for nodeid, reason in skipped:
            terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}")
        terminalreporter.write_line(f"{len(skipped)} test(s) did not run. Start the services named above "
                                    "(see README) to run them.")


@pytest.fixture(autouse=True)
def _mail_and_storage(settings, tmp_path):
    # Rate-limit counters and cached pages live in the cache: every test starts with an empty one.
    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = "http://testserver"


# --- people ---------------------------------------------------------------------------------------------------


def make_bookshop(slug: str, name: str, addresses: str = "") -> Bookshop:
    return Bookshop.objects.create(
        slug=slug, name=name, place="Bern", notification_emails=addresses or f"{slug}@shops.example"
    )


def make_user(username: str, **fields):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **fields)
    return user


@pytest.fixture
def bookshop(db):
    return make_bookshop("lesezeichen", "Buchhandlung Lesezeichen", "team@lesezeichen.example")


@pytest.fixture
def other_bookshop(db):
    return make_bookshop("la-page", "Librairie La Page", "contact@lapage.example")


@pytest.fixture
def bookshop_user(bookshop):
    user = make_user("shopuser")
    BookshopMember.objects.create(user=user, bookshop=bookshop)
    return user


@pytest.fixture
def other_bookshop_user(other_bookshop):
    user = make_user("othershop")
    BookshopMember.objects.create(user=user, bookshop=other_bookshop)
    return user


def support_group(name: str) -> Group:
    """The group as the data migration makes it (a transactional test's flush removes migrated rows)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        groups = importlib.import_module("tickets.migrations.0002_support_groups").GROUPS
        for app_label, codename in groups[name]:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


@pytest.fixture
def level1_user(db):
    user = make_user("level1", is_staff=True)
    user.groups.add(support_group(LEVEL1_GROUP))
    return user


@pytest.fixture
def level2_user(db):
    user = make_user("level2", is_staff=True)
    user.groups.add(support_group(LEVEL2_GROUP))
    return user


@pytest.fixture
def new_case(bookshop):
    """A fresh case at `bookshop`, as the contact form makes it."""
    from tickets import services

    return services.create_ticket(
        bookshop=bookshop,
        customer_name="Anna Meier",
        customer_email="anna@example.ch",
        subject="PocketBook startet nicht",
        message="Der Bildschirm bleibt schwarz.",
    ).ticket


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server (append-only) that the test may stop and start; see tests/services.py."""
    from tests.services import RedisServer

    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path):
    """Where a worker started by the test writes its mail (Django's file backend)."""
    return tmp_path / "mail"


def login(client, user):
    client.force_login(user)
    return client
