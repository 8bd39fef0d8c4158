"""Staff see which articles help and how many cases eHelp prevented, computed by the database."""

import pytest
from django.contrib.auth import get_user_model

from ehelp.models import ArticleEvent, EventKind

from .conftest import make_article


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("chefin", "chefin@example.ch", "pw")
    client.force_login(user)
    return client


def events(article, kind, visitors):
    ArticleEvent.objects.bulk_create([ArticleEvent(article=article, kind=kind, visitor=v) for v in visitors])


@pytest.fixture
def figures(db):
    """Four visitors read "Neustart"; a, b, c found it helpful, d said no and wrote to the bookshop. On the
    contact form "WLAN" was suggested to e, who clicked it and still wrote."""
    restart = make_article(slug="neustart", title="Neustart")
    wifi = make_article(slug="wlan", title="WLAN")
    events(restart, EventKind.VIEW, "abcd")
    events(restart, EventKind.HELPFUL, "abc")
    events(restart, EventKind.NOT_HELPFUL, "d")
    events(restart, EventKind.CONTACT_AFTER, "d")
    events(wifi, EventKind.SUGGESTION_SHOWN, "e")
    events(wifi, EventKind.SUGGESTION_CLICK, "e")
    events(wifi, EventKind.VIEW, "e")
    events(wifi, EventKind.CONTACT_AFTER, "e")
    return restart, wifi


def test_article_changelist_shows_figures_per_article(admin_client, figures):
    response = admin_client.get("/admin/ehelp/article/")
    rows = {article.slug: article for article in response.context["cl"].result_list}
    restart, wifi = rows["neustart"], rows["wlan"]
    assert (restart.views, restart.helpful, restart.not_helpful, restart.contacts_after) == (4, 3, 1, 1)
    assert (wifi.suggested, wifi.suggestion_clicks, wifi.contacts_after) == (1, 1, 1)
    html = response.content.decode()
    assert "75 %" in html  # "Neustart" helped 3 of 4 voters
    assert "/admin/ehelp/article/kennzahlen/" in html


def test_figures_page_shows_the_deflection_rate(admin_client, figures):
    response = admin_client.get("/admin/ehelp/article/kennzahlen/")
    overview = response.context["overview"]
    assert (overview.sessions, overview.sessions_with_contact, overview.prevented) == (5, 2, 3)
    html = response.content.decode()
    assert '<td id="deflection-rate"><strong>60 %</strong></td>' in html
    assert '<td id="prevented"><strong>3</strong></td>' in html


def test_figures_can_be_limited_to_a_period(admin_client, figures):
    from datetime import timedelta

    from django.utils import timezone

    ArticleEvent.objects.filter(visitor__in=["d", "e"]).update(created_at=timezone.now() - timedelta(days=40))
    overview = admin_client.get("/admin/ehelp/article/kennzahlen/?tage=30").context["overview"]
    assert (overview.sessions, overview.prevented) == (3, 3)
    assert admin_client.get("/admin/ehelp/article/kennzahlen/?tage=0").context["overview"].sessions == 5
    assert admin_client.get("/admin/ehelp/article/kennzahlen/?tage=x").status_code == 200


def test_figures_need_a_staff_login(client, figures):
    response = client.get("/admin/ehelp/article/kennzahlen/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("extra", [0, 12])
def test_figures_are_computed_in_a_fixed_number_of_queries(admin_client, figures, django_assert_num_queries, extra):
    for number in range(extra):
        article = make_article(slug=f"extra-{number}", title=f"Extra {number}")
        events(article, EventKind.VIEW, "xyz")
    # session, user, the login's bookshop (site middleware), overview, figures per article
    with django_assert_num_queries(5):
        admin_client.get("/admin/ehelp/article/kennzahlen/")


@pytest.mark.parametrize("extra", [0, 12])
def test_article_changelist_queries_do_not_grow_with_articles(admin_client, figures, django_assert_num_queries,
                                                              extra):
    for number in range(extra):
        article = make_article(slug=f"extra-{number}", title=f"Extra {number}")
        events(article, EventKind.VIEW, "xyz")
    # session, user, the login's bookshop, the row count, the rows with their figures
    with django_assert_num_queries(5):
        admin_client.get("/admin/ehelp/article/")


def test_support_level_1_sees_the_figures_but_cannot_edit_content(client, level1_user, figures):
    client.force_login(level1_user)
    page = client.get("/admin/ehelp/article/kennzahlen/")
    assert page.status_code == 200
    assert page.context["overview"].prevented == 3
    assert client.get("/admin/ehelp/article/").status_code == 200
    assert client.get("/admin/ehelp/article/add/").status_code == 403
