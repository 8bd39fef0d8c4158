"""The customer's eHelp pages: first aid, information sources, the ways on, languages, and light pages."""

import re

import pytest
from django.utils import translation

from ehelp.models import Article, InformationSource

from .conftest import make_article

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


def links(html: str) -> list[tuple[str, str]]:
    """(href, visible text) of every link on a page."""
    return [(href, re.sub(r"<[^>]+>", " ", text)) for href, text in
            re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)]


@pytest.mark.parametrize("url", ["/", "/ehelp/"])
def test_home_shows_first_aid_information_sources_and_both_ways_on(client, content, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Erste Hilfe PocketBook LUX" in html
    assert "Informations-Quellen" in html
    hrefs = [href for href, _text in links(html)]
    assert "/ehelp/artikel/startet-nicht/" in hrefs
    assert "/contact/" in hrefs
    assert "/payment-problem/" in hrefs
    assert "/ehelp/handbuch.pdf" in hrefs
    assert 'href="tel:+41440000000"' in html
    assert "Mo–Fr 9–17 Uhr" in html
    assert 'for="id_q"' in html  # the search field has its label


def test_someone_whose_pocketbook_does_not_start_finds_the_fix_in_one_tap_from_ehelp(client, content):
    home = client.get("/ehelp/", HTTP_USER_AGENT=PHONE_UA).content.decode()
    tap = next(href for href, text in links(home) if "startet nicht" in text)
    page = client.get(tap, HTTP_USER_AGENT=PHONE_UA).content.decode()
    assert "Ein/Aus-Taste" in page
    assert "15 bis 30 Sekunden" in page
    assert "Hat das geholfen?" in page


def test_article_page_lists_numbered_steps_and_ends_with_the_question_and_the_way_on(client, content):
    html = client.get("/ehelp/artikel/wlan-verbindung/").content.decode()
    assert html.count("<li>", html.index('class="ehelp-steps"'), html.index("</ol>")) == 5
    assert html.index("Hat das geholfen?") > html.index("</ol>")
    assert 'href="/contact/?article=wlan-verbindung"' in html


def test_articles_come_in_the_reader_s_language_with_german_as_fallback(client, content):
    client.cookies["django_language"] = "fr"
    home = client.get("/ehelp/").content.decode()
    assert "Le PocketBook ne démarre pas ou ne réagit plus" in home
    assert "PocketBook startet nicht" not in home
    # No French version of the Wi-Fi article: the German one, marked as German for screen readers.
    assert '<li lang="de">' in home and "WLAN verbindet nicht" in home

    french = client.get("/ehelp/artikel/startet-nicht/").content.decode()
    assert "bouton marche/arrêt" in french
    assert "Cela vous a-t-il aidé ?" in french  # the page around the article speaks French too
    fallback = client.get("/ehelp/artikel/wlan-verbindung/").content.decode()
    assert '<article lang="de"' in fallback
    assert "2,4-GHz-Band" in fallback

    client.cookies["django_language"] = "en"
    english = client.get("/ehelp/artikel/adobe-drm-fehler/").content.decode()
    assert "Adobe DRM error when opening an eBook" in english
    assert "No, that did not help" in english


def test_german_reader_sees_german_even_where_other_versions_exist(client, content):
    with translation.override("de"):
        html = client.get("/ehelp/artikel/startet-nicht/").content.decode()
    assert "PocketBook startet nicht oder reagiert nicht mehr" in html


def test_unpublished_or_unknown_article_is_not_found(client, content):
    Article.objects.filter(slug="usb-kopieren").update(is_published=False)
    assert client.get("/ehelp/artikel/usb-kopieren/").status_code == 404
    assert client.get("/ehelp/artikel/gibt-es-nicht/").status_code == 404
    assert "usb-kopieren" not in client.get("/ehelp/").content.decode()


def test_information_sources_page_shows_links_download_and_the_support_number(client, content):
    html = client.get("/ehelp/informationen/").content.decode()
    assert "https://www.adobe.com/solutions/ebook/digital-editions/download.html" in html
    assert 'href="/ehelp/handbuch.pdf"' in html
    assert "PocketBook International" in html
    assert 'href="tel:+41440000000"' in html


def test_an_edit_in_the_admin_shows_at_once_although_pages_are_cached(client, content):
    assert "WLAN verbindet nicht" in client.get("/ehelp/").content.decode()
    article = Article.objects.get(slug="wlan-verbindung", language="de")
    article.title = "WLAN: keine Verbindung"
    article.save()
    InformationSource.objects.filter(kind="phone").update(hours="Mo–Fr 8–12 Uhr")  # update() sends no signal
    source = InformationSource.objects.get(kind="phone")
    source.save()
    html = client.get("/ehelp/").content.decode()
    assert "WLAN: keine Verbindung" in html
    assert "Mo–Fr 8–12 Uhr" in html


def test_pages_carry_no_inline_script_or_style(client, content):
    for url in ["/ehelp/", "/ehelp/artikel/startet-nicht/", "/ehelp/suche/?q=WLAN", "/ehelp/informationen/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html.replace('<script src=', '')
        assert " style=" not in html
        assert "<style" not in html


# --- light pages ------------------------------------------------------------------------------------------------


def _more_articles(count: int):
    for number in range(count):
        make_article(slug=f"extra-{number}", title=f"Zusatz {number}", steps=["a", "b", "c"])


@pytest.mark.parametrize("extra", [0, 15])
def test_home_runs_two_queries_at_any_size_and_none_once_cached(client, content, django_assert_num_queries, extra):
    _more_articles(extra)
    with django_assert_num_queries(2):  # articles, information sources
        client.get("/ehelp/")
    with django_assert_num_queries(0):
        client.get("/ehelp/")


@pytest.mark.parametrize("steps", [1, 20])
def test_article_page_queries_do_not_grow_with_its_steps(client, content, django_assert_num_queries, steps):
    make_article(slug="lang", title="Viele Schritte", steps=[f"Schritt {n}" for n in range(steps)])
    # article, its steps, the view counted, information sources; a new session stored (4, with its savepoint)
    with django_assert_num_queries(8):
        client.get("/ehelp/artikel/lang/")
    # again in the same session: everything cached, the view counted already; the session is read
    with django_assert_num_queries(1):
        client.get("/ehelp/artikel/lang/")
