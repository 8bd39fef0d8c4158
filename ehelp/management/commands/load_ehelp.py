"""Load the shipped eHelp content (first-aid articles, information sources) into the database.

Safe on a fresh production database and safe to run again: it adds only what is missing, recognised by the
article's slug and language and by the source's key, and leaves everything an administrator edited as it is.
`--update` overwrites the shipped articles and sources with the shipped text (steps included)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ehelp.content import ARTICLES, SOURCES
from ehelp.models import Article, InformationSource, Step


class Command(BaseCommand):
    help = "Load the eHelp first-aid articles and information sources shipped with the app (adds what is missing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update", action="store_true",
            help="also overwrite shipped articles and sources that exist already (administrators' edits are lost)",
        )

    def handle(self, *args, update=False, verbosity=1, **options):
        with transaction.atomic():
            created, updated = self._load(update)
        if verbosity < 1:
            return
        if created or updated:
            self.stdout.write(self.style.SUCCESS(f"eHelp: {created} created, {updated} updated."))
        else:
            self.stdout.write("eHelp: everything there already, nothing changed.")
        unconfirmed = InformationSource.objects.filter(needs_confirmation=True, is_published=True)
        for entry in unconfirmed.only("title", "phone"):
            self.stdout.write(self.style.WARNING(
                f"Please confirm in the admin (eHelp › Informationsquellen): {entry.title} {entry.phone} is a "
                "placeholder shipped with the app."
            ))

    def _load(self, update: bool) -> tuple[int, int]:
        created = updated = 0
        for topic in ARTICLES:
            for language, version in topic["versions"].items():
                fields = {
                    "title": version["title"],
                    "symptom": version["symptom"],
                    "keywords": version.get("keywords", ""),
                    "intro": version.get("intro", ""),
                    "order": topic["order"],
                }
                article = Article.objects.filter(slug=topic["slug"], language=language).first()
                if article is None:
                    article = Article.objects.create(slug=topic["slug"], language=language, **fields)
                    created += 1
                elif update:
                    for name, value in fields.items():
                        setattr(article, name, value)
                    article.save()
                    article.steps.all().delete()
                    updated += 1
                else:
                    continue
                for number, text in enumerate(version["steps"], start=1):
                    Step.objects.create(article=article, order=number * 10, text=text)

        for source in SOURCES:
            values = {k: v for k, v in source.items() if k != "key"}
            existing = InformationSource.objects.filter(key=source["key"]).first()
            if existing is None:
                entry = InformationSource(key=source["key"], **values)
                entry.full_clean()
                entry.save()
                created += 1
            elif update:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.full_clean()
                existing.save()
                updated += 1

        return created, updated
