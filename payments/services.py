"""Every write to a payment-problem report. `report_payment_problem` stores the report and writes both mails
(the hotline, the customer) as outbox rows in one transaction; a worker sends them after commit."""

import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import references, uploads
from mail import outbox

from .models import PaymentProblem, ReferenceCounter, payment_methods

HOTLINE_TEMPLATE = "payments/mail/hotline"
CUSTOMER_TEMPLATE = "payments/mail/confirmation"
UPLOAD_FOLDER = "payments"


def next_reference(now=None) -> str:
    """`ZP-2026-000123`, unique however many reports are made at once."""
    return references.next_reference(ReferenceCounter, "ZP", now)


def hotline_language() -> str:
    return getattr(settings, "SUPPORT_HOTLINE_LANGUAGE", "de")


def admin_url(problem: PaymentProblem) -> str:
    return settings.SITE_URL + reverse("admin:payments_paymentproblem_change", args=[problem.pk])


@dataclass(frozen=True)
class Reported:
    problem: PaymentProblem
    created: bool  # False when the submission repeated one already stored


def _existing(submission_key):
    if submission_key is None:
        return None
    return PaymentProblem.objects.filter(submission_key=submission_key).first()


def report_payment_problem(
    *,
    name: str,
    email: str,
    ebook_titles: str,
    order_number: str,
    amount_chf: Decimal,
    payment_method: str,
    occurred_on: date,
    completed: str,
    description: str,
    occurred_time: time | None = None,
    phone: str = "",
    screenshot=None,
    language: str = "de",
    submission_key: uuid.UUID | None = None,
) -> Reported:
    """Store the report and tell the hotline (every field, Reply-To the customer, the screenshot attached) and
    the customer (confirmation in their language). The same `submission_key` twice stores one report.

    The hotline's address comes from `settings.SUPPORT_HOTLINE_EMAIL` only."""
    existing = _existing(submission_key)
    if existing is not None:
        return Reported(existing, False)
    if payment_method not in dict(payment_methods()):
        raise ValidationError({"payment_method": _("Bitte wählen Sie das Zahlungsmittel.")})
    problem = PaymentProblem(
        name=name.strip(),
        email=email.strip(),
        phone=(phone or "").strip(),
        ebook_titles=ebook_titles.strip(),
        order_number=order_number.strip(),
        amount_chf=amount_chf,
        payment_method=payment_method,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        completed=completed,
        description=description.strip(),
        language=language or "de",
        submission_key=submission_key,
    )
    if amount_chf is None or Decimal(amount_chf) <= 0:
        raise ValidationError({"amount_chf": _("Bitte einen Betrag über 0 CHF angeben.")})
    problem.full_clean(exclude=["reference", "submission_key"])

    stored = uploads.store_private(screenshot, UPLOAD_FOLDER) if screenshot else None
    try:
        with transaction.atomic():
            problem.reference = next_reference()
            if stored:
                problem.screenshot_path = stored["path"]
                problem.screenshot_name = stored["name"]
                problem.screenshot_content_type = stored["content_type"]
                problem.screenshot_size = stored["size"]
            problem.save()
            _notify(problem)
    except IntegrityError:
        if stored:
            uploads.delete_private(stored["path"])
        # Two submits with one key raced each other; the other one stored the report.
        existing = _existing(submission_key)
        if existing is None:
            raise
        return Reported(existing, False)
    except BaseException:
        if stored:
            uploads.delete_private(stored["path"])
        raise
    return Reported(problem, True)


def _notify(problem: PaymentProblem) -> None:
    attachments = []
    if problem.has_screenshot:
        attachments.append(
            {
                "path": problem.screenshot_path,
                "name": problem.screenshot_name,
                "content_type": problem.screenshot_content_type,
            }
        )
    outbox.enqueue(
        to=settings.SUPPORT_HOTLINE_EMAIL,
        template=HOTLINE_TEMPLATE,
        context={"problem": problem, "admin_url": admin_url(problem)},
        thread=problem.reference,
        language=hotline_language(),
        reply_to=[problem.email],
        attachments=attachments,
    )
    outbox.enqueue(
        to=problem.email,
        template=CUSTOMER_TEMPLATE,
        context={"problem": problem},
        thread=problem.reference,
        language=problem.language,
        # A reply to the confirmation reaches the hotline, which handles the report, not the case system.
        reply_to=[settings.SUPPORT_HOTLINE_EMAIL],
    )


def mark_handled(*, problem_ids, actor) -> int:
    """Mark reports handled by `actor` now; those already handled keep who and when. Returns the count."""
    with transaction.atomic():
        return PaymentProblem.objects.filter(pk__in=list(problem_ids), handled=False).update(
            handled=True, handled_at=timezone.now(), handled_by=actor
        )


def mark_unhandled(*, problem_ids) -> int:
    with transaction.atomic():
        return PaymentProblem.objects.filter(pk__in=list(problem_ids), handled=True).update(
            handled=False, handled_at=None, handled_by=None
        )
