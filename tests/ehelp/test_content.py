"""The shipped content: loaded by `load_ehelp` (and so by `seed_demo`), idempotent, safe for a production database."""

import io

from django.core.management import call_command

from ehelp.content import ARTICLES
from ehelp.models import Article, InformationSource, SourceKind, Step


def test_shipped_content_has_eight_german_first_aid_articles_and_the_three_most_common_in_fr_and_en(content):
    german = set(Article.objects.filter(language="de", is_published=True).values_list("slug", flat=True))
    assert len(german) >= 8
    assert {"startet-nicht", "akku-und-laden", "wlan-verbindung", "gekauftes-ebook-fehlt", "adobe-drm-fehler",
            "usb-kopieren", "firmware-aktualisieren", "bildschirm-probleme"} <= german
    for language in ("fr", "en"):
        assert set(Article.objects.filter(language=language).values_list("slug", flat=True)) >= {
            "startet-nicht", "gekauftes-ebook-fehlt", "adobe-drm-fehler"
        }
    # Every article has numbered steps, in order.
    assert not Article.objects.filter(steps__isnull=True).exists()
    first = Article.objects.get(slug="startet-nicht", language="de")
    assert "Ein/Aus-Taste" in " ".join(first.step_texts)


def test_shipped_german_texts_use_swiss_spelling():
    for topic in ARTICLES:
        for language, version in topic["versions"].items():
            text = " ".join([version["title"], version["symptom"], version.get("intro", ""), *version["steps"]])
            assert "ß" not in text, (topic["slug"], language)


def test_load_ehelp_twice_changes_nothing(db):
    call_command("load_ehelp", stdout=io.StringIO())
    before = (
        list(Article.objects.order_by("pk").values_list("pk", "updated_at")),
        list(Step.objects.order_by("pk").values_list("pk", "text")),
        list(InformationSource.objects.order_by("pk").values_list("pk", "updated_at")),
    )
    out = io.StringIO()
    call_command("load_ehelp", stdout=out)
    after = (
        list(Article.objects.order_by("pk").values_list("pk", "updated_at")),
        list(Step.objects.order_by("pk").values_list("pk", "text")),
        list(InformationSource.objects.order_by("pk").values_list("pk", "updated_at")),
    )
    assert after == before
    assert "nothing changed" in out.getvalue()


def test_load_ehelp_keeps_what_an_administrator_changed(content):
    phone = InformationSource.objects.get(kind=SourceKind.PHONE)
    phone.phone = "+41 31 123 45 67"
    phone.needs_confirmation = False
    phone.save()
    Article.objects.filter(slug="wlan-verbindung").update(is_published=False)

    call_command("load_ehelp", stdout=io.StringIO())

    phone.refresh_from_db()
    assert phone.phone == "+41 31 123 45 67"
    assert not Article.objects.get(slug="wlan-verbindung").is_published


def test_seed_demo_loads_the_ehelp_content(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert Article.objects.filter(language="de").count() >= 8
    assert InformationSource.objects.filter(kind=SourceKind.PHONE).exists()


def test_the_phone_number_shipped_is_flagged_as_a_placeholder_for_the_admin(content):
    out = io.StringIO()
    call_command("load_ehelp", stdout=out)
    phone = InformationSource.objects.get(kind=SourceKind.PHONE)
    assert phone.needs_confirmation
    assert phone.hours
    assert "placeholder" in out.getvalue()
