"""Yearly references such as `EB-2026-000123`: a counter row per year, locked while it counts up, so two records
created at once never get the same number (each app has its own counter model with `year` and `last_number`)."""

from django.db import transaction
from django.utils import timezone


def next_reference(counter_model, prefix: str, now=None) -> str:
    year = (now or timezone.now()).year
    with transaction.atomic():
        counter, _created = counter_model.objects.select_for_update().get_or_create(year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:06d}"
