"""The staff dashboard in the admin: who may see it, and its numbers against cases made by the real services."""

from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from ebookit_support import urls as site_urls
from tests.conftest import login, make_user
from tests.tickets.helpers import run
from tickets import services
from tickets.models import Ticket

# Until ebookit_support/urls.py includes tickets.staff_admin, these tests add it themselves.
_wired = any(getattr(p, "namespace", None) == "staff_admin" for p in site_urls.urlpatterns)
urlpatterns = list(site_urls.urlpatterns) if _wired else [
    path("admin/", include("tickets.staff_admin")), *site_urls.urlpatterns
]
pytestmark = pytest.mark.urls(__name__)

ZURICH = ZoneInfo("Europe/Zurich")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=ZURICH)  # the period is July 2025 to June 2026
URL = "/admin/dashboard/"


# --- reading the page as a user sees it -----------------------------------------------------------------------


class _TableReader(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(response, table_id) -> list[list[str]]:
    reader = _TableReader(table_id)
    reader.feed(response.content.decode())
    assert reader.rows, f"no table {table_id!r} on the page"
    return reader.rows[1:]  # without the head


# --- data ------------------------------------------------------------------------------------------------------


def open_case(bookshop, name: str) -> Ticket:
    return services.create_ticket(
        bookshop=bookshop, customer_name=name, customer_email=f"{name.lower()}@example.ch",
        subject="eBook lässt sich nicht öffnen", message="Adobe DRM meldet einen Fehler.",
    ).ticket


def set_dates(ticket: Ticket, **fields) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


def seed(bookshop, other_bookshop, bookshop_user, level1_user, level2_user) -> dict[str, Ticket]:
    """Lesezeichen: three open at the bookshop (one overdue, one back from Level 1), one solved, one at Level 1
    opened before the period, one closed long ago. La Page: one at Level 2, one refunded, one aborted."""
    now = NOW
    day, hour = timedelta(days=1), timedelta(hours=1)
    cases = {key: open_case(bookshop, key) for key in ("a1", "a2", "a3", "a4", "a5", "a6")}
    cases.update({key: open_case(other_bookshop, key) for key in ("b1", "b2", "b3")})

    services.send_message(ticket_id=cases["a1"].pk, actor=bookshop_user, text="Bitte neu starten.", to="customer")
    run("escalate_to_level1", cases["a3"], bookshop_user)
    run("return_to_bookshop", cases["a3"], level1_user)
    run("solve", cases["a4"], bookshop_user)
    run("escalate_to_level1", cases["a5"], bookshop_user)
    run("solve", cases["a6"], bookshop_user)
    run("escalate_to_level1", cases["b1"], level1_user)
    run("escalate_to_level2", cases["b1"], level1_user)
    run("escalate_to_level1", cases["b2"], level1_user)
    run("refund", cases["b2"], level1_user)
    run("escalate_to_level1", cases["b3"], level1_user)
    run("escalate_to_level2", cases["b3"], level1_user)
    run("abort", cases["b3"], level2_user)

    opened = now - 10 * day
    # First answers after 1, 2, 4 and 10 hours: median 3 hours.
    for key, hours in (("a1", 1), ("a2", 2), ("a3", 4), ("b1", 10)):
        set_dates(cases[key], created_at=opened, first_answer_at=opened + hours * hour, answer_due_at=now + day)
    set_dates(cases["a1"], answer_due_at=now - hour)  # the only overdue case
    # Closed in the period after 1, 3 and 2 days: median 2 days; June, April and July 2025.
    set_dates(cases["a4"], created_at=now - 10 * day, closed_at=now - 9 * day)
    set_dates(cases["b2"], created_at=datetime(2026, 4, 7, 9, tzinfo=ZURICH),
              closed_at=datetime(2026, 4, 10, 9, tzinfo=ZURICH))
    set_dates(cases["b3"], created_at=datetime(2025, 7, 1, 0, 30, tzinfo=ZURICH),
              closed_at=datetime(2025, 7, 3, 0, 30, tzinfo=ZURICH))
    # Opened before the period: open at Level 1, but not in the escalation rate.
    set_dates(cases["a5"], created_at=now - 700 * day, answer_due_at=now + day)
    # Closed long ago: counts nowhere.
    set_dates(cases["a6"], created_at=now - 800 * day, closed_at=now - 790 * day)
    return cases


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chefin", "chefin@ebookit.example", "pw-chefin")


@pytest.fixture
def seeded(clock, bookshop, other_bookshop, bookshop_user, level1_user, level2_user):
    return seed(bookshop, other_bookshop, bookshop_user, level1_user, level2_user)


@pytest.fixture
def fake_ehelp(monkeypatch):
    from ehelp import selectors
    from ehelp.selectors import Overview

    asked = {}

    def overview(since=None):
        asked["since"] = since
        return Overview(sessions=10, sessions_with_contact=3, helpful=4, not_helpful=1)

    monkeypatch.setattr(selectors, "overview", overview)
    return asked


# --- who may see it --------------------------------------------------------------------------------------------


def test_level1_level2_and_superuser_see_the_dashboard(client, level1_user, level2_user, superuser):
    for user in (level1_user, level2_user, superuser):
        response = login(client, user).get(URL)
        assert response.status_code == 200, user
        assert "Auswertung" in response.content.decode()


def test_bookshop_login_is_sent_to_the_admin_login(client, bookshop_user):
    response = login(client, bookshop_user).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_a_support_role_gets_403(client, db):
    response = login(client, make_user("praktikant", is_staff=True)).get(URL)
    assert response.status_code == 403


def test_admin_index_links_the_dashboard_for_support_staff_only(client, level1_user, superuser, db):
    page = login(client, level1_user).get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' in page
    assert 'href="/admin/privacy/"' not in page  # Level 1 may not export or erase personal data

    page = login(client, superuser).get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' in page and 'href="/admin/privacy/"' in page

    page = login(client, make_user("praktikant", is_staff=True)).get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' not in page and 'href="/admin/privacy/"' not in page


# --- the numbers -----------------------------------------------------------------------------------------------


def test_open_cases_per_state_and_overdue(client, level1_user, seeded):
    response = login(client, level1_user).get(URL)
    assert table(response, "open-states-table") == [
        ["bei der Partnerbuchhandlung", "3"],
        ["bei Support Level 1", "1"],
        ["bei Support Level 2", "1"],
        ["total", "5"],
    ]
    page = response.content.decode()
    assert "Davon überfällig (Antwortfrist abgelaufen): 1." in page
    assert 'href="/admin/tickets/ticket/?overdue=yes">1</a>' in page  # the key figure links to the overdue list


def test_open_cases_per_bookshop(client, level1_user, seeded):
    response = login(client, level1_user).get(URL)
    assert table(response, "open-shops-table") == [
        ["Buchhandlung Lesezeichen", "3", "1", "0", "4", "1"],
        ["Librairie La Page", "0", "0", "1", "1", "0"],
        ["total", "3", "1", "1", "5", "1"],
    ]


def test_escalation_rate_per_bookshop_counts_cases_that_ever_reached_level1(client, level1_user, seeded):
    response = login(client, level1_user).get(URL)
    # Lesezeichen: of four cases opened in the period, one went to Level 1 (and came back); the case opened before
    # the period does not count. La Page: all three.
    assert table(response, "escalation-table") == [
        ["Librairie La Page", "3", "3", "100.0 %"],
        ["Buchhandlung Lesezeichen", "4", "1", "25.0 %"],
        ["total", "7", "4", "57.1 %"],
    ]


def test_median_time_to_first_answer_and_to_close(client, level1_user, seeded):
    response = login(client, level1_user).get(URL)
    assert table(response, "times-table") == [
        ["bis zur ersten Antwort an den Kunden", "3 Std. 0 Min.", "4"],
        ["bis zum Abschluss", "2 Tage 0 Std.", "3"],
    ]
    figures = response.context["figures"]
    assert figures.median_first_answer == timedelta(hours=3)
    assert figures.median_close == timedelta(days=2)


def test_outcomes_per_month_over_the_last_twelve_months(client, level1_user, seeded):
    rows = table(login(client, level1_user).get(URL), "outcomes-table")
    assert len(rows) == 13  # twelve months and the total
    assert rows[0] == ["Juli 2025", "0", "1", "0", "1"]
    assert rows[9] == ["April 2026", "0", "0", "1", "1"]
    assert rows[11] == ["Juni 2026", "1", "0", "0", "1"]
    assert all(row[1:] == ["0", "0", "0", "0"] for i, row in enumerate(rows[:12]) if i not in (0, 9, 11))
    assert rows[12] == ["total", "1", "1", "1", "3"]


def test_ehelp_deflection_comes_from_ehelp_for_the_same_period(client, level1_user, seeded, fake_ehelp):
    response = login(client, level1_user).get(URL)
    assert fake_ehelp["since"] == datetime(2025, 7, 1, tzinfo=ZURICH)
    rows = {row[0]: row[1] for row in table(response, "ehelp-table")}
    assert rows["Sitzungen mit eHelp"] == "10"
    assert rows["ohne Kontaktformular (vermieden)"] == "7"
    assert rows["Quote vermieden"] == "70.0 %"


def test_charts_are_inline_svg_with_a_table_beside_each(client, level1_user, seeded, fake_ehelp):
    page = login(client, level1_user).get(URL).content.decode()
    charts = page.count('<figure class="dash-chart">')
    assert charts == 5  # open per state, per bookshop, escalation, outcomes, eHelp
    assert page.count('role="img" aria-labelledby=') == charts
    assert page.count('class="dash-table"') == 6  # the times have a table only
    assert "cdn" not in page.lower()


def test_empty_database_shows_zeros_and_no_median(client, level1_user):
    response = login(client, level1_user).get(URL)
    assert response.status_code == 200
    assert table(response, "times-table") == [
        ["bis zur ersten Antwort an den Kunden", "–", "0"],
        ["bis zum Abschluss", "–", "0"],
    ]


def test_query_count_does_not_grow_with_the_number_of_cases(
    client, clock, bookshop, other_bookshop, bookshop_user, level1_user, level2_user, django_assert_num_queries
):
    first = open_case(bookshop, "erster")
    services.send_message(ticket_id=first.pk, actor=bookshop_user, text="Bitte neu starten.", to="customer")
    run("solve", first, bookshop_user)
    login(client, level1_user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    # Session, user, bookshop membership (middleware), permissions (2), the figures (3), eHelp (1); other databases
    # read the two medians in one query each.
    assert len(small) == (9 if connection.vendor == "postgresql" else 11)

    seed(bookshop, other_bookshop, bookshop_user, level1_user, level2_user)
    for i in range(15):
        case = open_case(other_bookshop if i % 2 else bookshop, f"kunde{i}")
        if i % 3 == 0:
            run("escalate_to_level1", case, level1_user)
        if i % 4 == 0:
            run("solve", case, level1_user if i % 3 == 0 else bookshop_user)
    assert Ticket.objects.count() > 20
    with django_assert_num_queries(len(small)):
        assert client.get(URL).status_code == 200
