"""Content is edited by people and stored as HTML: nothing in it may run in a customer's browser."""

import pytest

from ehelp.models import Article, Step
from ehelp.sanitise import clean_html, html_to_text

from .conftest import make_article

HOSTILE = (
    '<p onclick="steal()">Drücken Sie <strong>lange</strong>.</p>'
    "<script>alert('xss')</script>"
    '<img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">hier</a> '
    '<a href="https://pocketbook.ch/">PocketBook</a>'
    '<iframe src="https://evil.example"></iframe>'
    '<style>body{display:none}</style>'
    '<span style="position:fixed">x</span>'
    '<svg onload="alert(3)"></svg>'
)


def assert_harmless(html: str):
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<style", "style=", "<svg",
                "<img src=x"):
        assert bad not in lowered, bad


def test_hostile_step_and_intro_are_rendered_harmless(client, db):
    make_article(slug="boese", title="Böse", intro=HOSTILE, steps=[HOSTILE])
    html = client.get("/ehelp/artikel/boese/").content.decode()
    assert_harmless(html.split('<main', 1)[1].split("</main>", 1)[0])
    assert "<strong>lange</strong>" in html  # allowed markup stays
    assert 'href="https://pocketbook.ch/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_content_written_around_the_models_is_cleaned_when_shown(client, db):
    article = make_article(slug="roh", title="Roh", steps=["harmlos"])
    Step.objects.filter(article=article).update(text=HOSTILE)  # no save(): skips cleaning on save
    Article.objects.filter(pk=article.pk).update(intro=HOSTILE)
    html = client.get("/ehelp/artikel/roh/").content.decode()
    assert_harmless(html.split('<main', 1)[1].split("</main>", 1)[0])


def test_titles_and_symptoms_are_escaped(client, db):
    make_article(slug="titel", title="<script>alert(1)</script>", symptom="<b>fett</b>", steps=["x"])
    html = client.get("/ehelp/artikel/titel/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_saved_content_is_stored_clean():
    step_text = clean_html(HOSTILE)
    assert_harmless(step_text)
    assert html_to_text(HOSTILE).startswith("Drücken Sie lange.")
    assert "alert" not in html_to_text(HOSTILE)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/x", "vbscript:x"])
def test_information_source_links_must_be_web_addresses_or_site_paths(db, url):
    from django.core.exceptions import ValidationError

    from ehelp.models import InformationSource

    source = InformationSource(key="k", kind="link", title="T", url=url)
    with pytest.raises(ValidationError):
        source.full_clean()
