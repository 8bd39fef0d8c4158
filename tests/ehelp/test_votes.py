""""Hat das geholfen?": one vote per browser session and article; "No" leads on to the contact form."""

import pytest

from ehelp.models import ArticleEvent, EventKind

from .conftest import make_article


@pytest.fixture
def article(db):
    return make_article(slug="neustart", title="Neustart", steps=["Taste halten", "Warten"])


def votes(article, kind):
    return ArticleEvent.objects.filter(article=article, kind=kind).count()


def test_yes_counts_once_however_often_the_same_session_posts_it(client, article):
    for _ in range(5):
        response = client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/ehelp/artikel/neustart/#hat-es-geholfen"
    assert votes(article, EventKind.HELPFUL) == 1
    page = client.get("/ehelp/artikel/neustart/").content.decode()
    assert "Danke! Schön, dass Ihr PocketBook wieder funktioniert." in page
    assert 'value="yes"' not in page  # the question is answered


def test_changing_the_vote_replaces_it_instead_of_adding_one(client, article):
    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "no"})
    assert votes(article, EventKind.HELPFUL) == 0
    assert votes(article, EventKind.NOT_HELPFUL) == 1


def test_each_browser_session_has_its_own_vote(client, django_user_model, article):
    from django.test import Client

    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    Client().post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    Client().post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "no"})
    assert votes(article, EventKind.HELPFUL) == 2
    assert votes(article, EventKind.NOT_HELPFUL) == 1


def test_a_session_that_forgot_its_vote_still_cannot_add_a_second_one(client, article):
    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    session = client.session
    session["ehelp"]["votes"] = {}  # e.g. a tampered or partly lost session: the database still knows
    session.save()
    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "yes"})
    client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "no"})
    assert ArticleEvent.objects.filter(article=article, kind__in=["yes", "no"]).count() == 1


def test_no_leads_to_the_contact_form_with_the_article_remembered(client, article):
    response = client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "no"})
    assert response.status_code == 302
    assert response["Location"] == "/contact/?article=neustart"
    form = client.get(response["Location"]).content.decode()
    assert 'name="tried_article" value="neustart"' in form


def test_voting_needs_a_post_and_a_valid_answer(client, article):
    assert client.get("/ehelp/artikel/neustart/abstimmen/").status_code == 405
    response = client.post("/ehelp/artikel/neustart/abstimmen/", {"helpful": "vielleicht"})
    assert response.status_code == 302
    assert not ArticleEvent.objects.filter(kind__in=["yes", "no"]).exists()
    assert client.post("/ehelp/artikel/unbekannt/abstimmen/", {"helpful": "yes"}).status_code == 404


def test_robots_reading_articles_are_not_counted(client, article):
    client.get("/ehelp/artikel/neustart/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    assert not ArticleEvent.objects.exists()
    client.get("/ehelp/artikel/neustart/")
    client.get("/ehelp/artikel/neustart/")
    assert votes(article, EventKind.VIEW) == 1  # one per session
