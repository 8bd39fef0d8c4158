"""From eHelp to the contact form and into the case: the bookshop sees what the customer already tried, and staff
see how many contact forms followed eHelp."""

import re

import pytest
from django.utils import translation

from ehelp.api import article_snapshot, note_contact_sent
from ehelp.models import Article, ArticleEvent, EventKind
from tickets.models import Ticket

from .conftest import make_article


def contact_data(bookshop, **overrides):
    data = {
        "bookshop": bookshop.pk,
        "customer_name": "Anna Meier",
        "customer_email": "anna@example.ch",
        "category": "problem",
        "subject": "PocketBook startet nicht",
        "message": "Ich habe alles versucht.",
        "privacy": "on",
    }
    data.update(overrides)
    return data


def test_no_carries_the_article_and_its_steps_into_the_case_the_bookshop_sees(client, content, bookshop,
                                                                               bookshop_user):
    client.get("/ehelp/artikel/startet-nicht/")
    response = client.post("/ehelp/artikel/startet-nicht/abstimmen/", {"helpful": "no"})
    form = client.get(response["Location"]).content.decode()
    tried = re.search(r'name="tried_article" value="([^"]*)"', form).group(1)
    key = re.search(r'name="submission_key" value="([^"]*)"', form).group(1)

    sent = client.post("/contact/", contact_data(bookshop, tried_article=tried, submission_key=key))
    assert sent.status_code == 302

    ticket = Ticket.objects.get()
    assert ticket.tried_ehelp["slug"] == "startet-nicht"
    assert ticket.tried_ehelp["title"] == "PocketBook startet nicht oder reagiert nicht mehr"
    assert len(ticket.tried_ehelp["steps"]) == 6
    assert "<strong>" not in " ".join(ticket.tried_ehelp["steps"])  # plain text for mail and queue

    client.force_login(bookshop_user)
    page = client.get(f"/queue/{ticket.reference}/").content.decode()
    assert "In eHelp bereits versucht" in page
    assert "PocketBook startet nicht oder reagiert nicht mehr" in page
    assert "15 bis 30 Sekunden" in page

    article = Article.objects.get(slug="startet-nicht", language="de")
    assert ArticleEvent.objects.filter(article=article, kind=EventKind.NOT_HELPFUL).count() == 1
    assert ArticleEvent.objects.filter(article=article, kind=EventKind.CONTACT_AFTER).count() == 1


def test_snapshot_is_in_the_customer_s_language_and_none_for_unknown_or_unpublished(content):
    with translation.override("fr"):
        snapshot = article_snapshot("startet-nicht")
    assert snapshot["language"] == "fr"
    assert snapshot["title"] == "Le PocketBook ne démarre pas ou ne réagit plus"
    assert all(isinstance(step, str) and "<" not in step for step in snapshot["steps"])
    with translation.override("fr"):
        assert article_snapshot("wlan-verbindung")["language"] == "de"  # German fallback
    assert article_snapshot("gibt-es-nicht") is None
    assert article_snapshot("") is None
    Article.objects.filter(slug="usb-kopieren").update(is_published=False)
    assert article_snapshot("usb-kopieren") is None


def test_a_contact_form_sent_after_suggestions_is_counted_for_the_suggested_articles(client, content, bookshop):
    fragment = client.get("/ehelp/vorschlaege/", {"subject": "WLAN verbindet nicht"}).content.decode()
    assert "/ehelp/artikel/wlan-verbindung/?von=vorschlag" in fragment
    client.get("/ehelp/artikel/wlan-verbindung/?von=vorschlag")

    client.post("/contact/", contact_data(bookshop, subject="WLAN verbindet nicht"))

    wlan = Article.objects.get(slug="wlan-verbindung", language="de")
    kinds = set(ArticleEvent.objects.filter(article=wlan).values_list("kind", flat=True))
    assert kinds == {EventKind.SUGGESTION_SHOWN, EventKind.SUGGESTION_CLICK, EventKind.VIEW, EventKind.CONTACT_AFTER}
    # A second contact form without new eHelp use counts nothing more.
    client.post("/contact/", contact_data(bookshop, subject="Noch etwas", message="Andere Frage."))
    assert ArticleEvent.objects.filter(kind=EventKind.CONTACT_AFTER).count() == \
        ArticleEvent.objects.filter(kind=EventKind.SUGGESTION_SHOWN).count()


def test_note_contact_sent_without_ehelp_use_counts_nothing(rf, db):
    request = rf.post("/contact/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    note_contact_sent(request, "")
    note_contact_sent(request, "gibt-es-nicht")
    assert not ArticleEvent.objects.exists()


def test_contact_form_offers_articles_while_the_subject_is_typed(client, content):
    form = client.get("/contact/").content.decode()
    assert 'hx-get="/ehelp/vorschlaege/"' in form
    assert 'from:#id_subject' in form and 'hx-include="#id_subject"' in form

    fragment = client.get("/ehelp/vorschlaege/", {"subject": "Adobe Fehler beim Öffnen"}).content.decode()
    assert "Adobe-DRM-Fehler beim Öffnen eines eBooks" in fragment
    assert client.get("/ehelp/vorschlaege/", {"subject": "ab"}).content.decode().strip() == ""
    assert client.get("/ehelp/vorschlaege/", {"subject": "xyzzy qwertz"}).content.decode().strip() == ""


def test_contact_form_shown_again_after_an_error_offers_articles_without_javascript(client, content, bookshop):
    response = client.post("/contact/", contact_data(bookshop, subject="Akku lädt nicht", customer_email="falsch"))
    assert response.status_code == 400
    assert "/ehelp/artikel/akku-und-laden/?von=vorschlag" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 10])
def test_suggestions_run_a_fixed_number_of_queries(client, content, django_assert_num_queries, extra):
    for number in range(extra):
        make_article(slug=f"wlan-{number}", title=f"WLAN Spezialfall {number}", steps=["WLAN prüfen"])
    client.get("/ehelp/vorschlaege/", {"subject": "Adobe"})  # the session exists from here on
    # session read, search, the versions shown, the suggestions counted, the session written (3, with savepoint)
    with django_assert_num_queries(7):
        fragment = client.get("/ehelp/vorschlaege/", {"subject": "WLAN Router"}).content.decode()
    assert "wlan-verbindung" in fragment
