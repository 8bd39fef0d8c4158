"""The customer's payment-problem report: form, protection (honeypot, rate limits, idempotency token), and the
confirmation page. The view only checks, calls the service and redirects; every write is in services.py."""

import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from common import ratelimit

from . import services
from .forms import PaymentProblemForm

SCOPE = "payment_problem"
SESSION_KEY = "payment_problem_sent"


def _too_many(request):
    return ratelimit.too_many_requests(request)


@never_cache
def report(request):
    if request.method == "POST":
        if ratelimit.over_ip_limit(request, SCOPE):
            return _too_many(request)
        form = PaymentProblemForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled the hidden field: answer as if all went well, store nothing.
                return redirect("payments:sent")
            if ratelimit.over_email_limit(data["email"], SCOPE):
                return _too_many(request)
            try:
                result = services.report_payment_problem(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    ebook_titles=data["ebook_titles"],
                    order_number=data["order_number"],
                    amount_chf=data["amount_chf"],
                    payment_method=data["payment_method"],
                    occurred_on=data["occurred_on"],
                    occurred_time=data["occurred_time"],
                    completed=data["completed"],
                    description=data["description"],
                    screenshot=data["screenshot"] or None,
                    language=translation.get_language() or "de",
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                problem = result.problem
                if result.created:
                    request.session[SESSION_KEY] = {"reference": problem.reference, "email": problem.email}
                else:
                    # A repeated submit: the reference only, nothing a replayed token could reveal.
                    sent = request.session.get(SESSION_KEY) or {}
                    if sent.get("reference") != problem.reference:
                        request.session[SESSION_KEY] = {"reference": problem.reference}
                return redirect("payments:sent")
    else:
        form = PaymentProblemForm(initial={"submission_key": uuid.uuid4()})
    file_dropped = form.is_bound and bool(request.FILES.get("screenshot"))
    return render(request, "payments/report.html", {"form": form, "file_dropped": file_dropped})


@never_cache
def sent(request):
    sent = request.session.get(SESSION_KEY)
    if not sent:
        return redirect("payments:report")
    return render(request, "payments/sent.html", {"sent": sent})
