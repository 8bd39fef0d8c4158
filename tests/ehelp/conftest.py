"""eHelp fixtures: the shipped content, hand-made articles, and a cache emptied around every test (pages are
cached, and a cache shared between tests would hide queries)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from ehelp.models import Article, Step


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def content(db):
    """The content an operator loads with `manage.py load_ehelp`."""
    call_command("load_ehelp", stdout=io.StringIO())


def make_article(slug="testartikel", language="de", title="Testartikel", steps=("Erster Schritt",), **fields):
    fields.setdefault("symptom", "Etwas geht nicht.")
    article = Article.objects.create(slug=slug, language=language, title=title, **fields)
    for number, text in enumerate(steps, start=1):
        Step.objects.create(article=article, order=number, text=text)
    return article
