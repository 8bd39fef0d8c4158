"""Write the PDF manual "PocketBook LUX und eBookit" from the shipped content (run after changing ehelp/content)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ehelp.content import MANUAL_PATH
from ehelp.manual import build


class Command(BaseCommand):
    help = "Build ehelp/content/pocketbook-lux-und-ebookit.pdf from the shipped German eHelp content."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / MANUAL_PATH))

    def handle(self, *args, output, **options):
        data = build()
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(data)} bytes)."))
