"""Search: Postgres full-text search (German and the article's own language), ranked, typo-tolerant; a plain
fallback elsewhere; hostile or long text never fails."""

import pytest

from ehelp import selectors

from .conftest import make_article


def slugs(result):
    return [article.slug for article in result.articles]


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "expected"), [
    ("WLAN-Verbindungen", "wlan-verbindung"),  # plural and compound part: Verbindungen -> Verbindung
    ("gekaufte Bücher", "gekauftes-ebook-fehlt"),  # gekaufte -> Gekauftes, Bücher -> Buch
    ("Autorisierungen", "adobe-drm-fehler"),
    ("Akku lädt nicht", "akku-und-laden"),
    ("mein Reader startet nicht mehr", "startet-nicht"),
])
def test_search_finds_german_word_forms_best_first(content, query, expected):
    assert slugs(selectors.search(query, "de"))[0] == expected


@pytest.mark.postgres
def test_search_reads_each_article_in_its_own_language(content):
    result = selectors.search("livres achetés", "fr")
    assert slugs(result)[0] == "gekauftes-ebook-fehlt"
    assert result.articles[0].language == "fr"
    assert slugs(selectors.search("does not start", "en"))[0] == "startet-nicht"


@pytest.mark.postgres
def test_search_ranks_title_matches_above_mentions_in_steps(db):
    make_article(slug="nebenbei", title="Etwas anderes", steps=["Dann kommt der Router an die Reihe."], order=1)
    make_article(slug="router", title="Router neu starten", steps=["Stecker ziehen."], order=2)
    assert slugs(selectors.search("Router", "de")) == ["router", "nebenbei"]


@pytest.mark.postgres
@pytest.mark.parametrize(("typo", "expected"), [
    ("Firmwre", "firmware-aktualisieren"),
    ("Bildschrim", "bildschirm-probleme"),
    ("Verbinung", "wlan-verbindung"),
])
def test_search_forgives_typos(content, typo, expected):
    result = selectors.search(typo, "de")
    assert slugs(result)[0] == expected
    assert result.fuzzy


def test_search_page_finds_articles_on_any_database(client, content):
    html = client.get("/ehelp/suche/", {"q": "WLAN"}).content.decode()
    assert "/ehelp/artikel/wlan-verbindung/" in html
    assert 'value="WLAN"' in html


def test_search_page_with_nothing_found_offers_every_article(client, content):
    html = client.get("/ehelp/suche/", {"q": "Kaffeemaschine"}).content.decode()
    assert "Keine Anleitung gefunden" in html
    assert "/ehelp/artikel/startet-nicht/" in html


HOSTILE = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE ehelp_article; --",
    "a & | ! ( ) :* <-> \\ ' \"",
    "\x00\x01\x1f nul bytes",
    "Akku " * 5000,
    "x" * 100_000,
    "🙂 ß ü € ​ \u2028",
    "%",
    "_",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_or_long_search_text_is_clipped_escaped_and_never_fails(client, content, query):
    response = client.get("/ehelp/suche/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert len(selectors.clip_query(query)) <= selectors.SEARCH_MAX_CHARS
    assert client.get("/ehelp/vorschlaege/", {"subject": query}).status_code == 200


def test_clipping_keeps_words_and_drops_control_characters():
    assert selectors.clip_query("  WLAN\x00 <b>geht</b> nicht!  ") == "WLAN b geht b nicht"
    assert len(selectors.clip_query("wort " * 100).split()) == selectors.SEARCH_MAX_WORDS


@pytest.mark.parametrize("extra", [0, 20])
def test_search_page_runs_a_fixed_number_of_queries(client, content, django_assert_num_queries, extra):
    for number in range(extra):
        make_article(slug=f"akku-{number}", title=f"Akku Sonderfall {number}", steps=["Akku laden"])
    with django_assert_num_queries(3):  # matching topics, their versions, the article list (no result page)
        client.get("/ehelp/suche/", {"q": "Akku"})
