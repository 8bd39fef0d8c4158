"""eHelp content and the figures that show whether it helps.

An article is one language version of a topic: versions of one topic share their `slug`, and German is the
fallback when a language has no version. Its numbered steps are rows of their own so that the admin can reorder
them and the contact form can hand them, as plain text, to the bookshop. Step text may carry a little HTML
(bold, links, lists); it is sanitised when it is saved and again when it is shown.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .sanitise import clean_html, html_to_text

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]
FALLBACK_LANGUAGE = "de"


class ImageStorage(FileSystemStorage):
    """Step images live below the private media root and are served by `ehelp:step-image`, never as files:
    the view sends only raster images with their own type, so no uploaded SVG or HTML can run."""

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "ehelp")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def deconstruct(self):
        return ("ehelp.models.ImageStorage", (), {})


IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
IMAGE_MAX_BYTES = 2 * 1024 * 1024


def image_type(head: bytes) -> str | None:
    """The content type of a PNG, JPEG, GIF or WebP image, judged by its first bytes; None for anything else."""
    for signature, content_type in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_image(file) -> None:
    if file.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("Das Bild ist grösser als 2 MB."), code="too_big")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if image_type(head) is None:
        raise ValidationError(_("Bitte ein Bild im Format PNG, JPEG, GIF oder WebP hochladen."), code="not_image")


def validate_link(value: str) -> None:
    """Links in information sources: web addresses or paths on this site, nothing that could run a script."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if re.match(r"^https?://[^\s/]+", value, re.IGNORECASE):
        return
    raise ValidationError(
        _("Bitte eine Adresse mit https:// oder einen Pfad dieser Website (beginnend mit /) angeben."),
        code="bad_link",
    )


class Article(models.Model):
    slug = models.SlugField(
        _("Kurzname"), max_length=80,
        help_text=_("Gleich für alle Sprachfassungen eines Themas; erscheint in der Adresse der Seite."),
    )
    language = models.CharField(_("Sprache"), max_length=8, choices=LANGUAGE_CHOICES, default=FALLBACK_LANGUAGE)
    title = models.CharField(_("Titel"), max_length=150)
    symptom = models.CharField(
        _("Symptom in Worten der Kundschaft"), max_length=250,
        help_text=_("So beschreibt die Kundin oder der Kunde das Problem, z.B. «Der Bildschirm bleibt schwarz»."),
    )
    keywords = models.CharField(
        _("Weitere Suchwörter"), max_length=300, blank=True,
        help_text=_("Wörter, mit denen Kundinnen und Kunden das Problem auch beschreiben, z.B. «Batterie, Strom»."),
    )
    intro = models.TextField(
        _("Einleitung"), blank=True,
        help_text=_("Freiwillig. Erlaubt: fett, kursiv, Links, Listen. Alles andere wird entfernt."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    # Plain, lower-cased text of intro and steps: the body that search reads (kept up to date on every save).
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Erste-Hilfe-Artikel")
        verbose_name_plural = _("Erste-Hilfe-Artikel")
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="ehelp_article_one_version_per_language"),
        ]
        indexes = [models.Index(fields=["is_published", "language", "order"], name="ehelp_article_list")]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        self.intro = clean_html(self.intro)
        super().save(*args, **kwargs)
        self.refresh_search_text()

    def refresh_search_text(self) -> None:
        """Rebuild the searchable body from the intro and the steps (one read, one write)."""
        texts = [html_to_text(self.intro)] + [html_to_text(text) for text in self.steps.values_list("text", flat=True)]
        self.search_text = " ".join(t for t in texts if t).casefold()
        Article.objects.filter(pk=self.pk).update(search_text=self.search_text)

    @property
    def step_texts(self) -> list[str]:
        return [html_to_text(step.text) for step in self.steps.all()]


class Step(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Artikel"))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text = models.TextField(
        _("Schritt"), help_text=_("Erlaubt: fett, kursiv, Links, Listen. Alles andere wird entfernt.")
    )
    image = models.FileField(
        _("Bild"), upload_to="steps/", storage=ImageStorage(), blank=True, validators=[validate_image],
        help_text=_("Freiwillig: PNG, JPEG, GIF oder WebP, höchstens 2 MB."),
    )
    image_alt = models.CharField(
        _("Bildbeschreibung"), max_length=200, blank=True,
        help_text=_("Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können."),
    )

    class Meta:
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        ordering = ["order", "pk"]

    def __str__(self):
        return html_to_text(self.text)[:60]

    def save(self, *args, **kwargs):
        self.text = clean_html(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Bitte beschreiben Sie das Bild in einem Satz.")})


class SourceKind(models.TextChoices):
    LINK = "link", _("Link zu einer Hilfeseite")
    DOWNLOAD = "download", _("Download")
    PHONE = "phone", _("Telefonnummer")


class InformationSource(models.Model):
    """An entry of "Informations-Quellen": a help page, a download, or a support phone number."""

    key = models.SlugField(
        _("Schlüssel"), max_length=80, unique=True,
        help_text=_("Eindeutiger Name, mit dem das Laden der Inhalte den Eintrag wiedererkennt."),
    )
    kind = models.CharField(_("Art"), max_length=10, choices=SourceKind.choices, default=SourceKind.LINK)
    language = models.CharField(
        _("Sprache"), max_length=8, choices=LANGUAGE_CHOICES, blank=True,
        help_text=_("Leer lassen, wenn der Eintrag in allen Sprachen erscheinen soll."),
    )
    title = models.CharField(_("Titel"), max_length=150)
    description = models.CharField(_("Beschreibung (eine Zeile)"), max_length=300, blank=True)
    url = models.CharField(
        _("Adresse"), max_length=500, blank=True, validators=[validate_link],
        help_text=_("Bei Links und Downloads: https://… oder ein Pfad dieser Website wie /ehelp/handbuch.pdf"),
    )
    phone = models.CharField(
        _("Telefonnummer"), max_length=40, blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()./-]{6,}$", _("Nur Ziffern, Leerzeichen und + am Anfang."))],
        help_text=_("Internationale Schreibweise, z.B. +41 44 123 45 67. Wird als anrufbarer Link gezeigt."),
    )
    hours = models.CharField(_("Erreichbarkeit"), max_length=150, blank=True, help_text=_("z.B. Mo–Fr 9–17 Uhr"))
    needs_confirmation = models.BooleanField(
        _("noch zu bestätigen"), default=False,
        help_text=_("Platzhalter aus dem Auslieferungszustand: bitte prüfen, anpassen und dieses Häkchen entfernen."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Informationsquelle")
        verbose_name_plural = _("Informationsquellen")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.kind == SourceKind.PHONE and not self.phone:
            raise ValidationError({"phone": _("Bitte die Telefonnummer angeben.")})
        if self.kind in (SourceKind.LINK, SourceKind.DOWNLOAD) and not self.url:
            raise ValidationError({"url": _("Bitte die Adresse angeben.")})

    @property
    def tel_href(self) -> str:
        digits = re.sub(r"[^0-9+]", "", self.phone)
        return f"tel:{digits}" if digits else ""

    @property
    def is_external(self) -> bool:
        return self.url.lower().startswith(("http://", "https://"))


class EventKind(models.TextChoices):
    VIEW = "view", _("Aufruf")
    SUGGESTION_SHOWN = "shown", _("im Kontaktformular vorgeschlagen")
    SUGGESTION_CLICK = "click", _("Vorschlag angeklickt")
    HELPFUL = "yes", _("hat geholfen")
    NOT_HELPFUL = "no", _("hat nicht geholfen")
    CONTACT_AFTER = "contact", _("danach Kontaktformular gesendet")


ONCE_PER_VISITOR = [EventKind.VIEW, EventKind.SUGGESTION_SHOWN, EventKind.SUGGESTION_CLICK]
VOTES = [EventKind.HELPFUL, EventKind.NOT_HELPFUL]


class ArticleEvent(models.Model):
    """One thing a browser session did with an article. `visitor` is a random id kept in the session (never the
    session key itself). Views, suggestions and clicks count once per visitor and article; a visitor has at most
    one vote per article (changing it replaces it); every contact form sent afterwards counts."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events", verbose_name=_("Artikel"))
    kind = models.CharField(_("Art"), max_length=10, choices=EventKind.choices)
    visitor = models.CharField(_("Besucher"), max_length=32)
    created_at = models.DateTimeField(_("Zeit"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("eHelp-Ereignis")
        verbose_name_plural = _("eHelp-Ereignisse")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "visitor", "kind"], condition=Q(kind__in=ONCE_PER_VISITOR),
                name="ehelp_event_once_per_visitor",
            ),
            models.UniqueConstraint(
                fields=["article", "visitor"], condition=Q(kind__in=VOTES), name="ehelp_event_one_vote_per_visitor",
            ),
        ]
        indexes = [models.Index(fields=["article", "kind"], name="ehelp_event_article_kind")]

    def __str__(self):
        return f"{self.article_id} {self.kind}"
