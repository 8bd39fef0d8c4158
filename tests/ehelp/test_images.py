"""Optional step images: only raster images are accepted and served, with their own type."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ehelp.models import Step

from .conftest import make_article

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_a_step_image_is_shown_with_its_description_and_served_as_png(client, db):
    article = make_article(slug="bild", title="Mit Bild", steps=[])
    step = Step(article=article, order=1, text="Taste drücken", image_alt="Die Ein/Aus-Taste an der Unterkante",
                image=SimpleUploadedFile("taste.png", PNG, content_type="image/png"))
    step.full_clean()
    step.save()

    page = client.get("/ehelp/artikel/bild/").content.decode()
    assert f'src="/ehelp/bild/{step.pk}/"' in page
    assert 'alt="Die Ein/Aus-Taste an der Unterkante"' in page
    response = client.get(f"/ehelp/bild/{step.pk}/")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize(("name", "data"), [
    ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    ("bild.png", b"<html><script>alert(1)</script></html>"),
])
def test_anything_but_a_raster_image_is_refused(db, name, data):
    article = make_article(slug="falsch", title="Falsch", steps=[])
    step = Step(article=article, order=1, text="x", image_alt="y", image=SimpleUploadedFile(name, data))
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "image" in error.value.message_dict


def test_an_image_needs_a_description(db):
    article = make_article(slug="ohne", title="Ohne", steps=[])
    step = Step(article=article, order=1, text="x", image=SimpleUploadedFile("a.png", PNG))
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "image_alt" in error.value.message_dict


def test_a_non_image_stored_around_the_checks_is_not_served(client, db):
    article = make_article(slug="roh", title="Roh", steps=[])
    step = Step.objects.create(article=article, order=1, text="x", image_alt="y",
                               image=SimpleUploadedFile("x.png", b"<script>alert(1)</script>"))
    assert client.get(f"/ehelp/bild/{step.pk}/").status_code == 404
