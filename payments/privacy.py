"""Payment-problem reports in the data-protection export and erase (registered in PaymentsConfig.ready)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common import uploads

from .models import PaymentProblem

ANONYMISED = "anonymisiert"


def reports_of(address: str):
    return PaymentProblem.objects.filter(email__iexact=address.strip())


def export(address: str) -> list[dict]:
    return [
        {
            "reference": p.reference,
            "created_at": p.created_at.isoformat(),
            "name": p.name,
            "email": p.email,
            "phone": p.phone,
            "ebook_titles": p.ebook_titles,
            "order_number": p.order_number,
            "amount_chf": str(p.amount_chf),
            "payment_method": p.payment_method,
            "occurred_on": p.occurred_on.isoformat(),
            "completed": p.completed,
            "description": p.description,
            "screenshot": p.screenshot_name,
            "handled": p.handled,
        }
        for p in reports_of(address).order_by("created_at", "pk")
    ]


def anonymise(queryset) -> dict:
    """Keep what the hotline's bookkeeping needs (reference, amount, method, dates); drop who and what."""
    paths = list(queryset.exclude(screenshot_path="").values_list("screenshot_path", flat=True))
    count = queryset.update(
        name=ANONYMISED, email="anonymisiert@invalid", phone="", ebook_titles=ANONYMISED, order_number="",
        description=ANONYMISED, screenshot_path="", screenshot_name="", screenshot_content_type="",
        screenshot_size=None,
    )
    transaction.on_commit(lambda: [uploads.delete_private(path) for path in paths])
    return {"records": count, "files": len(paths)}


def erase(address: str) -> dict:
    return anonymise(reports_of(address))


def anonymise_expired(days: int, now=None) -> int:
    """Handled reports older than the retention period."""
    before = (now or timezone.now()) - timezone.timedelta(days=days)
    old = PaymentProblem.objects.filter(Q(created_at__lt=before), handled=True).exclude(name=ANONYMISED)
    return anonymise(old)["records"]
